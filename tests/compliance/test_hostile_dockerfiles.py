"""Whatever is pasted in as a Dockerfile, a scan finishes with a result for every rule,
no rule crashes, and the text is kept as it was."""

import pytest

from apps.catalog.models import ContainerSpec
from apps.compliance.context import MAX_DOCKERFILE_CHARS
from apps.compliance.rules import REGISTRY
from apps.compliance.services import compliance_scan

HOSTILE = {
    "binary": "\x01\x02\x7f\xff\ufffe",  # NUL cannot reach the database: see the last test
    "bare FROM": "FROM",
    "FROM with a space": "FROM \n",
    "keywords alone": "ENV\nARG\nUSER\nEXPOSE\nHEALTHCHECK\nADD\nCOPY\nRUN\n",
    "stage name only": "FROM a AS\n",
    "backtick escape": "# escape=`\nFROM alpine:3.22.2\nRUN echo `\n  hi\nUSER 1\n",
    "crlf": "FROM alpine:3.22.2\r\nUSER 1\r\nENV API_KEY=x\r\n",
    "bom": "\ufeffFROM alpine:3.22.2\nUSER 1\n",
    "unterminated quotes": "FROM alpine:3.22.2\nARG A=\"open\nENV B='open\nLABEL c=\"\n",
    "unclosed variable": "FROM ${\nUSER ${\nEXPOSE ${\n",
    "huge port range": "FROM alpine:3.22.2\nEXPOSE 1-65535\n",
    "unicode": "FROM alpine:3.22.2\nENV ПАРОЛЬ=секрет 名前=値\nUSER 用户\n",
    "many lines": "FROM alpine:3.22.2\n" + "ENV A=1\n" * 5000 + "RUN echo\n" * 100,
    "json-ish": 'FROM alpine:3.22.2\nHEALTHCHECK CMD ["unterminated\nCMD [1, 2]\n',
    "continuation at end": "FROM alpine:3.22.2\nRUN echo \\",
    "heredoc": "# syntax=docker/dockerfile:1\nFROM alpine:3.22.2\nRUN <<EOF\necho hi\nEOF\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_rule_answers_and_none_crashes(fleet, name):
    service = fleet["prediction-engine"]
    ContainerSpec.objects.filter(service=service).update(dockerfile=HOSTILE[name])
    scan = compliance_scan(service=service, trigger="manual")
    results = list(scan.results.all())
    assert {r.rule_id for r in results} == set(REGISTRY)
    assert [r.rule_id for r in results if "bug in VisionSpace" in r.evidence] == []
    assert ContainerSpec.objects.get(service=service).dockerfile == HOSTILE[name]


def test_an_oversized_dockerfile_is_unknown_with_the_reason(fleet):
    service = fleet["prediction-engine"]
    ContainerSpec.objects.filter(service=service).update(dockerfile="#" * (MAX_DOCKERFILE_CHARS + 1))
    scan = compliance_scan(service=service, trigger="manual")
    row = scan.results.get(rule_id="CS-001")
    assert row.status == "unknown" and "over the 262,144 this scanner reads" in row.evidence


def test_a_secret_in_a_crlf_dockerfile_is_still_found_at_its_line(fleet):
    service = fleet["prediction-engine"]
    ContainerSpec.objects.filter(service=service).update(dockerfile=HOSTILE["crlf"])
    row = compliance_scan(service=service, trigger="manual").results.get(rule_id="CS-010")
    assert row.status == "fail" and row.line == 3


def test_a_dockerfile_with_a_nul_character_is_refused_before_it_is_stored(fleet):
    """PostgreSQL cannot store NUL in text; the admin's form says so instead of failing with a 500."""
    from django.forms import modelform_factory

    spec = ContainerSpec.objects.get(service=fleet["prediction-engine"])
    form = modelform_factory(ContainerSpec, fields=["dockerfile"])({"dockerfile": "FROM alpine\x00"}, instance=spec)
    assert not form.is_valid()
    assert "Null characters are not allowed" in str(form.errors["dockerfile"])

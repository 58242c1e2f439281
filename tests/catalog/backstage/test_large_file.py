"""A file at the document limit imports in seconds, and re-imports as unchanged without rewriting rows."""

import time

import pytest

from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import Relation, Service

pytestmark = pytest.mark.django_db


def fleet(n: int) -> str:
    docs = []
    for i in range(n):
        depends = f"  dependsOn: [component:svc-{i - 1}]\n" if i else ""
        docs.append(f"---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-{i}\n"
                    f"  annotations:\n    visionspace.io/image: gcr.io/example/svc-{i}\n"
                    f"    visionspace.io/ports: \"8080\"\n"
                    f"spec:\n  type: service\n  lifecycle: production\n  owner: group:fleet\n{depends}")
    return "".join(docs)


def test_a_thousand_entities_import_and_reimport_quickly(django_assert_max_num_queries):
    text = fleet(1000)
    started = time.perf_counter()
    first = catalog_import_text(text=text, source="repo:fleet")
    import_seconds = time.perf_counter() - started
    assert first.ok and first.created == 1000
    assert Relation.objects.count() == 999
    started = time.perf_counter()
    with django_assert_max_num_queries(12):  # a fixed number, however many entities: no writes, no N+1
        second = catalog_import_text(text=text, source="repo:fleet")
    reimport_seconds = time.perf_counter() - started
    assert second.unchanged == 1000
    assert import_seconds < 30 and reimport_seconds < 30, (import_seconds, reimport_seconds)
    print(f"\n1000 entities: import {import_seconds:.2f} s, re-import {reimport_seconds:.2f} s")
    assert Service.objects.count() == 1000

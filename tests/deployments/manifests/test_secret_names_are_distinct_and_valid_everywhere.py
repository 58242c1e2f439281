"""names.secret_name: one secret per key-manager key, valid in Secret Manager, Kubernetes and Compose."""

from __future__ import annotations

import re

import pytest

from apps.deployments.manifests.names import secret_name, secret_variable

from .tools import HOSTILE

DNS_1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
KEYS = ["daily/api-key", "daily-api/key", "daily-api-key", "DAILY/API/KEY", "k" * 63, "k" * 64, "k" * 300, *HOSTILE]


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
def test_every_key_gives_a_dns_label_and_an_environment_variable(key):
    name = secret_name(key)
    assert DNS_1123_LABEL.fullmatch(name) and len(name) <= 63, repr(name)
    assert re.fullmatch(r"VS_SECRET_[A-Z0-9_]+", secret_variable(key))


def test_a_key_that_is_already_a_label_is_used_as_is():
    assert secret_name("vendor-api-key") == "vendor-api-key"
    assert secret_name("k" * 63) == "k" * 63


def test_keys_that_convert_alike_get_distinct_secrets():
    names = [secret_name(key) for key in KEYS]
    assert len(set(names)) == len(set(KEYS))

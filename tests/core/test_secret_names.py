"""One rule for what names a secret, shared by compliance, the Dockerfile generator and the importer."""

import pytest

from apps.core.sensitive import is_secret_name


@pytest.mark.parametrize("name", [
    "DAILY_API_KEY", "OPENAI_API_KEY", "dbPassword", "GITHUB_TOKEN", "DJANGO_SECRET_KEY", "PRIVATEKEY",
    "AWS_SECRET_ACCESS_KEY", "HF_TOKEN", "SMTP_PASSWD", "GOOGLE_CREDENTIALS", "SECRET",
])
def test_it_flags_names_of_secrets(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", [
    "VISIONSPACE_KEY_PREFIX", "DAILY_API_KEY_FILE", "AWS_ACCESS_KEY_ID", "MAX_TOKENS", "MAX_NEW_TOKENS",
    "NUM_KEYS", "TOKEN_TTL", "PASSWORD_MIN_LENGTH", "SESSION_TIMEOUT", "MODEL_NAME", "", "PORT",
])
def test_it_leaves_names_that_only_point_at_or_measure_secrets(name):
    assert not is_secret_name(name)

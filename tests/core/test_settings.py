"""Production settings come from the environment only, and pass check --deploy cleanly."""

import os
import subprocess
import sys

from tests.support.processes import ROOT
from visionspace_site.settings import celery_url

PRODUCTION = {
    "VISIONSPACE_MODE": "production",
    "SECRET_KEY": "x" * 10 + "-production-secret-for-the-check-only-" + "y" * 20,
    "ALLOWED_HOSTS": "visionspace.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://visionspace.example.com",
    "DATABASE_URL": "postgres://vs@db.internal:5432/visionspace",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items()
        if k not in PRODUCTION and not k.endswith("_FILE") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-docker-secret-" + "z" * 40 + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(secret)}
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY[:21])", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-docker-secret-"


def test_a_malformed_boolean_is_a_clear_error():
    result = manage("check", env=PRODUCTION | {"SECURE_SSL_REDIRECT": "maybe"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT='maybe' is not a boolean" in result.stderr


def test_s3_media_needs_a_bucket():
    result = manage("check", env=PRODUCTION | {"MEDIA_BACKEND": "s3"})
    assert "MEDIA_BACKEND=s3 needs MEDIA_BUCKET" in result.stderr
    ok = manage(
        "shell", "--no-imports", "-c", "from django.core.files.storage import default_storage as s; s._setup(); print(type(s._wrapped).__name__, s.bucket_name)",
        env=PRODUCTION | {"MEDIA_BACKEND": "s3", "MEDIA_BUCKET": "vs-media"},
    )
    assert ok.stdout.split() == ["S3Storage", "vs-media"], ok.stderr


def test_the_channel_layer_pool_is_well_above_the_default():
    from django.conf import settings

    host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    assert host["max_connections"] >= 1000


def test_unix_socket_redis_urls_are_spelled_for_celery():
    assert celery_url("unix:///run/r.sock?db=2") == "redis+socket:///run/r.sock?virtual_host=2"
    assert celery_url("unix:///run/r.sock") == "redis+socket:///run/r.sock?virtual_host=0"
    assert celery_url("redis://h:6379/1") == "redis://h:6379/1"

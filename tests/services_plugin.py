"""Real services for the test suite, set up before Django reads its settings.

* ``REDIS_URL`` set (CI: the machine's Redis): used as it is. Unset: a private Redis is
  started on a unix socket for the session (the same embedded Redis ``make run`` uses).
* Every run gets its own key prefix, so runs never see each other's keys or queues.
* ``VISIONSPACE_REQUIRE_SERVICES=1`` turns "service missing" into a failure, never a skip.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import pytest

_state: dict = {}


def require_services() -> bool:
    return os.environ.get("VISIONSPACE_REQUIRE_SERVICES") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before every plain implementation, pytest-django's included.
    run_dir = Path(tempfile.mkdtemp(prefix="visionspace-test-"))
    _state["run_dir"] = run_dir
    os.environ.setdefault("VISIONSPACE_VAR_DIR", str(run_dir / "var"))
    os.environ.setdefault("VISIONSPACE_KEY_PREFIX", f"t{secrets.token_hex(4)}")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("REDIS_URL"):
        from apps.core.embedded_redis import EmbeddedRedis

        redis = EmbeddedRedis(run_dir / "redis.sock").start()
        _state["redis"] = redis
        os.environ["REDIS_URL"] = redis.url
    return (yield)


def pytest_report_header(config):
    redis = "embedded (private, unix socket)" if "redis" in _state else os.environ.get("REDIS_URL")
    database = os.environ.get("DATABASE_URL") or "SQLite (default)"
    return [f"visionspace: redis={redis} database={database.split('@')[-1]} "
            f"require_services={require_services()} key_prefix={os.environ['VISIONSPACE_KEY_PREFIX']}"]


def pytest_unconfigure(config):
    redis = _state.pop("redis", None)
    if redis:
        redis.stop()

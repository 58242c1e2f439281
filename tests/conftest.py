import pytest
import redis as redis_lib
from django.conf import settings



@pytest.fixture(scope="session", autouse=True)
def redis_is_reachable():
    """Fail (never skip) when the configured Redis does not answer."""
    client = redis_lib.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis_lib.ConnectionError as exc:
        pytest.fail(f"Redis at {settings.REDIS_URL} does not answer ({exc}); start it or unset REDIS_URL.")
    finally:
        client.close()


@pytest.fixture
def redis_client():
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def admin_user(db, django_user_model):
    """An admin as the product expects one: superuser, admin role, two-factor enrolled.

    Replaces pytest-django's fixture, whose admin has no second factor and would be sent
    to set one up by every page (tests of that gate build their own user).
    """
    from tests.support.users import admin_with_mfa

    user = admin_with_mfa(username="admin")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user

import secrets

import pytest
from django.test import Client

from tests.support.users import user_with_role


@pytest.fixture
def stage(db):
    from apps.stage.services import stage_create

    # A fresh slug per test: the stage's event log lives in Redis, which tests do not roll back.
    return stage_create(name="Lobby wall", slug=f"lobby-{secrets.token_hex(4)}")


def signed_in(role: str | None) -> Client:
    client = Client()
    client.force_login(user_with_role(role, username=f"{role or 'norole'}-{secrets.token_hex(3)}"))
    return client


@pytest.fixture
def viewer(db) -> Client:
    return signed_in("viewer")


@pytest.fixture
def operator(db) -> Client:
    return signed_in("operator")


@pytest.fixture
def seeded(db):
    from apps.catalog.services import catalog_seed

    catalog_seed()

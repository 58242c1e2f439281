import pytest

from tests.studio.component_server import component_server


@pytest.fixture
def components():
    with component_server() as server:
        yield server


@pytest.fixture
def private_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def stage(db):
    import secrets

    from apps.stage.services import stage_create

    # A fresh slug per test: the stage's event log lives in Redis, which tests do not roll back.
    return stage_create(name="Lobby wall", slug=f"lobby-{secrets.token_hex(4)}")


@pytest.fixture
def operator(db):
    from tests.support.users import user_with_role

    return user_with_role("operator")


@pytest.fixture
def seeded(db):
    from apps.catalog.services import catalog_seed

    catalog_seed()


@pytest.fixture
def other_stage(db):
    import secrets

    from apps.stage.services import stage_create

    return stage_create(name="Board room", slug=f"board-{secrets.token_hex(4)}")

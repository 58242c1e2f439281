import secrets

import pytest

from tests.support.speech import speech_tools_missing


@pytest.fixture(autouse=True, scope="session")
def speech_tools():
    missing = speech_tools_missing()
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install espeak-ng ffmpeg (the voice tests speak real audio).")


@pytest.fixture
def seeded(db):
    from apps.catalog.services import catalog_seed

    catalog_seed()


def stage_make(*, voice_mode: str = "push_to_talk", prefix: str = "voice"):
    from apps.stage.models import Stage
    from apps.stage.services import stage_create

    # A fresh slug per test: the stage's event log lives in Redis, which tests do not roll back.
    stage = stage_create(name="Voice wall", slug=f"{prefix}-{secrets.token_hex(4)}")
    Stage.objects.filter(pk=stage.pk).update(voice_mode=voice_mode)
    stage.refresh_from_db()
    return stage


@pytest.fixture
def stage(db):
    return stage_make()


@pytest.fixture
def wake_stage(db):
    return stage_make(voice_mode="wake_phrase")


@pytest.fixture
def operator(db):
    from tests.support.users import user_with_role

    return user_with_role("operator", username=f"operator-{secrets.token_hex(3)}")


# Sentences the engine hears right with espeak-ng's default voice (tests/voice/stt holds the engine to
# its accuracy; these tests are about what the pipeline does with what it hears).
REQUEST = "show the fleet overview"
WAKE_REQUEST = "hey vision space show the fleet overview"

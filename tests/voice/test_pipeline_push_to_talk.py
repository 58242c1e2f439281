"""The transport-agnostic pipeline, fed PCM the way a call bot would: push to talk."""

import numpy as np
import pytest

from apps.studio.models import VideoJob
from apps.voice.pipeline import VoiceSession
from tests.support.speech import frames, silence, speak, utterance
from tests.studio.events import payloads
from tests.voice.conftest import REQUEST

pytestmark = pytest.mark.django_db(transaction=True)


def tight(text: str) -> np.ndarray:
    """Half a second of silence, then the sentence cut right after its last sound (espeak-ng pads its end)."""
    speech = speak(text)
    last = np.nonzero(np.abs(speech) > 200)[0][-1]
    return np.concatenate([silence(0.5), speech[:last + 800]])


def say(session: VoiceSession, samples, *, press: bool = True, release: bool = True) -> list[dict]:
    out = session.push_to_talk(True) if press else []
    for frame in frames(samples):
        out += session.feed(frame)
    if release:
        out += session.push_to_talk(False)
    return out


def test_it_turns_a_spoken_request_into_a_job_and_a_caption(stage, operator, seeded):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, utterance(REQUEST))
    kinds = [o["type"] for o in out]
    assert kinds[0] == "listening" and out[0]["speech"] is True
    assert {"type": "listening", "speech": False} in out
    final = out[-1]
    assert final["type"] == "final" and final["text"] == REQUEST
    assert final["ended_by"] == "complete"  # a whole command, then a short silence: before the button came up
    assert set(final["timings"]) == {"vad_end", "stt", "plan", "total"}
    job = VideoJob.objects.get(stage=stage)
    assert str(job.id) == final["job"] and job.requester == operator and job.request == final["text"]
    captions = payloads(stage.group, "stage.caption")
    assert captions[-1] == {"text": final["text"], "final": True}
    session.close()


def test_it_streams_partials_to_the_client_and_the_stage(stage, operator, seeded):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, utterance(REQUEST))
    partials = [o["text"] for o in out if o["type"] == "partial"]
    assert partials and len(set(partials)) == len(partials)
    stage_partials = [p for p in payloads(stage.group, "stage.caption") if not p["final"]]
    assert stage_partials and all(p["text"] in partials for p in stage_partials)
    session.close()


def test_releasing_the_button_ends_the_turn_and_a_second_press_starts_another(stage, operator, seeded):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, tight(REQUEST))
    assert out[-1]["type"] == "final" and out[-1]["ended_by"] == "released"
    out = say(session, utterance(REQUEST))
    assert out[-1]["type"] == "final"
    assert VideoJob.objects.filter(stage=stage).count() == 2
    session.close()


def test_audio_outside_a_press_is_not_listened_to(stage, operator):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    assert say(session, utterance(REQUEST), press=False, release=False) == []
    assert not VideoJob.objects.exists()
    session.close()


def test_a_press_that_hears_nothing_says_so_and_tells_nobody_else(stage, operator):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, silence(1.5))
    assert out == [{"type": "refused", "reason": "no_speech", "text": "", "message": out[0]["message"],
                    "suggestion": None}]
    assert payloads(stage.group, "stage.job") == []
    session.close()


def test_cancel_drops_the_utterance(stage, operator):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, utterance(REQUEST, tail_s=0.0)[:16000 * 2], release=False)
    assert out[0] == {"type": "listening", "speech": True}
    assert session.cancel() == [{"type": "listening", "speech": False}]
    assert session.push_to_talk(False) == []
    assert not VideoJob.objects.exists()
    session.close()


def test_it_stops_listening_at_the_longest_utterance(stage, operator, settings):
    settings.VOICE_MAX_UTTERANCE_SECONDS = 2
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    long_talk = utterance("show me the flight memory system status and the ground station uptime and the "
                          "deployments of the telemetry service over the last week", tail_s=0.0)
    out = say(session, long_talk, release=False)
    ends = [o for o in out if o["type"] in {"final", "refused"}]
    assert len(ends) == 1 and ends[0].get("ended_by", "max_length") == "max_length"
    assert session.push_to_talk(False) == []
    session.close()


def test_a_sound_that_is_not_words_is_refused_with_the_engines_message(stage, operator, seeded):
    """A whistle: the VAD takes it for a voice, the recogniser hears no request in it."""
    whistle = (3000 * np.sin(2 * np.pi * 220 * np.arange(16000) / 16000)).astype(np.int16)
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, np.concatenate([silence(0.8), whistle, silence(1.0)]))
    refused = out[-1]
    assert out[0] == {"type": "listening", "speech": True}
    assert refused["type"] == "refused" and refused["reason"] == "not_understood"
    assert refused["message"].startswith("Sorry, I didn't catch that — try “")
    assert set(refused["timings"]) == {"vad_end", "stt"}
    jobs = payloads(stage.group, "stage.job")
    assert jobs[-1]["state"] == "refused" and jobs[-1]["message"] == refused["message"]
    assert not VideoJob.objects.exists()
    session.close()


def test_a_service_the_catalogue_does_not_have_is_refused_as_one(stage, operator, seeded):
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    out = say(session, utterance("show me the ollama status"))
    refused = out[-1]
    assert refused["type"] == "refused" and refused["reason"] == "not_understood", out
    assert refused["message"].startswith("Sorry, that isn't a service in the catalogue — try “")
    assert "…" in refused["text"].split()  # the decoy is never shown as if it were a name
    jobs = payloads(stage.group, "stage.job")
    assert jobs[-1]["state"] == "refused" and jobs[-1]["message"] == refused["message"]
    assert not VideoJob.objects.exists()
    session.close()

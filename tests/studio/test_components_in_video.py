"""component_url end to end: a real component server contributes a scene that is in the rendered
video (its frame and its captions); a malformed and a hanging component are skipped with a
note on the stage and the video is made without them."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import av
import pytest
from django.conf import settings
from PIL import Image, ImageChops, ImageStat

from apps.catalog.models import Service
from apps.stage.services import stage_create
from apps.studio.models import JobState
from apps.studio.scenes import scene_draw
from apps.studio.services import job_request
from apps.studio.storyboard import Storyboard
from tests.studio.component_server import VALID_SCENE
from tests.studio.events import is_job, payloads, wait_for_event
from tests.support import processes
from tests.support.users import user_with_role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZE = (1920, 1080)


def cues(path: Path) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":") if stamp.count(":") == 2 else ("0", *stamp.split(":"))
        return int(h) * 3600 + int(m) * 60 + float(s)

    found = []
    for block in path.read_text().split("\n\n"):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            match = re.match(r"([\d:.]+) --> ([\d:.]+)", line)
            if match:
                found.append((seconds(match[1]), seconds(match[2]), " ".join(lines[i + 1:])))
    return found


def frame_at(mp4: Path, t: float) -> Image.Image:
    with av.open(str(mp4)) as container:
        stream = container.streams.video[0]
        container.seek(int(t / stream.time_base), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time >= t:
                return frame.to_image()
    raise AssertionError(f"no frame at {t} s")


def difference(a: Image.Image, b: Image.Image) -> float:
    small = (192, 108)
    a, b = a.convert("L").resize(small), b.convert("L").resize(small)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def point(slug: str, url: str) -> None:
    Service.objects.filter(slug=slug).update(component_url=url)


def test_a_component_scene_is_in_the_video_and_bad_ones_are_skipped_with_a_note(seeded, components):
    stage = stage_create(name="Component wall", slug=f"comp-{secrets.token_hex(4)}")
    operator = user_with_role("operator")
    point("dr-lucy-flight-memory", components.url + "/valid")
    point("visionspace-automation-hub", components.url + "/malformed")
    point("daily-video-automation", components.url + "/hang")
    with processes.celery_worker(processes.subprocess_env(OUTBOUND_ALLOW_PRIVATE="true")):
        good = job_request(stage=stage, requester=operator, text="show me the flight memory system status")
        malformed = job_request(stage=stage, requester=operator, text="show me the status of the hub")
        hanging = job_request(stage=stage, requester=operator, text="show me the daily video status")
        for job in (good, malformed, hanging):
            wait_for_event(stage.group, is_job(job.pk, "ready", "failed"), timeout=120)
    for job in (good, malformed, hanging):
        job.refresh_from_db()
        assert job.state == JobState.READY, job.error

    # The good component's scene is in the storyboard, the captions and the picture.
    board = Storyboard.from_dict(good.storyboard)
    (component,) = [s for s in board.scenes if s.kind == "component"]
    assert component.data == VALID_SCENE and component.narration == VALID_SCENE["narration"]
    root = Path(settings.MEDIA_ROOT)
    spoken = [(start, end) for start, end, text in cues(root / good.captions) if text in VALID_SCENE["narration"]]
    assert spoken, "the component's narration is not in the captions"
    middle = (spoken[0][0] + spoken[-1][1]) / 2
    frame = frame_at(root / good.mp4, middle)
    expected, title = scene_draw(scene=component, size=SIZE), scene_draw(scene=board.scenes[0], size=SIZE)
    assert difference(frame, expected) < 6 < difference(frame, title)
    sent = components.requests[0]["body"]
    assert sent == {"v": 1, "request": "show me the flight memory system status", "service": "dr-lucy-flight-memory",
                    "size": [1920, 1080]}

    # The bad ones: no component scene, a note each, on the stage and on the job.
    notes = [n["message"] for n in payloads(stage.group, "stage.note")]
    assert "Component from visionspace-automation-hub skipped: its answer is not JSON." in notes
    assert "Component from daily-video-automation skipped: timed out after 2 s." in notes
    for job in (malformed, hanging):
        assert [s for s in job.storyboard["scenes"] if s["kind"] == "component"] == []
        assert len(job.notes) == 1 and job.notes[0] in notes
    assert hanging.timings["components"] < 2.5

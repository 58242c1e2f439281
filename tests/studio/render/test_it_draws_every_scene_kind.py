"""Scene components: every kind draws a full frame in the palette; hostile text stays inside it."""

import pytest
from PIL import Image, ImageStat

from apps.studio.scenes import SCENE_DRAWERS, scene_draw
from apps.studio.scenes.canvas import PALETTE
from apps.studio.scenes.typography import ELLIPSIS, font, text_wrap
from apps.studio.storyboard import SCENE_KINDS, Scene

LONG = "Supercalifragilistic" * 30
RTL = "שירות ניהול מפתחות — مدير المفاتيح العالمي"
EMOJI = "🚀🔥 deploy ✅❌ 👩‍💻 🇪🇺"
SCRIPT = "<script>alert(document.cookie)</script>{{ settings.SECRET_KEY }} %s %(x)s \x00\x1b[31m"
HOSTILE = f"{LONG} {RTL} {EMOJI} {SCRIPT}"

TYPICAL = {
    "title": {"heading": "The VisionSpace fleet", "subheading": "22 services"},
    "service_card": {"slug": "key-manager", "name": "Universal AI Key Manager", "purpose": "Keeps keys safe.",
                     "status": "containerised", "image": "ghcr.io/vs/keys:1.2", "replicas": 3,
                     "region": "europe-west1", "compliance_level": "gold", "health": "up"},
    "fleet_overview": {"total": 22, "by_status": {"containerised": 14, "needs_containerisation": 8},
                       "by_category": {"vls": 12, "integration": 10}, "levels": {"gold": 5, "none": 17}},
    "comparison": {"metric": "Memory", "unit": "MiB", "items": [{"label": "api", "value": 512},
                                                                {"label": "worker", "value": 1024}]},
    "deployments": {"service": "api", "events": [{"at": "10:00", "label": "Deploy r3", "state": "succeeded"}]},
    "compliance_table": {"service": "api", "level": "silver", "score": 86,
                         "rows": [{"rule_id": "CS-001", "title": "Non-root user", "status": "pass",
                                   "evidence": "USER 10001"}]},
    "health_chart": {"service": "api", "status": "up", "uptime_percent": 99.5, "buckets": [1.0, 0.9, None, 0.4]},
    "text": {"heading": "Notes", "lines": ["One", "Two"]},
    "component": {"v": 1, "title": "Latency", "layout": "metrics", "metrics": [{"label": "p95", "value": 120,
                                                                                  "unit": "ms"}]},
}


def hostile_data(kind: str) -> dict:
    """Every field of the kind's typical data replaced by hostile text, lists made long."""
    def poison(value, *, top=False):
        if isinstance(value, dict) and kind == "fleet_overview" and not top:
            return {f"{HOSTILE[:60]}{i}": n for i, n in enumerate(value.values())}  # status names are text too
        if isinstance(value, dict):
            return {k: poison(v) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(value[0]) for _ in range(40)] if value else value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return HOSTILE
    return poison(TYPICAL[kind], top=True)


def margins_are_background(image: Image.Image, *, width: int) -> bool:
    w, h = image.size
    strips = [(0, 0, w, width), (0, h - width, w, h), (0, 0, width, h), (w - width, 0, w, h)]
    bg = PALETTE["bg"]
    return all(image.crop(box).getcolors(1 << 20) == [(image.crop(box).size[0] * image.crop(box).size[1], bg)]
               for box in strips)


def test_every_scene_kind_has_a_component():
    assert set(SCENE_DRAWERS) == set(SCENE_KINDS)


@pytest.mark.parametrize("kind", SCENE_KINDS)
def test_it_draws_each_kind_in_the_palette(kind):
    scene = Scene(kind=kind, title=f"A {kind} scene", narration="words", duration_s=4, data=TYPICAL[kind])
    image = scene_draw(scene=scene, size=(1920, 1080))
    assert image.mode == "RGB" and image.size == (1920, 1080)
    assert image.getpixel((5, 5)) == PALETTE["bg"]
    mean, brightest = ImageStat.Stat(image.convert("L")).mean[0], image.convert("L").getextrema()[1]
    assert brightest > 200 and mean > 6, "the scene shows something"
    assert margins_are_background(image, width=40)


@pytest.mark.parametrize("kind", SCENE_KINDS)
def test_hostile_text_stays_inside_the_frame(kind):
    scene = Scene(kind=kind, title=HOSTILE, narration=HOSTILE, duration_s=4, data=hostile_data(kind))
    image = scene_draw(scene=scene, size=(1920, 1080))
    assert image.size == (1920, 1080)
    assert margins_are_background(image, width=40)


@pytest.mark.parametrize("kind", SCENE_KINDS)
def test_empty_and_mistyped_data_still_draws(kind):
    for data in ({}, {key: None for key in TYPICAL[kind]}, {key: 12 for key in TYPICAL[kind]}):
        scene = Scene(kind=kind, title="", narration="", duration_s=4, data=data)
        assert scene_draw(scene=scene, size=(1280, 720)).size == (1280, 720)


@pytest.mark.parametrize("text", [LONG, RTL, EMOJI, SCRIPT, HOSTILE, "a " * 500])
def test_wrapped_lines_fit_their_width(text):
    face = font(size=48)
    lines = text_wrap(text=text, face=face, max_width=700, max_lines=3)
    assert 1 <= len(lines) <= 3
    assert all(face.getlength(line) <= 700 for line in lines)
    assert "\x00" not in "".join(lines) and "\x1b" not in "".join(lines)
    if len(text) > 200:
        assert lines[-1].endswith(ELLIPSIS)


def test_it_scales_to_4k():
    scene = Scene(kind="title", title="t", narration="", duration_s=4, data=TYPICAL["title"])
    small, large = scene_draw(scene=scene, size=(1920, 1080)), scene_draw(scene=scene, size=(3840, 2160))
    difference = ImageStat.Stat(Image.eval(large.resize((1920, 1080)).convert("L"), lambda v: v)).mean[0] - \
        ImageStat.Stat(small.convert("L")).mean[0]
    assert abs(difference) < 2, "the 4K frame is the 1080p design, twice the pixels"

import shutil
from pathlib import Path

import pytest

from apps.studio.storyboard import Scene, Storyboard


@pytest.fixture(scope="session", autouse=True)
def media_tools_installed():
    """Fail (never skip) without the programs the renderer and these tests run."""
    missing = [name for name in ("espeak-ng", "ffprobe") if shutil.which(name) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: apt-get install espeak-ng ffmpeg (CI installs them).")
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.fail("DejaVu fonts missing: apt-get install fonts-dejavu-core (CI installs it).")


def storyboard_three() -> Storyboard:
    """Three 4-second scenes in three different colours of the palette, each with a short line."""
    return Storyboard(request="show me the fleet", summary="The fleet in three scenes", scenes=(
        Scene(kind="title", title="The fleet", narration="Here is the VisionSpace fleet.", duration_s=4,
              data={"heading": "The VisionSpace fleet", "subheading": "Twenty-two services, watched live"}),
        Scene(kind="fleet_overview", title="Fleet overview", narration="Fourteen services are containerised.",
              duration_s=4, data={"total": 22, "by_status": {"containerised": 14, "needs_containerisation": 5,
                                                              "integration_needed": 3},
                                  "by_category": {"vls": 12, "diamond_cli": 6, "integration": 4},
                                  "levels": {"gold": 5, "silver": 6, "bronze": 4, "none": 7}}),
        Scene(kind="health_chart", title="Key manager health", narration="The key manager has been up all week.",
              duration_s=4, data={"service": "Key manager", "status": "up", "uptime_percent": 99.9,
                                  "buckets": [1.0] * 40 + [0.95, None, 0.5] + [1.0] * 20}),
    ))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """One 1080p render of the three-scene storyboard, with every callback recorded."""
    from apps.studio.render import playback_start, video_render

    out_dir = tmp_path_factory.mktemp("render") / "job"
    segments, progress = [], []

    def on_segment(path: Path) -> None:
        playlist = (out_dir / "index.m3u8").read_text()
        segments.append({"path": path, "exists": path.is_file(), "playlist": playlist,
                         "start": playback_start(out_dir=out_dir), "steps_before": [step for step, _ in progress]})

    output = video_render(storyboard=storyboard_three(), out_dir=out_dir, on_segment=on_segment,
                          on_progress=lambda step, fraction: progress.append((step, fraction)))
    return {"output": output, "segments": segments, "progress": progress, "storyboard": storyboard_three()}

"""Reading what the renderer wrote, with the real tools: ffprobe, PyAV, the MP4 box layout."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from array import array
from pathlib import Path

import av
from PIL import Image, ImageChops, ImageStat


def probe(*, path: Path) -> dict:
    if shutil.which("ffprobe") is None:
        raise AssertionError("ffprobe is missing: apt-get install ffmpeg (CI installs it).")
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stream_of(*, info: dict, kind: str) -> dict:
    streams = [s for s in info["streams"] if s["codec_type"] == kind]
    assert len(streams) == 1, f"expected one {kind} stream, found {len(streams)}"
    return streams[0]


def top_level_boxes(*, path: Path) -> list[str]:
    """The MP4's top-level box types in file order (ftyp, moov, mdat, ...)."""
    data = path.read_bytes()
    boxes, at = [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[at + 8:at + 16], "big")
        elif size == 0:
            size = len(data) - at
        assert size >= 8, f"bad box size {size} at {at}"
        boxes.append(kind)
        at += size
    return boxes


def first_video_frame(*, path: Path) -> Image.Image:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            return frame.to_image()
    raise AssertionError(f"no video frame in {path}")


def video_frame_at(*, path: Path, seconds: float) -> Image.Image:
    """The frame on screen at ``seconds`` (the last one starting at or before it)."""
    shown = None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time > seconds + 1e-6:
                break
            shown = frame.to_image()
    assert shown is not None
    return shown


def mean_difference(*, first: Image.Image, second: Image.Image) -> float:
    """Mean absolute difference per channel (0–255) of two pictures at thumbnail size."""
    a, b = first.convert("RGB").resize((192, 108)), second.convert("RGB").resize((192, 108))
    diff = ImageChops.difference(a, b)
    return sum(ImageStat.Stat(diff).mean) / 3


def luminance(*, image: Image.Image) -> tuple[float, int]:
    """Mean and maximum luma (0–255)."""
    grey = image.convert("L")
    return ImageStat.Stat(grey).mean[0], grey.getextrema()[1]


def audio_rms(*, path: Path, start_s: float, end_s: float) -> float:
    """Root mean square of the audio between two times, as a fraction of full scale."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
    samples = array("h")
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunk = array("h")
                chunk.frombytes(bytes(out.planes[0])[: out.samples * 2])
                samples.extend(chunk)
    window = samples[round(start_s * 48_000):round(end_s * 48_000)]
    assert len(window) > 0, "no audio in that window"
    return (sum(v * v for v in window) / len(window)) ** 0.5 / 32768


CUE_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def webvtt_cues(*, text: str) -> list[tuple[float, float, str]]:
    """Parse a WebVTT file strictly enough to catch mistakes: header, timings, cue text."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0].startswith("WEBVTT"), "a WebVTT file starts with WEBVTT"
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        match = CUE_TIME.match(lines[0])
        assert match, f"bad cue timing line {lines[0]!r}"
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        body = "\n".join(lines[1:])
        assert body and "-->" not in body
        cues.append((start, end, body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")))
    return cues


def playlist_segments(*, text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]

"""``health_chart``: a service's uptime and its probe results per hour.

data: {"service", "status", "uptime_percent", "buckets": [float|None]}; a bucket is the ratio of
ok probes in one clock hour (0..1, oldest first), None when no probe ran that hour.
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, Box, frame_new, number_parse, pill_draw, tone
from .typography import lines_draw, text_clean, text_wrap

MAX_BUCKETS = 168


def _bucket_colour(*, ratio: float) -> tuple[int, int, int]:
    if ratio >= 0.99:
        return PALETTE["ok"]
    return PALETTE["warn"] if ratio >= 0.9 else PALETTE["bad"]


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content

    uptime = number_parse(value=data.get("uptime_percent"))
    big = frame.face(120, bold=True)
    uptime_text = f"{uptime:.2f}%" if uptime is not None else "no data"
    frame.draw.text((box.left, box.top - px(28)), uptime_text, font=big,
                    fill=_bucket_colour(ratio=uptime / 100) if uptime is not None else PALETTE["muted"])
    right = box.left + big.getlength(uptime_text) + px(40)
    frame.draw.text((right, box.top + px(4)), "uptime", font=frame.face(40), fill=PALETTE["muted"])
    status = data.get("status")
    pill_draw(frame=frame, x=right, y=box.top + px(62), text=status, colour=tone(status=status), size=32,
              max_width=box.right - right)
    service_face = frame.face(40)
    service_left = right + px(260)
    lines_draw(draw=frame.draw, lines=text_wrap(text=data.get("service"), face=service_face,
                                                max_width=max(1, box.right - service_left), max_lines=1),
               face=service_face, x=service_left, y=box.top + px(4), width=box.right - service_left, fill=PALETTE["text"],
               align="end")

    buckets = data.get("buckets") if isinstance(data.get("buckets"), list) else []
    chart = Box(left=box.left, top=box.top + px(190), right=box.right, bottom=box.bottom - px(56))
    _bars_draw(frame=frame, box=chart, buckets=buckets[-MAX_BUCKETS:])
    note = frame.face(30)
    count = len(buckets[-MAX_BUCKETS:])
    frame.draw.text((chart.left, chart.bottom + px(14)), text_clean(f"last {count} hours, oldest first") if count else
                    "no probes yet", font=note, fill=PALETTE["muted"])
    return frame.image


def _bars_draw(*, frame, box: Box, buckets: list) -> None:
    px = frame.px
    frame.draw.rectangle((box.left, box.bottom, box.right, box.bottom + px(3)), fill=PALETTE["border"])
    if not buckets:
        return
    slot = box.width / len(buckets)
    gap = min(px(6), slot * 0.2)
    for index, value in enumerate(buckets):
        ratio = number_parse(value=value)
        left, right = box.left + index * slot + gap / 2, box.left + (index + 1) * slot - gap / 2
        if ratio is None:
            frame.draw.rectangle((left, box.bottom - px(10), right, box.bottom), fill=PALETTE["panel_2"])
            continue
        ratio = min(max(ratio, 0.0), 1.0)
        top = box.bottom - max(px(10), box.height * ratio)
        frame.draw.rectangle((left, top, right, box.bottom), fill=_bucket_colour(ratio=ratio))

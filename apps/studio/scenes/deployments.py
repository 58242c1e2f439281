"""``deployments``: a service's recent deployment events as a timeline.

data: {"service", "events": [{"at", "label", "state"}]}
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, centred_note_draw, frame_new, pill_draw, tone
from .typography import line_height, lines_draw, text_clean, text_wrap

MAX_EVENTS = 6


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content
    events = [e for e in (data.get("events") if isinstance(data.get("events"), list) else []) if isinstance(e, dict)]
    service = text_clean(data.get("service"), limit=80)
    if not events:
        centred_note_draw(frame=frame, text=f"No deployments of {service} yet." if service else "No deployments yet.")
        return frame.image
    shown = events[-MAX_EVENTS:]
    slot = min(px(120), box.height / len(shown))
    rail = box.left + px(24)
    frame.draw.rectangle((rail - px(3), box.top + slot / 2, rail + px(3), box.top + slot * (len(shown) - 0.5)),
                         fill=PALETTE["border"])
    when_face, label_face = frame.face(32, mono=True), frame.face(42, bold=True)
    when_width = box.width * 0.26
    pill_room = box.width * 0.24
    for index, event in enumerate(shown):
        middle = box.top + slot * index + slot / 2
        dot = px(26)
        colour = tone(status=event.get("state"))
        frame.draw.ellipse((rail - dot / 2, middle - dot / 2, rail + dot / 2, middle + dot / 2), fill=colour)
        x = rail + px(48)
        when = text_wrap(text=event.get("at"), face=when_face, max_width=when_width - px(24), max_lines=1)
        lines_draw(draw=frame.draw, lines=when, face=when_face, x=x, y=middle - line_height(face=when_face) / 2,
                   width=when_width, fill=PALETTE["muted"])
        x += when_width
        label_width = box.right - x - pill_room
        label = text_wrap(text=event.get("label"), face=label_face, max_width=label_width - px(24), max_lines=1)
        lines_draw(draw=frame.draw, lines=label, face=label_face, x=x, y=middle - line_height(face=label_face) / 2,
                   width=label_width, fill=PALETTE["text"])
        pill_draw(frame=frame, x=box.right - pill_room + px(12), y=middle - px(26), text=event.get("state"), colour=colour,
                  size=30, max_width=pill_room - px(12))
    return frame.image

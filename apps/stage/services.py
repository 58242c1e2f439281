"""Writes of stages (the admin edits them too; a stage's slug names its event group)."""

from __future__ import annotations

from .models import OnBusy, Stage


def stage_create(*, name: str, slug: str, on_busy: str = OnBusy.QUEUE, max_request_chars: int = 300,
                 max_scenes: int = 8) -> Stage:
    stage = Stage(name=name, slug=slug, on_busy=on_busy, max_request_chars=max_request_chars, max_scenes=max_scenes)
    stage.full_clean()
    stage.save()
    return stage

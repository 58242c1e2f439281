"""Writes of stages (the admin edits them too; a stage's slug names its event group)."""

from __future__ import annotations

from .models import OnBusy, Stage, VoiceMode


def stage_create(*, name: str, slug: str, on_busy: str = OnBusy.QUEUE, max_request_chars: int = 300,
                 max_scenes: int = 8, voice_mode: str = VoiceMode.PUSH_TO_TALK) -> Stage:
    stage = Stage(name=name, slug=slug, on_busy=on_busy, max_request_chars=max_request_chars, max_scenes=max_scenes,
                  voice_mode=voice_mode)
    stage.full_clean()
    stage.save()
    return stage

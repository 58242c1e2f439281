"""Writes of the voice app: what a finished utterance does to its stage.

Sync functions, called from the voice worker threads (never from the event loop).
"""

from __future__ import annotations

from apps.stage.models import Stage
from apps.studio.models import VideoJob
from apps.studio.publish import caption_announce, refusal_announce
from apps.studio.services import job_request


def utterance_submit(*, stage: Stage, requester, text: str) -> VideoJob:
    """A recognised request becomes a job exactly as a typed one does (caption, plan, queue); RequestRefused otherwise."""
    return job_request(stage=stage, requester=requester, text=text)


def utterance_refuse(*, stage: Stage, heard: str, message: str, suggestion: str | None) -> None:
    """Tell everyone watching that what was said will not be acted on, and what would work."""
    refusal_announce(stage=stage, request=heard, message=message, suggestions=[suggestion] if suggestion else [])


def caption_partial_announce(*, stage: Stage, text: str) -> None:
    caption_announce(stage=stage, text=text, final=False)

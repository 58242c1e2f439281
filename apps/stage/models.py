"""A stage is a named big screen ("lobby wall"); each has its own websocket group and limits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

RESERVED_SLUGS = frozenset({"media"})  # /stage/media/... serves render files


def stage_slug_validator(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"{value!r} is reserved for the stage's own URLs; choose another slug.")


class OnBusy(models.TextChoices):
    QUEUE = "queue", "Queue the new request behind the current one"
    REPLACE = "replace", "Cancel the current request and start the new one"


class VoiceMode(models.TextChoices):
    OFF = "off", "Off: no microphone on this stage"
    PUSH_TO_TALK = "push_to_talk", "Push to talk: speak while holding the button"
    WAKE_PHRASE = "wake_phrase", "Wake phrase: always listening for “VisionSpace, …”"


class Stage(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=40, unique=True, validators=[stage_slug_validator], help_text="In the page's URL (/stage/<slug>/) and its event group stage.<slug>.")
    on_busy = models.CharField(max_length=10, choices=OnBusy.choices, default=OnBusy.QUEUE,
                               help_text="What a request does while another one is being made.")
    max_request_chars = models.PositiveSmallIntegerField(
        default=300, validators=[MinValueValidator(10), MaxValueValidator(2000)],
        help_text="Longer requests are refused with a message.")
    max_scenes = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text="A storyboard with more scenes keeps the first ones, and the stage says so.")
    voice_mode = models.CharField(
        max_length=20, choices=VoiceMode.choices, default=VoiceMode.PUSH_TO_TALK,
        help_text="How spoken requests reach this stage (docs/voice.md). Wake phrase keeps the microphone open "
                  "and acts only on utterances that begin with “VisionSpace”; anything else said in the room is ignored.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> str:
        return f"stage.{self.slug}"

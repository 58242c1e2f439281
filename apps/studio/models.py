"""VideoJob: one request for a video on one stage, from typed text (or, later, speech) to files.

States: queued → planning → rendering → ready, or failed / cancelled from any of the first
three. Only services change a job's state, each with a conditional UPDATE, so two workers
can never both make a job ready; at most one job per stage is planning or rendering (a
partial unique index says so to the database itself).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    PLANNING = "planning", "Planning"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (JobState.PLANNING, JobState.RENDERING)
OPEN_STATES = (JobState.QUEUED, *ACTIVE_STATES)
FINAL_STATES = (JobState.READY, JobState.FAILED, JobState.CANCELLED)


class VideoJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.ForeignKey("stage.Stage", on_delete=models.CASCADE, related_name="jobs")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="video_jobs")
    request = models.TextField()
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    storyboard = models.JSONField(default=dict, blank=True, help_text="apps.studio.storyboard.Storyboard.to_dict()")
    notes = models.JSONField(default=list, blank=True, help_text="What the stage was told along the way (skipped components, trimmed scenes).")
    error = models.TextField(blank=True)
    step = models.CharField(max_length=40, blank=True, help_text="The current step, as the renderer names it.")
    fraction = models.FloatField(default=0.0)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step.")
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, help_text="host and pid of the current attempt")
    # Relative to MEDIA_ROOT: renders/<job id>/a<attempt>/...
    playlist = models.CharField(max_length=200, blank=True)
    mp4 = models.CharField(max_length=200, blank=True)
    captions = models.CharField(max_length=200, blank=True)
    poster = models.CharField(max_length=200, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="when the current attempt started")
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"], condition=Q(state__in=["planning", "rendering"]), name="studio_one_active_job_per_stage",
                violation_error_message="Another request is being made on this stage.",
            ),
            models.CheckConstraint(condition=Q(fraction__gte=0) & Q(fraction__lte=1), name="studio_job_fraction_0_1"),
        ]
        indexes = [models.Index(fields=["stage", "state", "created_at"], name="studio_job_stage_state")]

    def __str__(self) -> str:
        return f"{self.request[:60]} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def expired(self) -> bool:
        """Ready, but its files were deleted after the retention period (renders_expire)."""
        return self.state == JobState.READY and not self.mp4

    def attempt_dir(self, attempt: int | None = None) -> str:
        return f"renders/{self.id}/a{attempt or self.attempts}"

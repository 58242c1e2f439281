"""Celery wrappers: the work is in runner.py and services.py."""

from celery import shared_task
from django.conf import settings

from .runner import job_run
from .services import jobs_reap


# acks_late + reject_on_worker_lost: a worker killed mid-render gives the message back,
# redelivered, and job_claim starts a new attempt (or fails the job after the last one).
# The soft limit is the render timeout; the hard one kills an attempt stuck in C code.
@shared_task(name="studio.job_run", bind=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.STUDIO_RENDER_TIMEOUT_SECONDS,
             time_limit=settings.STUDIO_RENDER_TIMEOUT_SECONDS + 30)
def job_run_task(self, job_id: str) -> None:
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    job_run(job_id=job_id, redelivered=redelivered)


@shared_task(name="studio.jobs_reap", acks_late=True)
def jobs_reap_task() -> int:
    return jobs_reap()


@shared_task(name="studio.renders_prune")
def renders_prune_task() -> int:
    """Expire ready videos older than STUDIO_RENDER_RETENTION_DAYS, then delete render folders that
    no job links to any more and nothing touched for that long (beat, hourly)."""
    from datetime import timedelta
    from pathlib import Path

    from .render import renders_prune
    from .selectors import job_ids_with_files
    from .services import renders_expire

    retention = timedelta(days=settings.STUDIO_RENDER_RETENTION_DAYS)
    renders_expire(older_than=retention)
    return renders_prune(root=Path(settings.MEDIA_ROOT) / "renders", older_than=retention, keep=job_ids_with_files())

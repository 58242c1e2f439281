"""Renders older than the retention setting are deleted by the hourly task; newer ones stay."""

import os
import time
from pathlib import Path

from apps.studio.tasks import renders_prune_task


def test_the_task_deletes_only_renders_older_than_the_retention(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STUDIO_RENDER_RETENTION_DAYS = 7
    old, new = tmp_path / "renders" / "old-job", tmp_path / "renders" / "new-job"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "video.mp4").write_bytes(b"\x00" * 16)
    eight_days_ago = time.time() - 8 * 24 * 3600
    for path in (old / "video.mp4", old):
        os.utime(path, (eight_days_ago, eight_days_ago))
    assert renders_prune_task.apply().get() == 1
    assert not old.exists() and Path(new, "video.mp4").exists()

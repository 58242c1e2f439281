"""Renders are kept for a while (the pop-up may be replayed), then removed by age."""

from __future__ import annotations

import shutil
import time
from collections.abc import Collection
from datetime import timedelta
from pathlib import Path


def _last_change(*, directory: Path) -> float:
    """The newest mtime of the directory and everything in it: a render still being written is young."""
    newest = directory.stat().st_mtime
    for path in directory.rglob("*"):
        try:
            newest = max(newest, path.lstat().st_mtime)
        except FileNotFoundError:
            continue
    return newest


def renders_prune(*, root: Path, older_than: timedelta, keep: Collection[str] = ()) -> int:
    """Delete each render directory directly under ``root`` untouched for ``older_than``, except
    those named in ``keep`` (jobs whose links are still handed out); returns how many."""
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for directory in root.iterdir():
        if directory.is_symlink() or not directory.is_dir() or directory.name in keep:
            continue
        if _last_change(directory=directory) < cutoff:
            shutil.rmtree(directory, ignore_errors=True)
            removed += not directory.exists()
    return removed

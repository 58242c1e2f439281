"""A one-line progress bar for the management commands, drawn only on a terminal."""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """Callable as ``progress(done, total, entity_ref)``; redraws at most every 50 ms, and always at the end."""

    def __init__(self, stream: TextIO, *, label: str, enabled: bool | None = None):
        self.stream = stream
        self.label = label
        self.enabled = stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, entity_ref: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.05:
            return
        self._last = now
        filled = WIDTH * done // total if total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {entity_ref[:50]:<50}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

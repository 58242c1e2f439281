"""Garbage-collector settings for the web (Daphne) process, applied once it has loaded.

Why: a broadcast to 1,000 sockets runs in one Python thread. CPython's cyclic collector
runs whenever tracked allocations outnumber deallocations by ``threshold0`` (700); each
young collection promotes whatever is alive at that moment (sockets' in-flight tasks,
buffers, futures) to the older generations, and once enough has piled up there a full
collection walks the *whole* heap: Django, every imported module, every connection.
Measured in the stock web process: full collections of 95-210 ms about once a second
under broadcast load, i.e. some broadcasts paid for one (docs/benchmarks.md).

What (``tune_gc_for_serving``), after the ASGI application is imported:

1. ``gc.collect()`` then ``gc.freeze()``: everything alive after start-up (modules,
   settings, URL resolvers, templates: the bulk of the heap, and it lives as long as the
   process anyway) moves to the permanent generation, which collections never walk. What
   was garbage is collected first, so nothing is frozen that could have been freed.
2. ``gc.set_threshold(THRESHOLDS)``: young collections every 20,000 net allocations
   instead of 700, so that short-lived objects of a broadcast die by reference counting
   before a collection can promote them; older generations as in CPython (10, 10).

The memory this costs is bounded and measured: at most ``threshold0`` young objects more
between collections; the figures are in docs/benchmarks.md ("ws_broadcast"). Cyclic
garbage is still collected, just in fewer, larger young passes.

Where: ``visionspace_site/asgi.py`` calls :func:`serving_started`, which applies it in a
Daphne process only (``daphne ... visionspace_site.asgi:application``, the image's web
role, ``runstack``) and never in processes that merely import the application (tests,
management commands, Celery). ``VISIONSPACE_WEB_GC=off`` leaves CPython's defaults
(for comparison, or if it ever misbehaves); ``on`` applies it under another server too.
"""

from __future__ import annotations

import gc
import os
import sys
import time

THRESHOLDS = (20_000, 10, 10)
ENV = "VISIONSPACE_WEB_GC"

_applied = False


def is_daphne_process() -> bool:
    main = os.path.basename(sys.argv[0]) if sys.argv else ""
    if main == "daphne":
        return True  # the console script (the image's web role)
    # ``python -m daphne``: argv[0] is daphne/__main__.py
    return main == "__main__.py" and os.path.basename(os.path.dirname(sys.argv[0])) == "daphne"


def serving_started() -> bool:
    """Apply the web process's GC settings if this process serves (see the module doc)."""
    mode = os.environ.get(ENV, "auto").strip().lower()
    if mode in {"off", "0", "false", "no"}:
        return False
    if mode == "auto" and not is_daphne_process():
        return False
    return tune_gc_for_serving()


def tune_gc_for_serving(thresholds: tuple[int, int, int] = THRESHOLDS) -> bool:
    global _applied
    if _applied:
        return False
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)
    _applied = True
    return True


class GcPauses:
    """Records every collection's generation and duration (``gc.callbacks``): diagnostics."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []  # (generation, seconds)
        self._started = 0.0

    def install(self) -> "GcPauses":
        gc.callbacks.append(self._callback)
        return self

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))

    def summary(self, since: int = 0) -> dict:
        out: dict = {}
        for generation in (0, 1, 2):
            times = sorted(t for g, t in self.pauses[since:] if g == generation)
            out[f"gen{generation}"] = {
                "count": len(times),
                "max_ms": round(times[-1] * 1000, 1) if times else 0.0,
                "total_ms": round(sum(times) * 1000, 1),
            }
        return out

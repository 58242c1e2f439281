#!/usr/bin/env python
"""Spoken-command accuracy and out-of-grammar rejection of the offline speech-to-text engine.

Run from the project root: ``.venv/bin/python bench/voice_accuracy.py`` (``--tune`` also
prints the rejection threshold and the decoy margin that the training half of the sentences
suggests). See
docs/benchmarks.md ("voice_accuracy") for the figures so far.

The suite is tests/voice/stt/corpus.py: 48 commands about the seed services, 20 sentences
the grammar must refuse and 20 held-out near misses (a command's shape, a name the catalogue
does not have), spoken by espeak-ng in two voices and speeds (en-us at 150 wpm,
en-gb at 170 wpm), clean and with white noise at 20 dB SNR, fed to the recognizer in 20 ms
frames as the browser sends them. A command counts as correct when its transcript was
accepted and the planner's storyboard for it shows what the reference sentence's shows.
Nothing is downloaded; the database is a fresh test database seeded with ``catalog_seed``.
The last line printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def configure_environment(run_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "visionspace_site.settings"
    os.environ["VISIONSPACE_MODE"] = "local"
    os.environ["VISIONSPACE_VAR_DIR"] = str(run_dir / "var")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def threshold_tuned(outcomes) -> float | None:
    """The lowest confidence cut that rejects every training out-of-grammar sentence the other
    checks let through, or None when those checks already reject them all (run with
    ``--reject-below -1e9`` so that the confidence alone is not what rejected them)."""
    from tests.voice.stt.corpus import OUT_OF_GRAMMAR, training

    train = set(training(OUT_OF_GRAMMAR))
    passing = [o.confidence for o in outcomes if not o.in_grammar and o.reference in train and o.accepted]
    return max(passing) + 0.1 if passing else None


def margin_tuned(outcomes, *, reject_below: float) -> float | None:
    """The widest decoy margin under which no training out-of-grammar sentence would make a job,
    from a run with ``--decoy-margin 0`` (every decoy win refuses unless a probe explains it,
    apps/voice/stt/decoy_probes.py): a sentence a decoy refused by a gap g would pass that check at
    any margin ≥ g, and go on when its confidence clears the threshold. None when no decoy alone
    stopped one."""
    from tests.voice.stt.corpus import OUT_OF_GRAMMAR, training

    train = set(training(OUT_OF_GRAMMAR))
    gaps = [o.detail.get("decoy_gap") for o in outcomes
            if not o.in_grammar and o.reference in train and o.reason == "unknown_name"
            and o.confidence is not None and o.confidence >= reject_below]
    gaps = [gap for gap in gaps if gap is not None]
    return round(min(gaps) - 0.01, 2) if gaps else None


def summary(outcomes) -> dict:
    from tests.voice.stt.corpus import NEAR_MISSES

    near = set(NEAR_MISSES)

    def accuracy(noisy: bool) -> float:
        chosen = [o for o in outcomes if o.in_grammar and o.noisy == noisy]
        return round(sum(o.correct for o in chosen) / len(chosen), 3) if chosen else 0.0

    finish = sorted(o.finish_ms for o in outcomes)
    audio_s = sum(o.audio_s for o in outcomes)
    return {
        "clean_accuracy": accuracy(False), "noisy_accuracy": accuracy(True),
        "commands": sum(o.in_grammar for o in outcomes),
        "accepted_but_wrong": sum(o.in_grammar and o.accepted and not o.correct for o in outcomes),
        "out_of_grammar": sum(not o.in_grammar and o.reference not in near for o in outcomes),
        "out_of_grammar_jobs": sum(not o.in_grammar and o.accepted and o.reference not in near for o in outcomes),
        "near_misses": sum(o.reference in near for o in outcomes),
        "near_miss_jobs": sum(o.reference in near and o.accepted for o in outcomes),
        "finish_p50_ms": round(statistics.median(finish), 2), "finish_max_ms": round(finish[-1], 2),
        "feed_rtf": round(sum(o.feed_ms for o in outcomes) / 1000 / audio_s, 3),
        "finish_rtf": round(sum(o.finish_ms for o in outcomes) / 1000 / audio_s, 4),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def run(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from apps.catalog.services import catalog_seed
        from apps.voice.stt.pocketsphinx_engine import PocketsphinxEngine
        from tests.voice.stt.corpus import NEAR_MISSES, OUT_OF_GRAMMAR, VOICES, suite

        catalog_seed()
        overrides = {"reject_below": args.reject_below, "decoy_margin": args.decoy_margin}
        engine = PocketsphinxEngine(suggest=False, **{k: v for k, v in overrides.items() if v is not None})
        engine.warm()
        outcomes = suite(engine, out_of_grammar=OUT_OF_GRAMMAR + NEAR_MISSES)
        near = set(NEAR_MISSES)
        for voice in VOICES:
            for noisy in (False, True):
                label = f'{voice["voice"]}@{voice["words_per_minute"]}'
                chosen = [o for o in outcomes if o.voice == label and o.noisy == noisy]
                commands = [o for o in chosen if o.in_grammar]
                others = [o for o in chosen if not o.in_grammar and o.reference not in near]
                misses = [o for o in chosen if o.reference in near]
                print(f"{label:12} {'noisy' if noisy else 'clean'}  correct {sum(o.correct for o in commands)}"
                      f"/{len(commands)}  out-of-grammar accepted {sum(o.accepted for o in others)}/{len(others)}"
                      f"  near misses accepted {sum(o.accepted for o in misses)}/{len(misses)}", flush=True)
        if args.verbose:
            for o in outcomes:
                mark = "ok " if o.correct else ("OOG" if not o.in_grammar else "BAD")
                print(f"{mark} {o.voice} {'noisy' if o.noisy else 'clean'} {o.reason:14} conf={o.confidence} "
                      f"gap={o.detail.get('decoy_gap')} explained={o.detail.get('decoy_explained')} "
                      f"{o.reference!r} -> {o.heard!r}")
        result = summary(outcomes)
        result["reject_below"] = engine.reject_below
        result["decoy_margin"] = engine.decoy_margin
        result["decoys"] = len(engine.pool().grammar.decoys)
        if args.tune:
            result["tuned_reject_below"] = threshold_tuned(outcomes)
            result["tuned_decoy_margin"] = margin_tuned(outcomes, reject_below=engine.reject_below)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", action="store_true", help="also print the threshold the training half suggests")
    parser.add_argument("--reject-below", type=float, default=None, help="override the confidence threshold")
    parser.add_argument("--decoy-margin", type=float, default=None, help="override the decoy margin")
    parser.add_argument("--verbose", action="store_true", help="print every utterance")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="visionspace-bench-voice-") as run_dir:
        configure_environment(Path(run_dir))
        result = run(args)
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

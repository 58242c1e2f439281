"""Intent accuracy over the spoken commands (tests/voice/stt/corpus.py): the transcript must
make the stage show what the reference sentence shows. bench/voice_accuracy.py prints the
same suite per condition.

The issue asks for ≥ 95 % clean and ≥ 90 % noisy. Measured (docs/benchmarks.md,
voice_accuracy, 2026-12-04, one adaptation per speaker and room, the wide beams, decoys with
probes): 97.9 % clean, 91.7 % noisy (en-gb at 170 wpm in noise is the weak case: 40/48).
Decoding is deterministic (no dither, a seeded noise floor) and the commands run in the bench's
order, so the floors are the targets themselves.
"""

import pytest

from tests.voice.stt.corpus import COMMANDS, suite

CLEAN_FLOOR = 0.95  # the targets
NOISY_FLOOR = 0.90


def _accuracy(outcomes, *, noisy: bool) -> float:
    chosen = [o for o in outcomes if o.noisy == noisy]
    return sum(o.correct for o in chosen) / len(chosen)


# 192 utterances, about 11 minutes of audio, decoded by three searches at ~0.5 × real time:
# more than the suite's default 300 s on two cores.
@pytest.mark.timeout(900)
def test_spoken_commands_make_the_intended_request(seeded, engine):
    outcomes = suite(engine, commands=COMMANDS, out_of_grammar=())
    assert len(COMMANDS) >= 40 and len(outcomes) == 4 * len(COMMANDS)
    clean, noisy = _accuracy(outcomes, noisy=False), _accuracy(outcomes, noisy=True)
    wrong_but_accepted = [(o.reference, o.heard) for o in outcomes if o.accepted and not o.correct]
    assert clean >= CLEAN_FLOOR, (clean, wrong_but_accepted)
    assert noisy >= NOISY_FLOOR, (noisy, wrong_but_accepted)
    finish_ms = sorted(o.finish_ms for o in outcomes)
    assert finish_ms[len(finish_ms) // 2] < 50, finish_ms

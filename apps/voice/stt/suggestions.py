""""Did you mean …?": a rejected utterance decoded again with the general English model.

Only on rejection, so accepted utterances never pay for it. The general model and its
130k-word dictionary load once per process (~1–2 s, on the first rejection or at warm-up)
and one decoder is shared behind a lock: refusals are rare and a suggestion may wait.
What it hears is offered only when the planner can plan it — shown, never acted on.
"""

from __future__ import annotations

import os
import threading

from pocketsphinx import Decoder

from apps.studio.planner import PlanRefused, intent_plan

from .decoders import COMMON, acoustic_model
from .pronunciation import model_dir

_lock = threading.Lock()
_decoder: list[Decoder] = []


def general_decoder() -> Decoder:
    """The general-model decoder (call with ``_lock`` held)."""
    if not _decoder:
        _decoder.append(Decoder(hmm=acoustic_model(), lm=os.path.join(model_dir(), "en-us.lm.bin"),
                                dict=os.path.join(model_dir(), "cmudict-en-us.dict"), **COMMON))
    return _decoder[0]


def suggestion_for(*, pcm: bytes) -> str | None:
    """A plannable request the general model heard in ``pcm``, or None."""
    with _lock:
        decoder = general_decoder()
        try:
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
        except RuntimeError:
            return None
        hyp = decoder.hyp()
    heard = " ".join(w for w in (hyp.hypstr if hyp is not None else "").split() if not w.startswith("<"))
    if not heard:
        return None
    try:
        intent_plan(request=heard)
    except PlanRefused:
        return None
    return heard

"""Pocketsphinx decoders, built once per grammar and pooled.

A Decoder is not thread-safe, so each utterance borrows one set (grammar search, phone loop,
and the grammar with decoys) and gives it back; a pool per grammar digest keeps them warm. A
changed grammar gets a new pool: decoders of the old one finish their utterance and are dropped.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass

from pocketsphinx import Decoder

from .grammar import NAME, SpokenGrammar
from .pronunciation import dictionary_text, model_dir
from .sentences import is_sentence, sentence_pattern

# The cepstral mean an utterance starts from when its source has taught us nothing yet. The
# model's default (c0 = 41) is far from speech at a normal level with our noise floor (c0 ≈ 53,
# read back from decoders after a few commands): a fresh decoder then lost its first utterance or two.
CMN_START = "53.0,-11.36,-3.98,2.37,-5.75,-3.60,-5.33,-8.79,-2.78,-3.19,3.54,-2.97,-5.01"
# No dither of pocketsphinx's own: its random state moves on with every utterance, so the same
# audio scored differently each time (confidence ±0.2); the recognizer's seeded NoiseFloor
# already keeps exact zeros out (same accuracy either way, measured 2026-12-03).
COMMON = {"dither": False, "loglevel": "FATAL", "samprate": 16000,
          "cmninit": CMN_START}
# Both searches score every senone each frame, so their per-frame normalisation is the same and
# their path scores can be compared (measured: it separates in- from out-of-grammar speech
# better than the default, at about twice the feed() CPU).
SCORING = {"compallsen": True}
# No lattice: hyp() would take seconds on this grammar. Beams far wider than pocketsphinx's
# defaults (1e-48, 1e-48, 7e-29): with those, the search lost the right path of a command that
# Chromium had captured ("show me the health of the prediction engine" heard as "show me the
# auth over the past eleven days") in 6 of 20 start offsets of the same audio, and all three had
# to widen to keep it in every one; accuracy in 20 dB noise 88.5 → 92.7 % for ~18 % more feed CPU
# (docs/benchmarks.md, voice_accuracy).
GRAMMAR_SEARCH = {"lw": 1.0, "bestpath": False, "beam": 1e-80, "pbeam": 1e-80, "wbeam": 1e-40}
PHONE_SEARCH = {"lw": 2.0, "bestpath": False}
POOL_MAX = 8  # idle decoder sets kept per grammar; more are built when more utterances run at once


def acoustic_model() -> str:
    return os.path.join(model_dir(), "en-us")


@dataclass
class DecoderSet:
    grammar: Decoder  # the spoken grammar: what was said, forced onto the grammar
    phones: Decoder  # an unconstrained phone loop over the same audio: how well anything could fit
    # The grammar with decoys in the service slot: whether some other name fits better (decoys.py).
    # Its own search, not the grammar's: with the decoys in the one search, the beam lost the
    # right path of long names ("show … for the past thirty hours" for "show the dr roark status").
    others: Decoder | None
    digest: str

    def all(self) -> tuple[Decoder, ...]:
        return (self.grammar, self.phones) if self.others is None else (self.grammar, self.phones, self.others)


class DecoderPool:
    def __init__(self, *, grammar: SpokenGrammar, workdir: str):
        self.grammar = grammar
        self._idle: list[DecoderPair] = []
        self._lock = threading.Lock()
        base = os.path.join(workdir, grammar.digest)
        self.dict_path, self.jsgf_path = f"{base}.dict", f"{base}.jsgf"
        self.decoys_path = f"{base}-decoys.jsgf" if grammar.jsgf_decoys else None
        with open(self.dict_path, "w", encoding="utf-8") as out:
            out.write(dictionary_text(list(grammar.words)))
        with open(self.jsgf_path, "w", encoding="utf-8") as out:
            out.write(grammar.jsgf)
        if self.decoys_path:
            with open(self.decoys_path, "w", encoding="utf-8") as out:
                out.write(grammar.jsgf_decoys)
        # Tells a whole sentence from a path the search abandoned halfway (pocketsphinx then
        # returns the partial path as its hypothesis).
        self.sentences = sentence_pattern(grammar.jsgf)

    def acquire(self) -> DecoderSet:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return DecoderSet(
            grammar=self._grammar_decoder(self.jsgf_path),
            phones=Decoder(hmm=acoustic_model(), allphone=os.path.join(model_dir(), "en-us-phone.lm.bin"),
                           dict=self.dict_path, **COMMON, **SCORING, **PHONE_SEARCH),
            others=self._grammar_decoder(self.decoys_path) if self.decoys_path else None,
            digest=self.grammar.digest,
        )

    def _grammar_decoder(self, jsgf_path: str) -> Decoder:
        return Decoder(hmm=acoustic_model(), dict=self.dict_path, jsgf=jsgf_path, toprule=f"{NAME}.utterance",
                       **COMMON, **SCORING, **GRAMMAR_SEARCH)

    def release(self, decoders: DecoderSet) -> None:
        with self._lock:
            if decoders.digest == self.grammar.digest and len(self._idle) < POOL_MAX:
                self._idle.append(decoders)

    def complete(self, text: str) -> bool:
        """Whether ``text`` is a whole sentence of the grammar."""
        return is_sentence(self.sentences, text)


_workdir: list[str] = []
_workdir_lock = threading.Lock()


def private_workdir() -> str:
    """A per-process directory for the generated dictionary and grammar files."""
    with _workdir_lock:
        if not _workdir:
            _workdir.append(tempfile.mkdtemp(prefix="visionspace-stt-"))
        return _workdir[0]

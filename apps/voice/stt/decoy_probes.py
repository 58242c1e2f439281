"""Whether a decoy's win says "a name the catalogue does not have" or only "this name sounds like it".

A decoy stands for some name the catalogue does not have (decoys.py). But some decoys fit a
real name's sound better than the name itself does: measured, "omaha", "muhamed" and "pompoms"
beat "the hub" when it was said, so the decoy margin had to stay wide enough for them, and
unknown names that fit a decoy by less got through. Phone-edit distance does not find those
decoys ("omaha" is 0.70 from "the hub", as far as unrelated ones), so the question is put to
the recogniser itself: the name the grammar heard is said by espeak-ng in a carrier sentence
and decoded with only that name and the decoy in the slot. When the decoy wins there, its win
over the user's audio proves nothing, and the grammar's reading stands (docs/voice.md, "Decoy probes").

The answer belongs to the pair (name, decoy), not to the catalogue, so it is asked once, when a
decoy first wins over a name, and kept in memory and in ``var/stt-decoy-probes.json``: a
catalogue change costs nothing, and a pair costs ~0.1 s once. The voices are not the accuracy
suite's, so the suite measures speech the probes never heard (docs/benchmarks.md, voice_accuracy).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import io
import json
import logging
import os
import subprocess
import tempfile
import threading
from pathlib import Path

import av
import numpy as np
from pocketsphinx import Decoder

from apps.studio.narration import NarrationUnavailable
from apps.studio.narration.espeak import EspeakEngine

from .base import SAMPLE_RATE

logger = logging.getLogger(__name__)

# Voices and speeds the accuracy suite does not use (it has en-us@150 and en-gb@170).
VOICES = (("en-us", 180), ("en-gb-x-rp", 135))
CARRIER = "show the {name} status"
VERSION = 1  # bump when the probe changes: answers of an older probe are then asked again


@functools.cache
def recipe() -> str:
    """What an answer depends on besides the pair: a changed model, voice or search asks again."""
    from .decoders import COMMON, GRAMMAR_SEARCH, acoustic_model

    text = json.dumps([VERSION, VOICES, CARRIER, acoustic_model(), COMMON, GRAMMAR_SEARCH],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ProbeStore:
    """{recipe: {"name|decoy": the decoy beats the name}} in one JSON file, replaced atomically
    (two processes answering at once lose nothing but time: a lost answer is asked again)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._answers: dict[str, bool] | None = None

    def get(self, pair: str) -> bool | None:
        with self._lock:
            if self._answers is None:
                self._answers = dict(self._read().get(recipe(), {}))
            return self._answers.get(pair)

    def put(self, pair: str, beats: bool) -> None:
        with self._lock:
            if self._answers is None:
                self._answers = dict(self._read().get(recipe(), {}))
            self._answers[pair] = beats
            data = self._read()
            data[recipe()] = {**data.get(recipe(), {}), pair: beats}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".decoy-probes-")
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, sort_keys=True)
                os.replace(temporary, self.path)
            except OSError as exc:  # a read-only var/ costs time, not answers
                logger.warning("decoy probes: cannot save to %s (%s); answers are kept in memory only", self.path, exc)

    def _read(self) -> dict:
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("decoy probes: %s is unreadable; its answers are asked again", self.path)
            return {}
        return data if isinstance(data, dict) else {}


@functools.cache
def default_store() -> ProbeStore:
    from django.conf import settings

    return ProbeStore(Path(settings.VAR_DIR) / "stt-decoy-probes.json")


def decoy_beats_name(*, name: str, decoy: str, store: ProbeStore | None = None) -> bool:
    """Whether ``decoy`` wins over ``name`` when ``name`` itself is said (by either probe voice).
    False when espeak-ng is missing: then a decoy's win always counts, as it did before probes."""
    store = store or default_store()
    pair = f"{name}|{decoy}"
    known = store.get(pair)
    if known is not None:
        return known
    try:
        beats = _probe().decoy_wins(name=name, decoy=decoy)
    except NarrationUnavailable as exc:
        logger.warning("decoy probes: %s So a decoy that sounds like %r refuses it.", exc, name)
        return False
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError, av.FFmpegError) as exc:
        # Not kept: the next utterance asks again. Meanwhile the decoy's win counts (a refusal,
        # never a guess).
        logger.warning("decoy probes: could not ask whether %r beats %r (%s)", decoy, name, exc)
        return False
    store.put(pair, beats)
    return beats


def decoy_explained(*, heard: str, other: list[str], names: tuple[str, ...], decoys: frozenset[str],
                    store: ProbeStore | None = None) -> bool:
    """Whether every decoy on the decoy search's path ``other`` stands where the grammar heard a
    catalogue name (``heard``) that the decoy beats when that name itself is said: then the decoy
    won on the name's own sound, and says nothing about an unknown name."""
    heard_words = heard.split()
    spans = _name_spans(heard_words, names)
    explained = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=heard_words, b=other, autojunk=False).get_opcodes():
        placed = [word for word in other[j1:j2] if word in decoys]
        if not placed:
            continue
        covered = [name for start, end, name in spans if start < i2 and end > i1]
        if tag != "replace" or not covered:
            return False
        for decoy in placed:
            if not any(decoy_beats_name(name=name, decoy=decoy, store=store) for name in covered):
                return False
        explained = True
    return explained


def _name_spans(words: list[str], names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, name) of the catalogue names in ``words``, longest first, left to right."""
    known = {tuple(name.split()): name for name in names}
    longest = max((len(key) for key in known), default=0)
    spans, index = [], 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            name = known.get(tuple(words[index:index + size]))
            if name is not None:
                spans.append((index, index + size, name))
                index += size
                break
        else:
            index += 1
    return spans


_probes: list[_Probe] = []
_probes_lock = threading.Lock()


def _probe() -> _Probe:
    with _probes_lock:
        if not _probes:
            _probes.append(_Probe())
        return _probes[0]


class _Probe:
    """One decoder with the grammar search's beams, a two-word grammar per question (a Decoder is
    not thread-safe: one question at a time)."""

    def __init__(self) -> None:
        from .decoders import CMN_START, COMMON, GRAMMAR_SEARCH, acoustic_model, private_workdir
        from .pronunciation import dictionary_text

        base = os.path.join(private_workdir(), "probe")
        with open(f"{base}.dict", "w", encoding="utf-8") as out:
            out.write(dictionary_text(CARRIER.format(name="").split()))
        # A Decoder starts with some search; each question replaces it with its own (decoy_wins).
        with open(f"{base}.jsgf", "w", encoding="utf-8") as out:
            out.write(_jsgf(("status",)))
        self.decoder = Decoder(hmm=acoustic_model(), dict=f"{base}.dict", jsgf=f"{base}.jsgf",
                               toprule="probe.utterance", **COMMON, **GRAMMAR_SEARCH)
        self.cmn_start = CMN_START
        self._lock = threading.Lock()
        self._words: set[str] = set(CARRIER.format(name="").split())

    def decoy_wins(self, *, name: str, decoy: str) -> bool:
        with self._lock:
            self._know(name.split() + [decoy])
            # Re-adding the search under one name replaces it: nothing piles up per question.
            self.decoder.add_jsgf_string("pair", _jsgf((name, decoy)))
            self.decoder.activate_search("pair")
            return any(decoy in self._decode(_said(CARRIER.format(name=name), voice=voice, words_per_minute=speed))
                       for voice, speed in VOICES)

    def _know(self, words) -> None:
        from .pronunciation import pronunciations

        for word in words:
            if word not in self._words:
                for index, phones in enumerate(pronunciations(word)):
                    self.decoder.add_word(word if index == 0 else f"{word}({index + 1})", phones,
                                          update=True)
                self._words.add(word)

    def _decode(self, pcm: bytes) -> list[str]:
        self.decoder.set_cmn(self.cmn_start)
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return hyp.hypstr.split() if hyp is not None else []


def _jsgf(slot: tuple[str, ...]) -> str:
    before, after = CARRIER.split("{name}")
    return (f"#JSGF V1.0;\ngrammar probe;\npublic <utterance> = {before.replace('the', '[the]')} <slot> {after};\n"
            f"<slot> = {' | '.join(slot)};\n")


@functools.lru_cache(maxsize=256)
def _said(text: str, *, voice: str, words_per_minute: int) -> bytes:
    """``text`` spoken by espeak-ng (the narration's engine) as 16 kHz mono s16le, with the
    recogniser's noise floor and the silence a microphone hears around it."""
    from .pocketsphinx_engine import NoiseFloor

    with tempfile.TemporaryDirectory(prefix="visionspace-probe-") as directory:
        narration = EspeakEngine(voice=voice, words_per_minute=words_per_minute).narrate(
            text=text, out_path=Path(directory) / "said.wav")
        wav = narration.path.read_bytes()
    samples = [np.zeros(SAMPLE_RATE // 4, dtype="<i2")]
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    with av.open(io.BytesIO(wav)) as container:
        for frame in container.decode(audio=0):
            samples += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        samples += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    samples.append(np.zeros(SAMPLE_RATE // 2, dtype="<i2"))
    return NoiseFloor().add(np.concatenate(samples).astype("<i2").tobytes())

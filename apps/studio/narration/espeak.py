"""espeak-ng, run as a program (one short process per line): always available on our
machines (Debian package ``espeak-ng``), robotic but instant and licence-clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .base import Narration, NarrationUnavailable, wav_duration

PROGRAM = "espeak-ng"
VOICE = "en-us"
WORDS_PER_MINUTE = 165
TIMEOUT_S = 30


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, *, voice: str = VOICE, words_per_minute: int = WORDS_PER_MINUTE):
        program = shutil.which(PROGRAM)
        if program is None:
            raise NarrationUnavailable(
                "espeak-ng is not installed: narration needs Debian's espeak-ng package (apt-get install espeak-ng)."
            )
        self.program, self.voice, self.words_per_minute = program, voice, words_per_minute

    def narrate(self, *, text: str, out_path: Path) -> Narration:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        # Text goes in on stdin, never as an argument: a line starting with "-" stays words, and
        # without -m espeak-ng speaks "<tags>" literally instead of reading them as SSML.
        command = [self.program, "-v", self.voice, "-s", str(self.words_per_minute), "-b", "1", "-w", str(out_path),
                   "--stdin"]
        result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S,
                                check=False)
        if result.returncode != 0 or not out_path.is_file():
            raise RuntimeError(f"espeak-ng failed ({result.returncode}): {result.stderr.decode(errors='replace')[:300]}")
        return Narration(path=out_path, duration_s=wav_duration(path=out_path))

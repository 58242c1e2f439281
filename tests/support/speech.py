"""Spoken test audio: espeak-ng says a sentence, ffmpeg makes it 16 kHz mono s16le.

Used by the voice tests, the browser's fake microphone and the voice benches. Nothing is
downloaded: espeak-ng and ffmpeg are Debian packages (.ci/run installs them).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

RATE = 16_000


def speech_tools_missing() -> list[str]:
    return [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]


def speak(text: str, *, voice: str = "en-us", words_per_minute: int = 160, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by espeak-ng as int16 samples at 16 kHz, mono, trimmed of nothing."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-p", str(pitch), "--stdout", text],
        check=True, capture_output=True, timeout=60).stdout
    return resample_wav(wav)


def resample_wav(wav: bytes) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-ac", "1", "-ar", str(RATE),
         "-f", "s16le", "pipe:1"],
        input=wav, check=True, capture_output=True, timeout=60).stdout
    return np.frombuffer(raw, dtype="<i2").copy()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(round(seconds * RATE)), dtype=np.int16)


def with_noise(samples: np.ndarray, *, snr_db: float, seed: int = 0) -> np.ndarray:
    """White noise added at ``snr_db`` relative to the speech's power (silence excluded)."""
    x = samples.astype(np.float64)
    voiced = x[np.abs(x) > 0.02 * max(1.0, np.abs(x).max())]
    power = float(np.mean(voiced ** 2)) if voiced.size else 1.0
    noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), size=x.shape)
    return np.clip(x + noise, -32768, 32767).astype(np.int16)


def utterance(text: str, *, lead_s: float = 0.5, tail_s: float = 1.0, **voice) -> np.ndarray:
    """Silence, the sentence, silence: what a microphone hears around one command."""
    return np.concatenate([silence(lead_s), speak(text, **voice), silence(tail_s)])


def wav_bytes(samples: np.ndarray, *, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def wav_write(path: Path, samples: np.ndarray, *, rate: int = RATE) -> Path:
    path.write_bytes(wav_bytes(samples, rate=rate))
    return path


def frames(samples: np.ndarray, *, frame_ms: int = 20) -> list[bytes]:
    """The PCM as the browser sends it: binary frames of ``frame_ms`` (the last one padded)."""
    n = RATE * frame_ms // 1000
    pad = (-len(samples)) % n
    data = np.concatenate([samples, np.zeros(pad, dtype=np.int16)]).astype("<i2").tobytes()
    return [data[i:i + 2 * n] for i in range(0, len(data), 2 * n)]

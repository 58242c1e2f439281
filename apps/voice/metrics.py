"""Prometheus metrics of the voice socket and pipeline (each process exports its own)."""

from prometheus_client import Counter, Gauge, Histogram

VOICE_SOCKETS = Gauge("visionspace_voice_sockets", "Open voice websockets on this process")
VOICE_REFUSED = Counter("visionspace_voice_sockets_refused_total", "Voice websockets refused or closed by us", ["reason"])
VOICE_UTTERANCES = Counter("visionspace_voice_utterances_total", "Utterances that reached an outcome", ["outcome"])
VOICE_LATENCY = Histogram("visionspace_voice_turn_seconds", "Last speech frame → job queued",
                          buckets=(0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0))

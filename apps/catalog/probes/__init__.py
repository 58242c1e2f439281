"""Readiness probes of catalogued services: the HTTP adapter, the writes, the reads (docs/health-probes.md)."""

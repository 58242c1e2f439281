"""Benchmarks: scripts run by hand or by ``make bench`` (see docs/benchmarks.md); not collected by pytest."""

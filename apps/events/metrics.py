"""Prometheus counters of our own (each process exports its own; scrape every process)."""

from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter("visionspace_events_published_total", "Events published", ["type"])
EVENTS_REPLAYED = Counter("visionspace_events_replayed_total", "Events sent again from the log (resume, gap fill)")
WEBSOCKET_CLIENTS = Gauge("visionspace_websocket_clients", "Open event websockets on this process")
WEBSOCKET_REFUSED = Counter("visionspace_websocket_refused_total", "Event websockets refused", ["reason"])
HUB_GROUPS = Gauge("visionspace_events_hub_groups", "Groups this process is subscribed to (one channel-layer subscription each)")
SOCKETS_BACKED_UP = Counter(
    "visionspace_events_sockets_backed_up_total",
    "Times an event socket's unsent bytes passed the write buffer (it then catches up from the log)",
)

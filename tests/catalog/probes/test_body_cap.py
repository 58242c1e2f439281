"""The probe reads at most 64 KB of body: a service that streams forever still gets a quick answer."""

from apps.catalog.probes import http


def test_it_stops_reading_an_endless_body_at_the_cap(target):
    outcome = http.probe(target.url("/endless"), timeout=5)

    # Without the cap the read would run into the 5 s budget and come back as a timeout.
    assert (outcome.ok, outcome.status_code, outcome.error) == (True, 200, "")
    assert outcome.latency_ms < 1000
    assert target.endless_done.wait(timeout=5), "the server never noticed the probe hang up"
    # What the server wrote beyond the cap is what the kernel buffers held when the probe closed.
    assert http.MAX_BODY_BYTES <= target.bytes_sent < 1024 * 1024

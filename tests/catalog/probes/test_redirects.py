"""Redirects are followed, at most three of them."""

import pytest

from apps.catalog.probes import http


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_it_follows_a_chain_of_up_to_three_redirects(target, hops):
    outcome = http.probe(target.url(f"/redirect/{hops}"), timeout=5)

    assert (outcome.ok, outcome.status_code, outcome.error) == (True, 200, "")
    assert target.paths == [f"/redirect/{n}" for n in range(hops, -1, -1)]


def test_it_refuses_a_fourth_redirect_and_does_not_follow_it(target):
    outcome = http.probe(target.url("/redirect/4"), timeout=5)

    assert (outcome.ok, outcome.status_code) == (False, 302)
    assert outcome.error == "more than 3 redirects (last to /redirect/0)"
    assert target.paths == ["/redirect/4", "/redirect/3", "/redirect/2", "/redirect/1"]

"""Knative (and Cloud Run) service names are DNS-1035 labels, unique across a fleet."""

from __future__ import annotations

import re

import pytest
import yaml

from apps.deployments.manifests.knative import knative_render_fleet
from apps.deployments.manifests.names import ArtefactError, dns_label, unique_names

from .tools import HOSTILE, HOSTILE_SLUGS, make_service

DNS_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


@pytest.mark.parametrize("slug", HOSTILE_SLUGS + HOSTILE)
def test_any_slug_gives_a_dns_label(slug):
    name = dns_label(slug)
    assert DNS_1035.fullmatch(name) and len(name) <= 63, repr(name)


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("visionspace-automation-hub", "visionspace-automation-hub"),
        ("diamondSolutionsMenu", "diamond-solutions-menu"),
        ("UPPER_case.dots", "upper-case-dots"),
        ("9lives", "svc-9lives"),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_names_read_like_the_slug(slug, name):
    assert dns_label(slug) == name


def test_a_long_slug_is_shortened_with_a_hash_that_keeps_it_distinct():
    a, b = dns_label("x" * 100 + "a"), dns_label("x" * 100 + "b")
    assert len(a) == len(b) == 63 and a != b


def test_colliding_slugs_get_distinct_names_and_the_exact_one_keeps_its_name():
    names = unique_names(["diamondSolutionsMenu", "diamond-solutions-menu", "Diamond_Solutions.Menu"])
    assert names[1] == "diamond-solutions-menu"
    assert len(set(names)) == 3 and all(DNS_1035.fullmatch(n) for n in names)
    # The same slug gets the same name whatever else is in the fleet, and in any order.
    assert unique_names(["Diamond_Solutions.Menu", "diamondSolutionsMenu"])[::-1] == unique_names(
        ["diamondSolutionsMenu", "Diamond_Solutions.Menu"])


def test_a_fleet_with_colliding_slugs_renders_distinct_services():
    services = [make_service(slug) for slug in ["diamondSolutionsMenu", "diamond-solutions-menu"]]
    names = [d["metadata"]["name"] for d in yaml.safe_load_all(knative_render_fleet(services=services))]
    assert len(set(names)) == 2


def test_two_services_with_the_same_slug_are_refused():
    with pytest.raises(ArtefactError, match="would both be named 'same'"):
        unique_names(["same", "same"])

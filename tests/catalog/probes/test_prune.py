"""History is kept for a while, then pruned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.catalog.models import ProbeResult
from apps.catalog.probes.services import probes_prune

pytestmark = pytest.mark.django_db


def test_it_deletes_results_older_than_the_retention(make_service):
    service = make_service()
    now = timezone.now()
    for age in (timedelta(days=40), timedelta(days=31), timedelta(days=29), timedelta(minutes=1)):
        ProbeResult.objects.create(service=service, checked_at=now - age, expires_at=now - age, ok=True)

    assert probes_prune(older_than=timedelta(days=30)) == 2

    ages = sorted(now - checked for checked in ProbeResult.objects.values_list("checked_at", flat=True))
    assert [age.days for age in ages] == [0, 29]

"""The admin: scans are read-only history with their rule results; "rescan" adds one."""

from django.urls import reverse

from apps.compliance.models import ComplianceScan
from apps.compliance.services import compliance_scan


def test_a_scan_shows_its_rule_results_and_cannot_be_edited(fleet, admin_client):
    scan = compliance_scan(service=fleet["daily-video-automation"], trigger="manual")
    page = admin_client.get(reverse("admin:compliance_compliancescan_change", args=[scan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "CS-010" in html and "ENV DAILY_API_KEY=${DAILY_API_KEY}" in html
    assert 'name="_save"' not in html
    assert admin_client.get(reverse("admin:compliance_compliancescan_add")).status_code == 403


def test_the_rescan_action_adds_a_manual_scan_per_service(fleet, admin_client):
    first = compliance_scan(service=fleet["daily-video-automation"], trigger="nightly")
    response = admin_client.post(
        reverse("admin:compliance_compliancescan_changelist"),
        {"action": "rescan", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Rescanned 1 service(s)." in response.content.decode()
    latest = ComplianceScan.objects.get(latest=True)
    assert latest.pk != first.pk and latest.trigger == "manual"

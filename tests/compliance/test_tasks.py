"""The Celery tasks, by the names the beat schedule and the signals use."""

from visionspace_site.celery import app

from apps.catalog.models import Service
from apps.compliance.models import ComplianceScan
from apps.compliance.tasks import compliance_scan_fleet_task, compliance_scan_service_task


def test_the_tasks_are_registered_under_the_scheduled_names():
    app.loader.import_default_modules()
    assert {"compliance.scan_service", "compliance.scan_fleet"} <= set(app.tasks)
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["compliance-scan-fleet-nightly"]["task"] == "compliance.scan_fleet"


def test_scan_service_scans_by_id(fleet):
    hub = fleet["visionspace-automation-hub"]
    result = compliance_scan_service_task.apply(args=(hub.pk,)).get()
    scan = ComplianceScan.objects.get(service=hub)
    assert result == {"scan": scan.pk, "service": hub.slug, "level": scan.level, "score": scan.score}
    assert scan.trigger == "change"


def test_scan_service_of_a_deleted_service_does_nothing(fleet):
    gone = Service.objects.get(slug="dr-maria-support")
    gone_id = gone.pk
    gone.delete()
    assert compliance_scan_service_task.apply(args=(gone_id,)).get() is None
    assert not ComplianceScan.objects.exists()


def test_scan_fleet_is_nightly_and_covers_every_service(fleet):
    result = compliance_scan_fleet_task.apply().get()
    assert result["services"] == 22 and sum(result["levels"].values()) == 22
    assert ComplianceScan.objects.filter(trigger="nightly").count() == 22

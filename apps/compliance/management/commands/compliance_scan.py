from django.core.management.base import BaseCommand, CommandError

from apps.catalog.models import Service
from apps.compliance.hadolint import HadolintError
from apps.compliance.models import Trigger
from apps.compliance.selectors import fleet_scorecard, scorecard_for
from apps.compliance.services import compliance_scan, compliance_scan_fleet

ROW = "{slug:<34} {level:<7} {score:>5}  {failing}"


class Command(BaseCommand):
    help = "Scan every service (or one, with --service) against the container compliance rules."

    def add_arguments(self, parser):
        parser.add_argument("--service", metavar="SLUG", help="Scan only this service.")
        parser.add_argument("--trigger", choices=Trigger.values, default=Trigger.MANUAL)

    def handle(self, *args, service=None, trigger=Trigger.MANUAL, **options):
        try:
            if service:
                self._one(service, trigger)
            else:
                self._fleet(trigger)
        except HadolintError as exc:
            raise CommandError(str(exc)) from exc

    def _one(self, slug: str, trigger: str) -> None:
        service = Service.objects.filter(slug=slug).first()
        if service is None:
            raise CommandError(f"No service with slug {slug!r}; `manage.py compliance_scan` without --service "
                               "scans them all.")
        compliance_scan(service=service, trigger=trigger)
        card = scorecard_for(service=service)
        self.stdout.write(f"{service.slug}: {card.level}, {card.score}% ({card.passed}/{card.applicable} rules)")
        for row in card.results:
            where = f" (line {row.line})" if row.line else ""
            first = row.evidence.splitlines()[0] if row.evidence else ""
            self.stdout.write(f"  {row.status:<14} {row.rule_id} [{row.severity}] {row.title}{where}: {first}")

    def _fleet(self, trigger: str) -> None:
        rows = []

        def progress(number, total, service, scan):
            self.stderr.write(f"[{number}/{total}] {service.slug}: {scan.level} {scan.score}%")
            failing = scan.results.exclude(status__in=["pass", "not_applicable"]).values_list("rule_id", flat=True)
            rows.append(ROW.format(slug=service.slug, level=scan.level, score=f"{scan.score}%",
                                   failing=" ".join(sorted(failing)) or "-"))

        compliance_scan_fleet(trigger=trigger, progress=progress)
        fleet = fleet_scorecard()
        self.stdout.write(ROW.format(slug="service", level="level", score="score", failing="not passing"))
        self.stdout.write("\n".join(rows))
        counts = ", ".join(f"{level} {n}" for level, n in fleet.levels.items())
        self.stdout.write(f"Fleet: {fleet.services_total} services, score {fleet.score}%, {counts}.")

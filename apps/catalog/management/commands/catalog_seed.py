from django.core.management.base import BaseCommand

from apps.catalog.services import catalog_seed


class Command(BaseCommand):
    help = "Create or refresh the 22 services of the containerisation strategy document (idempotent)."

    def handle(self, *args, **options):
        report = catalog_seed()
        self.stdout.write(
            f"Catalogue seeded: {report.created} created, {report.updated} refreshed, {report.relations} new relations."
        )

import sys

from django.core.management.base import BaseCommand, CommandError

from apps.catalog.backstage.importer import catalog_import_file, catalog_import_url
from apps.catalog.backstage.progress import ProgressBar


class Command(BaseCommand):
    help = ("Import a Backstage catalog-info.yaml (Component, System, Resource, API) from a file or an http(s) URL. "
            "All of it or none of it; entities of the same source missing from the file become orphaned.")

    def add_arguments(self, parser):
        parser.add_argument("location", help="a path, or an http:// or https:// URL")
        parser.add_argument("--source", help="name of the source (default: file:<absolute path> or url:<url>)")
        parser.add_argument("--adopt", action="store_true",
                            help="take over entities that came from another source (the seed, another file, the admin)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, change nothing")

    def handle(self, *args, location, source, adopt, dry_run, **options):
        bar = ProgressBar(sys.stderr, label="Importing")
        importer = catalog_import_url if location.startswith(("http://", "https://")) else catalog_import_file
        where = {"url": location} if importer is catalog_import_url else {"path": location}
        try:
            report = importer(**where, source=source, adopt=adopt, dry_run=dry_run, progress=bar)
        finally:
            bar.close()
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"{len(report.errors)} error(s) in {report.file or location}; nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.file} as {report.source}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.orphaned} orphaned."
            + (" Nothing was changed (dry run)." if dry_run else "")
        )
        for ref, action in report.changes:
            if action == "orphaned":
                self.stdout.write(f"  orphaned (kept, no longer in the source): {ref}")

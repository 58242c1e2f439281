import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalog.backstage.exporter import catalog_export_yaml
from apps.catalog.backstage.progress import ProgressBar


class Command(BaseCommand):
    help = "Export the catalogue as one multi-document Backstage catalog-info.yaml (to stdout, or -o FILE)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="write to this file (replaced atomically) instead of stdout")

    def handle(self, *args, output, **options):
        bar = ProgressBar(sys.stderr, label="Exporting")
        count = 0

        def progress(done, total, ref):
            nonlocal count
            count = total
            bar(done, total, ref)

        try:
            text = catalog_export_yaml(progress=progress)
        finally:
            bar.close()
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            write_atomically(Path(output), text)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}; check the directory exists and is "
                               "writable.") from None
        self.stderr.write(f"Exported {count} entities to {output}.")


def write_atomically(target: Path, text: str) -> None:
    """Readers of ``target`` see the old file or the new one, never half of it."""
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

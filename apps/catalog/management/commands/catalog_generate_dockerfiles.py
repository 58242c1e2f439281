from django.core.management.base import BaseCommand, CommandError

from apps.catalog.models import ContainerStatus, Service
from apps.catalog.services import container_dockerfile_generate
from apps.deployments.manifests.dockerfile import DockerfileRenderError


class Command(BaseCommand):
    help = "Generate Dockerfiles for services that need containerisation (or the ones named) and store them."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="services to generate for (default: every 'needs containerisation')")

    def handle(self, *args, slugs: list[str], **options):
        services = Service.objects.select_related("container")
        services = services.filter(slug__in=slugs) if slugs else services.filter(status=ContainerStatus.NEEDS_CONTAINERISATION)
        failures = 0
        total = services.count()
        for n, service in enumerate(services.order_by("slug"), 1):
            try:
                container_dockerfile_generate(service=service)
                self.stdout.write(f"[{n}/{total}] {service.slug}: Dockerfile written")
            except DockerfileRenderError as exc:
                failures += 1
                self.stderr.write(f"[{n}/{total}] {service.slug}: {exc}")
        if failures:
            raise CommandError(f"{failures} of {total} Dockerfiles could not be generated (see above).")

import pytest

from apps.catalog.models import ContainerSpec, Service

from .servers import RefusingPort, TargetServer


@pytest.fixture(autouse=True)
def private_addresses_allowed(settings):
    """The test servers live on 127.0.0.1; the guard's own tests turn this back off."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def target():
    server = TargetServer()
    yield server
    server.close()


@pytest.fixture
def other_target():
    server = TargetServer()
    yield server
    server.close()


@pytest.fixture
def refusing_port():
    port = RefusingPort()
    yield port
    port.close()


@pytest.fixture
def make_service(db):
    def make(slug: str = "probed", *, health_url: str = "", container: bool = True) -> Service:
        service = Service.objects.create(
            slug=slug, name=slug, purpose="Probe test", category="vls", status="containerised", owner="group:test"
        )
        if container:
            ContainerSpec.objects.create(service=service, image=f"example/{slug}", health_url=health_url)
        return Service.objects.select_related("container").get(pk=service.pk)

    return make

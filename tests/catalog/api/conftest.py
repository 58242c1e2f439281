import pytest
from django.test import Client

from apps.catalog.services import catalog_seed
from tests.support.users import user_with_role


@pytest.fixture
def seeded(db):
    catalog_seed()


@pytest.fixture
def user(db):
    return user_with_role("viewer", username="viewer")


@pytest.fixture
def staff(db, admin_user):
    """May import: an admin (with the second factor admins must have)."""
    return admin_user


@pytest.fixture
def api(user):
    """A signed-in viewer."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_api(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def fleet_of(seeded):
    """Grow the seeded catalogue to ``n`` services, each with a container spec and a system."""

    def grow(n: int) -> None:
        from apps.catalog.models import ContainerSpec, Service, System

        system = System.objects.get(slug="vls-solutions")
        extra = n - Service.objects.count()
        services = Service.objects.bulk_create(
            Service(slug=f"generated-{i:04d}", name=f"Generated {i}", purpose="Load", category="vls",
                    status="containerised", owner="group:load", system=system, tags=["load"])
            for i in range(extra)
        )
        ContainerSpec.objects.bulk_create(
            ContainerSpec(service=service, image=f"example.org/load/{service.slug}", ports=[8080], regions=["us-west1"])
            for service in services
        )
        assert Service.objects.count() == n

    return grow

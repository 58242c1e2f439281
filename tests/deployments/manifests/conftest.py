import pytest

from apps.catalog.selectors import service_list
from apps.catalog.services import catalog_seed


@pytest.fixture
def fleet(db) -> list:
    """The document's 22 services, read the way views read them."""
    catalog_seed()
    services = list(service_list())
    assert len(services) == 22
    return services

"""The list costs a fixed number of queries however many services there are (no N+1).

Sign-in and middleware queries (session, user, roles) belong to other apps and may change;
what is asserted exactly is that the total is the same at 22 and 1,000 services and that
the catalogue itself costs two queries: the count and the page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

CATALOGUE_QUERIES = 2


def catalogue_sql(context: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in context.captured_queries if "catalog_" in q["sql"]]


@pytest.mark.parametrize("limit", [100, 1000])
def test_it_lists_in_the_same_queries_at_22_and_at_1000_services(api, fleet_of, django_assert_num_queries, limit):
    fleet_of(22)
    with CaptureQueriesContext(connection) as at_22:
        assert api.get(f"/api/v1/services?limit={limit}").status_code == 200
    assert len(catalogue_sql(at_22)) == CATALOGUE_QUERIES, catalogue_sql(at_22)

    fleet_of(1000)
    with django_assert_num_queries(len(at_22)) as at_1000:
        response = api.get(f"/api/v1/services?limit={limit}")
    assert len(catalogue_sql(at_1000)) == CATALOGUE_QUERIES
    items = response.json()["items"]
    assert response.json()["count"] == 1000 and len(items) == limit
    assert all(item["container"]["ports"] and item["system"] for item in items)


def test_it_reads_one_service_in_three_catalogue_queries(api, seeded):
    # The service with its container and system, then relations out, then relations in.
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/services/visionspace-automation-hub")
    assert len(catalogue_sql(queries)) == 3, catalogue_sql(queries)
    assert len(response.json()["relations_out"]) == 14

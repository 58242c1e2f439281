"""Import by URL from a real HTTP server on 127.0.0.1: guarded, capped, redirects bounded and checked."""

import pytest

from apps.catalog.backstage import fetch
from apps.catalog.backstage.importer import catalog_import_url
from apps.catalog.models import Service

from .conftest import Route, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_private(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True


def test_by_default_it_refuses_a_url_on_a_private_address(http_server, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    http_server.routes["/catalog-info.yaml"] = Route(body=read("media-platform-all.yaml").encode())
    report = catalog_import_url(url=f"{http_server.url}/catalog-info.yaml")
    assert not report.applied
    assert "private or reserved address; set OUTBOUND_ALLOW_PRIVATE=true" in report.errors[0].message
    assert http_server.requests == []  # refused before connecting
    assert not Service.objects.exists()


def test_it_imports_from_a_url_and_names_the_source_after_it(http_server, allow_private):
    http_server.routes["/repo/catalog-info.yaml?token=s3cret"] = Route(
        body=read("media-platform-all.yaml").encode(), headers={"Content-Type": "application/yaml"})
    report = catalog_import_url(url=f"{http_server.url}/repo/catalog-info.yaml?token=s3cret")
    assert report.ok and report.created == 5
    assert report.source == f"url:{http_server.url}/repo/catalog-info.yaml"  # no query: it may hold a token
    assert report.file == f"{http_server.url}/repo/catalog-info.yaml"
    assert set(Service.objects.values_list("source", flat=True)) == {report.source}


def test_it_follows_up_to_three_redirects_and_no_more(http_server, allow_private):
    body = read("media-platform-system.yaml").encode()
    http_server.routes["/final.yaml"] = Route(body=body)
    for i in range(4):
        http_server.routes[f"/hop{i}"] = Route(status=302, headers={"Location": f"/hop{i + 1}" if i < 3 else
                                                                    "/final.yaml"})
    assert catalog_import_url(url=f"{http_server.url}/hop1").ok  # hop1 → hop2 → hop3 → final: 3 redirects
    report = catalog_import_url(url=f"{http_server.url}/hop0", source="other")
    assert "redirected more than 3 times" in report.errors[0].message


def test_every_redirect_target_is_checked(http_server, allow_private):
    http_server.routes["/to-file"] = Route(status=301, headers={"Location": "file:///etc/passwd"})
    report = catalog_import_url(url=f"{http_server.url}/to-file")
    assert "Only http:// and https:// URLs" in report.errors[0].message


def test_a_host_name_that_resolves_to_loopback_is_refused_by_default(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    report = catalog_import_url(url="http://localhost:9/catalog-info.yaml")
    assert "private or reserved address" in report.errors[0].message


def test_it_caps_the_size_even_without_content_length(http_server, allow_private):
    http_server.routes["/big.yaml"] = Route(body=b"# " + b"x" * 200_000, announce_length=False)
    assert len(fetch.fetch(f"{http_server.url}/big.yaml")) > 200_000
    with pytest.raises(fetch.FetchError, match="larger than"):
        fetch.fetch(f"{http_server.url}/big.yaml", max_bytes=100_000)


def test_it_refuses_an_announced_size_over_the_limit(http_server, allow_private):
    http_server.routes["/big.yaml"] = Route(body=b"x" * 2048)
    with pytest.raises(fetch.FetchError, match="the limit is"):
        fetch.fetch(f"{http_server.url}/big.yaml", max_bytes=1024)


def test_it_reports_http_errors_and_html_pages_with_what_to_do(http_server, allow_private):
    http_server.routes["/blob.yaml"] = Route(body=b"<html></html>", headers={"Content-Type": "text/html"})
    missing = catalog_import_url(url=f"{http_server.url}/missing.yaml")
    assert "answered HTTP 404" in missing.errors[0].message
    page = catalog_import_url(url=f"{http_server.url}/blob.yaml")
    assert "returned a web page, not YAML; link to the raw file" in page.errors[0].message


def test_it_gives_up_on_a_server_that_sends_too_slowly(http_server, allow_private, monkeypatch):
    monkeypatch.setattr(fetch, "DEADLINE_SECONDS", 0.3)
    http_server.routes["/slow.yaml"] = Route(body=b"# slow\n" * 200, trickle=0.02)  # 28 s if let through
    with pytest.raises(fetch.FetchError, match="took longer than 0.3 s"):
        fetch.fetch(f"{http_server.url}/slow.yaml")


def test_it_reports_a_server_that_is_not_there(allow_private):
    report = catalog_import_url(url="http://127.0.0.1:9/catalog-info.yaml")
    assert "could not be fetched" in report.errors[0].message


def test_the_address_actually_connected_to_is_checked_too(http_server, settings, monkeypatch):
    # As if DNS answered a public address to the check and 127.0.0.1 to the connection (rebinding).
    settings.OUTBOUND_ALLOW_PRIVATE = False
    monkeypatch.setattr(fetch, "check_url", lambda url: None)
    http_server.routes["/catalog-info.yaml"] = Route(body=read("media-platform-all.yaml").encode())
    with pytest.raises(fetch.FetchError, match="connected to 127.0.0.1, a private or reserved address"):
        fetch.fetch(f"{http_server.url}/catalog-info.yaml")
    assert http_server.requests == []

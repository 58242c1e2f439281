import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_links_every_section(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Catalogue", "Deployments", "Stage", "Rooms", "Keys"):
        assert f">{title}</a>" in html
    assert 'class="skip-link"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html


def test_a_section_that_has_not_landed_says_not_yet(client):
    response = client.get("/rooms/")
    assert response.status_code == 200
    assert "Not yet" in response.content.decode()


def test_an_unknown_section_is_404(client):
    assert client.get("/no-such-thing/").status_code == 404


def test_static_files_are_served_from_npm_not_a_cdn(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)[:2000]
    assert "cdn" not in client.get("/").content.decode().lower()


def test_the_admin_link_shows_only_to_staff(client, admin_user):
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_the_live_feed_wants_a_signed_in_user(client, admin_user):
    assert client.get("/live/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/live/").status_code == 200

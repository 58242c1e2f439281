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


def test_the_live_feed_is_for_operators_and_admins(client, admin_user):
    from tests.support.users import user_with_role

    assert client.get("/live/").status_code == 302  # to sign in
    client.force_login(user_with_role("viewer"))
    assert client.get("/live/").status_code == 403
    client.force_login(user_with_role("operator"))
    assert client.get("/live/").status_code == 200
    client.force_login(admin_user)
    assert client.get("/live/").status_code == 200


def test_staff_announce_on_every_screen(client, admin_user):
    from apps.events import store

    client.force_login(admin_user)
    before = store.head("public").seq
    response = client.post("/live/", {"message": "Fire drill at <b>3</b>", "level": "warning"})
    assert response.status_code == 302
    [event] = store.read("public", after=before)
    assert '"message":"Fire drill at <b>3</b>"' in event.body and '"author":"admin"' in event.body


def test_an_empty_announcement_is_refused_with_a_reason(client, admin_user):
    from apps.events import store

    client.force_login(admin_user)
    before = store.head("public").seq
    response = client.post("/live/", {"message": "", "level": "shout"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert store.head("public").seq == before

"""The import page: staff upload or paste catalog-info.yaml and see the whole report;
an import with any error applies nothing. Export downloads the catalogue as YAML."""

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog.models import Service
from apps.catalog.services import catalog_seed
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db

VALID = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: media-encoder
  description: "Encodes <b>video</b>"
spec:
  type: service
  lifecycle: production
  owner: group:media
"""

INVALID = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "<script>alert(1)</script>"
spec:
  type: service
  owner: group:media
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fine-service
spec:
  type: service
  lifecycle: production
  owner: group:media
  dependsOn: [component:nowhere]
"""


@pytest.fixture
def staff(client, admin_user):
    """Importing needs the import_catalog permission: admins have it."""
    client.force_login(admin_user)
    return client


def test_it_is_for_admins_only(client):
    response = client.get("/catalogue/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for role in ("viewer", "operator"):
        client.force_login(user_with_role(role, username=f"{role}-importer"))
        assert client.get("/catalogue/import/").status_code == 403


def test_staff_see_the_form_and_the_export_link(staff):
    html = staff.get("/catalogue/import/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="file"' in html and 'name="text"' in html and 'name="source"' in html and 'name="adopt"' in html
    assert 'href="/catalogue/export/" download' in html


def test_pasted_yaml_is_imported_and_reported(staff):
    response = staff.post("/catalogue/import/", {"text": VALID, "source": "https://git.example.com/media"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2 id=\"report-title\">Imported</h2>" in html
    assert "<li><strong>1</strong> created</li>" in html
    service = Service.objects.get(slug="media-encoder")
    assert service.source == "https://git.example.com/media" and service.purpose == "Encodes <b>video</b>"


def test_an_uploaded_file_takes_its_name_as_the_source(staff):
    upload = SimpleUploadedFile("catalog-info.yaml", VALID.encode(), content_type="application/yaml")
    response = staff.post("/catalogue/import/", {"file": upload})
    assert response.status_code == 200
    assert Service.objects.get(slug="media-encoder").source == "upload:catalog-info.yaml"


def test_every_error_is_listed_and_nothing_is_applied(staff):
    upload = SimpleUploadedFile("bad.yaml", INVALID.encode())
    response = staff.post("/catalogue/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    title = re.search(r'<h2 id="report-title">Nothing was imported: (\d+) errors?</h2>', html)
    rows = re.findall(r"<tr><td>bad\.yaml, document (\d)</td>", html)
    assert title and len(rows) == int(title.group(1)) >= 2
    assert set(rows) == {"1", "2"}  # problems in both documents, listed together
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Service.objects.filter(slug="fine-service").exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_reason(staff):
    upload = SimpleUploadedFile("latin1.yaml", "name: caf\xe9".encode("latin-1"))
    response = staff.post("/catalogue/import/", {"file": upload})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_nothing_to_import_is_a_form_error(staff):
    response = staff.post("/catalogue/import/", {"text": "   "})
    assert response.status_code == 400
    assert "Choose a catalog-info.yaml file or paste its YAML." in response.content.decode()
    both = staff.post("/catalogue/import/", {"text": VALID, "file": SimpleUploadedFile("a.yaml", VALID.encode())})
    assert "Choose a file or paste YAML, not both." in both.content.decode()


def test_seeded_services_are_not_overwritten_unless_adopted(staff):
    catalog_seed()
    text = VALID.replace("media-encoder", "prediction-engine")
    refused = staff.post("/catalogue/import/", {"text": text})
    assert refused.status_code == 400
    assert Service.objects.get(slug="prediction-engine").owner == "group:diamond-cli"
    adopted = staff.post("/catalogue/import/", {"text": text, "adopt": "on"})
    assert adopted.status_code == 200
    assert Service.objects.get(slug="prediction-engine").owner == "group:media"


def test_export_downloads_the_catalogue_as_yaml(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    response = client.get("/catalogue/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="catalog-info.yaml"'
    documents = [d for d in yaml.safe_load_all(response.content) if d]
    assert sum(1 for d in documents if d["kind"] == "Component") == 22

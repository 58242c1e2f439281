"""The catalogue REST API (mounted at /api/v1/, see docs/api.md). Thin: selectors and services do the work."""

from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from ninja import File, Path, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder
from pydantic import WithJsonSchema

from apps.accounts.api_auth import API_AUTH, require
from apps.compliance.selectors import fleet_scorecard, scorecard_for
from apps.deployments.manifests import ARTEFACTS, ArtefactError, artefact_render

from .backstage.exporter import catalog_export_yaml
from .backstage.importer import catalog_import_text
from .backstage.parse import MAX_BYTES
from .models import Relation, Service
from .schemas import (
    ITEM_COLUMNS,
    Error,
    FleetScorecard,
    ImportReport,
    PageQuery,
    Scorecard,
    ServiceDetail,
    ServicePage,
    ServiceQuery,
    ServiceUrls,
    service_detail,
    service_item_from_row,
)
from .selectors import ServiceFilters, service_get, service_list

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


def sign_in_required(request: HttpRequest) -> None:
    """Last in AUTH: reached only when nothing before it recognised the caller."""
    raise AuthenticationError(401, "Sign in first: this API takes the session cookie of a signed-in user.")


# Personal API tokens, then the browser session; the last entry only explains the 401.
AUTH = [*API_AUTH, sign_in_required]

router = Router(tags=["catalogue"], auth=AUTH)


def service_or_404(slug: str) -> Service:
    try:
        return service_get(slug=slug)
    except Service.DoesNotExist:
        raise HttpError(404, f"No service has the slug {slug!r}; GET /api/v1/services lists them.") from None


def file_response(*, text: str, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- services -------------------------------------------------------------------------------------


@router.get("/services", response={200: ServicePage}, url_name="service_list", operation_id="service_list",
            summary="List services")
def service_list_api(request: HttpRequest, filters: Query[ServiceQuery], page: Query[PageQuery]):
    """The catalogue, ordered by category and slug. Two queries (count and page) at any size."""
    require(request, "view_fleet")
    services = service_list(filters=ServiceFilters(**filters.dict()))
    rows = services.values(*ITEM_COLUMNS)[page.offset:page.offset + page.limit]
    urls = ServiceUrls.for_request(request)
    items = [service_item_from_row(row, urls=urls) for row in rows]
    # The items have exactly ServicePage's shape (a test holds them to it); validating and
    # re-dumping 1,000 of them on every request would cost more than reading them.
    return JsonResponse({"count": services.count(), "limit": page.limit, "offset": page.offset, "items": items},
                        encoder=NinjaJSONEncoder)


@router.get("/services/{slug}", response={200: ServiceDetail, 404: Error}, url_name="service_get",
            operation_id="service_get", summary="One service")
def service_get_api(request: HttpRequest, slug: str):
    require(request, "view_fleet")
    service = service_or_404(slug)
    prefetch_related_objects(
        [service],
        Prefetch("relations_out", queryset=Relation.objects.select_related("target").order_by("type", "target__slug")),
        Prefetch("relations_in", queryset=Relation.objects.select_related("source").order_by("type", "source__slug")),
    )
    return service_detail(service, urls=ServiceUrls.for_request(request), relations_out=service.relations_out.all(),
                          relations_in=service.relations_in.all())


# --- compliance -----------------------------------------------------------------------------------


@router.get("/services/{slug}/compliance", response={200: Scorecard, 404: Error}, tags=["compliance"],
            url_name="service_compliance", operation_id="service_compliance",
            summary="One service's compliance scorecard (its latest scan)")
def service_compliance_api(request: HttpRequest, slug: str):
    require(request, "view_fleet")
    return scorecard_for(service=service_or_404(slug))


@router.get("/compliance", response=FleetScorecard, tags=["compliance"], url_name="fleet_compliance",
            operation_id="fleet_compliance", summary="The fleet's compliance scorecard")
def fleet_compliance_api(request: HttpRequest):
    require(request, "view_fleet")
    return fleet_scorecard()


# --- artefacts ------------------------------------------------------------------------------------

# An unknown kind is a 404 with the list of kinds (not a 422), so the enum is documentation only.
ArtefactKind = Annotated[str, WithJsonSchema({"type": "string", "enum": list(ARTEFACTS)}),
                         Path(description="The artefact to render.")]
ARTEFACT_OPENAPI = {
    "responses": {200: {"description": "The file itself (YAML, or text for a Dockerfile), as an attachment.",
                        "content": {"application/yaml": {"schema": {"type": "string"}},
                                    "text/plain": {"schema": {"type": "string"}}}}},
}


def artefact_response(*, kind: str, services: list, what: str) -> HttpResponse:
    if kind not in ARTEFACTS:
        raise HttpError(404, f"No artefact of kind {kind!r}; kinds are: {', '.join(ARTEFACTS)}.")
    try:
        artefact = artefact_render(kind=kind, services=services)
    except ArtefactError as exc:
        raise HttpError(400, f"No {ARTEFACTS[kind].label} for {what}: {exc}") from None
    return file_response(text=artefact.text, media_type=artefact.media_type, filename=artefact.filename)


@router.get("/services/{slug}/artefacts/{kind}", response={400: Error, 404: Error}, tags=["artefacts"],
            openapi_extra=ARTEFACT_OPENAPI, url_name="service_artefact", operation_id="service_artefact",
            summary="One service's container artefact: compose, knative, kubernetes, workflow or dockerfile")
def service_artefact_api(request: HttpRequest, slug: str, kind: ArtefactKind):
    require(request, "view_fleet")
    return artefact_response(kind=kind, services=[service_or_404(slug)], what=f"service {slug}")


@router.get("/artefacts/{kind}", response={400: Error, 404: Error}, tags=["artefacts"],
            openapi_extra=ARTEFACT_OPENAPI, url_name="fleet_artefact", operation_id="fleet_artefact",
            summary="The fleet's container artefact: compose, knative, kubernetes or workflow")
def fleet_artefact_api(request: HttpRequest, kind: ArtefactKind):
    require(request, "view_fleet")
    return artefact_response(kind=kind, services=list(service_list()), what="the fleet")


# --- import and export ----------------------------------------------------------------------------

IMPORT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                           "required": ["file"]},
            },
        },
    }
}


def import_body(request: HttpRequest, file: UploadedFile | None, filename: str) -> tuple[bytes, str]:
    """The YAML sent and its file name: a multipart ``file`` or the raw body."""
    if file is not None:
        # One byte over the limit is enough for the importer to say the file is too large.
        return file.read(MAX_BYTES + 1), file.name or filename
    if (request.content_type or "") not in YAML_TYPES:
        raise HttpError(415, "Send the YAML as the body (Content-Type: application/yaml or text/plain) or as the "
                             f"multipart form field 'file'; got {request.content_type or 'no Content-Type'}.")
    try:
        return request.body, filename
    except RequestDataTooBig:
        raise HttpError(413, "The body is larger than this server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE); "
                             "send the YAML as the multipart form field 'file' instead.") from None


@router.post("/catalog/import", response={200: ImportReport, 403: Error, 413: Error, 415: Error, 422: ImportReport},
             tags=["import/export"], openapi_extra=IMPORT_OPENAPI, url_name="catalog_import",
             operation_id="catalog_import", summary="Import Backstage catalog-info YAML (staff)")
def catalog_import_api(request: HttpRequest, source: str | None = None, adopt: bool = False, dry_run: bool = False,
                       filename: str = "catalog-info.yaml", file: File[UploadedFile] = None):
    """All of the file or none of it. Entities imported earlier from the same ``source`` and missing
    now are marked orphaned (``source`` defaults to ``upload:<file name>``, as in the import page).
    ``adopt`` takes over entities that came from another source; ``dry_run`` reports what would
    change and changes nothing. 200 with the report; 422 with the report when it has errors."""
    require(request, "import_catalog")
    body, filename = import_body(request, file, filename)
    report = catalog_import_text(text=body, source=source or f"upload:{filename}", filename=filename, adopt=adopt,
                                 dry_run=dry_run)
    return Status(422 if report.errors else 200, report)


@router.get("/catalog/export", tags=["import/export"], url_name="catalog_export", operation_id="catalog_export",
            openapi_extra={"responses": {200: {"description": "Every entity as Backstage catalog-info YAML.",
                                               "content": {"application/yaml": {"schema": {"type": "string"}}}}}},
            summary="Export the catalogue as Backstage catalog-info YAML")
def catalog_export_api(request: HttpRequest):
    require(request, "view_fleet")
    return file_response(text=catalog_export_yaml(), media_type="application/yaml; charset=utf-8",
                         filename="catalog-info.yaml")

"""The REST API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

api = NinjaAPI(
    docs_decorator=login_required,
    title="VisionSpace API",
    version="1",
    description="The service catalogue, compliance and container artefacts of the VisionSpace fleet.",
    urls_namespace="api",
)

# Each app adds its router here: api.add_router("/<prefix>", "<app>.api.router")
api.add_router("/", "apps.catalog.api.router")
api.add_router("/", "apps.studio.api.router")

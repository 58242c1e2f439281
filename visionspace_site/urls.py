from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.core import views as core_views

from .api import api


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("catalogue/", include("apps.catalog.urls")),
    path("stage/", include("apps.stage.urls")),
    path("", include("apps.core.urls")),
]

if settings.DEBUG and settings.MEDIA_BACKEND == "filesystem":
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

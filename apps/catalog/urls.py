from django.urls import path

from . import views

app_name = "catalog"

# Fixed pages first: a service whose slug is one of these words would be shadowed, so
# the importer should refuse "graph", "import", "export" and "artefacts" as names.
urlpatterns = [
    path("", views.wall, name="wall"),
    path("graph/", views.relations_graph, name="graph"),
    path("import/", views.catalog_import, name="import"),
    path("export/", views.catalog_export, name="export"),
    path("artefacts/<slug:kind>/", views.artefact_download, name="fleet_artefact"),
    path("<str:slug>/", views.service_detail, name="service"),
    path("<str:slug>/artefacts/<slug:kind>/", views.artefact_download, name="service_artefact"),
]

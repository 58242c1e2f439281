from django.urls import path

from . import views

app_name = "stage"

urlpatterns = [
    path("", views.stage_index, name="index"),
    path("media/<path:name>", views.render_media, name="media"),
    path("<slug:slug>/", views.stage_page, name="page"),
    path("<slug:slug>/state", views.stage_state, name="state"),
    path("<slug:slug>/request", views.stage_request, name="request"),
]

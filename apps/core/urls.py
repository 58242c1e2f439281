from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("live/", views.live, name="live"),
    path("<slug:slug>/", views.section, name="section"),
]

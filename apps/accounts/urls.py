from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("one-time/<str:token>/", views.one_time_login, name="one_time_login"),
    path("sign-out/", views.sign_out, name="sign_out"),
]

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("one-time/<str:token>/", views.one_time_login, name="one_time_login"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

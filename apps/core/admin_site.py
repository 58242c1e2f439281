"""The Django admin, for admins only: others get a 403, not a login form to try again."""

from functools import update_wrapper

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from apps.accounts.roles import is_admin


class VisionSpaceAdminSite(admin.AdminSite):
    site_header = "VisionSpace operations"
    site_title = "VisionSpace admin"
    index_title = "Operations"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and is_admin(user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The Django admin is for admins.")
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        # Through allauth's sign-in (rate limits, second factor), never the admin's own form.
        return secure_admin_login(super().login)(request, extra_context)

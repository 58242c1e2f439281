from django.core.management.base import BaseCommand

from apps.accounts.services import local_admin_ensure, one_time_login_create


class Command(BaseCommand):
    help = "Print a one-time sign-in link for the local admin (created if missing)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--username", default="admin")

    def handle(self, *args, base_url: str, username: str, **options):
        user = local_admin_ensure(username=username)
        token = one_time_login_create(user=user)
        self.stdout.write(f"{base_url.rstrip('/')}/accounts/one-time/{token}/")

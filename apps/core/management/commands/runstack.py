import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import local_admin_ensure, one_time_login_create
from apps.core.embedded_redis import RedisUnavailable
from apps.core.stack import Stack


class Command(BaseCommand):
    help = "Run VisionSpace: web (Daphne), Celery worker and beat, and a Redis when REDIS_URL is unset."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("VISIONSPACE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VISIONSPACE_PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="do not start a Celery worker")
        parser.add_argument("--no-beat", action="store_true", help="do not start Celery beat")

    def handle(self, *args, host: str, port: int, no_worker: bool, no_beat: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("catalog_seed", verbosity=0)
        stack = Stack(
            base_dir=settings.BASE_DIR,
            host=host,
            port=port,
            redis_socket=settings.EMBEDDED_REDIS_SOCKET,
            worker=not no_worker,
            beat=not no_beat,
        )
        stack.handle_signals()
        try:
            stack.start(redis_wanted=not os.environ.get("REDIS_URL"))
            stack.wait_until_serving()
            if not stack.stop_requested.is_set():
                self._banner(stack)
                stack.wait()
        except (RedisUnavailable, RuntimeError) as exc:
            stack.stop()
            raise CommandError(str(exc)) from exc
        stack.stop()
        self.stdout.write("VisionSpace stopped; no process left behind.")

    def _banner(self, stack: Stack) -> None:
        token = one_time_login_create(user=local_admin_ensure())
        redis = stack.embedded_redis.url if stack.embedded_redis else "REDIS_URL"
        lines = [
            "",
            f"  VisionSpace is running at {stack.url}/",
            f"  Sign in once as the local admin: {stack.url}/accounts/one-time/{token}/",
            f"  (valid {settings.ONE_TIME_LOGIN_TTL_SECONDS // 60} minutes; new link: python manage.py signin_link)",
            f"  Redis: {redis}   Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}",
            "  Press Ctrl-C to stop everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        sys.stdout.flush()

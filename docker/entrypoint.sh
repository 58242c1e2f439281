#!/bin/sh
# Starts one role of the VisionSpace image. Every branch uses exec so that the role's
# process replaces this shell and receives the platform's SIGTERM directly.
set -eu

role="${1:-web}"
if [ "$#" -gt 0 ]; then
  shift
fi

case "$role" in
  web)
    # Access lines come as JSON from RequestIdMiddleware; daphne's own would duplicate them.
    exec daphne -b 0.0.0.0 -p "${PORT:-8000}" --access-log /dev/null \
      visionspace_site.asgi:application "$@"
    ;;
  worker)
    exec celery -A visionspace_site worker --loglevel="${LOG_LEVEL:-INFO}" \
      --without-gossip --without-mingle "$@"
    ;;
  beat)
    # The image's code directory is read-only, so the schedule state lives in /tmp.
    exec celery -A visionspace_site beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule /tmp/celerybeat-schedule "$@"
    ;;
  migrate)
    exec python manage.py migrate --noinput "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    echo "entrypoint: unknown role '$role'; use web, worker, beat, migrate or manage." >&2
    exit 64
    ;;
esac

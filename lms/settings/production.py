"""Production: everything security-relevant comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. Optional: EMAIL_URL,
CACHE_URL, MEDIA_ROOT, CSRF_TRUSTED_ORIGINS, WAGTAILADMIN_BASE_URL,
TRUSTED_PROXY_COUNT.
"""

import importlib.util
import logging
import warnings

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
# Rotating the key: the old one here keeps sessions and links in e-mails
# already sent (unsubscribe, confirm) working until it is removed.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database_from_env(env("DATABASE_URL")), **replica_from_env()}
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
# Seconds each step of talking to the mail server may take: without it a
# server that stops answering holds a task worker for ever, and a message
# could not be told apart from one whose worker died (lms/delivery.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

STORAGES["staticfiles"]["BACKEND"] = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Only `make serve-prod`, on plain HTTP at 127.0.0.1, turns these off: a
# browser would not send secure cookies back there.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Logs: one JSON object per line (LOG_FORMAT=text for plain lines), and a
# line per request with its id, the user's id, status and duration.
if env("LOG_FORMAT", default="json") == "json":
    LOGGING["formatters"] = {"json": {"()": "lms.logs.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["loggers"]["lms.requests"]["level"] = env("REQUEST_LOG_LEVEL", default="INFO")

# An error tracker, only when asked for and installed: it is not a dependency.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN and importlib.util.find_spec("sentry_sdk") is None:
    warnings.warn(
        "SENTRY_DSN is set but sentry-sdk is not installed: errors are only "
        "logged. Install it (pip install sentry-sdk) to send them.",
        stacklevel=1,
    )
elif SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        # No names, addresses or client IPs: personal data stays here.
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# From here on Python's warnings (a library's, or "no static files yet") are
# log lines too, through the "py.warnings" logger, not bare text between them.
# Not before: until Django configures logging, a captured warning is dropped,
# and the settings' own warnings above must reach the console.
if env("LOG_FORMAT", default="json") == "json":
    logging.captureWarnings(True)

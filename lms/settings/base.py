"""Settings shared by every environment; values come from environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from lms.plugins import enabled_plugins, plugin_apps
from lms.task_queues import TASK_QUEUES

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

CORE_APPS = [
    "lms",
    "content",
    "cohorts",
    "scheduling",
    "learning",
    "insights",
    "notifications",
    "calendars",
    "newsletter",
    "organisations",
    "chapters",
    "api",
    # django-ninja's own static files: the API's docs page serves Swagger UI
    # from the site, not from a CDN (the site's CSP and visitors' privacy).
    "ninja",
    "sdk",  # templates plugins include (sdk/group_nav.html)
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.users_app.LmsUsersConfig",  # wagtail.users, auditing role changes
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# Plugins: entry-point names (group "lms.plugins") to enable, and their
# settings keyed by app label. A plugin that cannot load is left out and
# reported; see lms/plugins.py and docs/plugins.md.
# None by default in production; LMS_PLUGINS_EXTRA adds to the defaults.
ENABLED_PLUGINS = enabled_plugins([], why_defaults="")
LMS_PLUGINS = list(ENABLED_PLUGINS)
# Installed with Learning Commons (plugins/); development and tests enable them.
FIRST_PARTY_PLUGINS = [
    "toolkits",
    "coaching",
    "grantwriting",
    "discussions",
    "surveys",
    "partners",
]
LMS_PLUGINS_CONFIG = env.json("LMS_PLUGINS_CONFIG", default={})
INSTALLED_APPS = CORE_APPS + plugin_apps(ENABLED_PLUGINS)

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host and HTTPS checks.
    "lms.health.HealthCheckMiddleware",
    # A request id for every line logged while serving, and a line per request.
    "lms.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lms.middleware.ProxyWithoutTrustMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.APILanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before anything that asks which Wagtail site a request is for.
    "lms.page_lookups.SiteLookupMiddleware",
    # Inside CSRF (a page served from it gets a token and cookie of its own),
    # before anything that reads who the visitor is.
    "lms.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(default: str) -> dict:
    """Read DATABASE_URL; SQLite gets WAL and immediate transactions.

    Immediate transactions take the write lock at BEGIN, so two writers queue
    instead of one failing with "database is locked" halfway through.
    """
    config = env.db_url("DATABASE_URL", default=default)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                ),
            }
        )
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}


def replica_from_env() -> dict:
    """A read replica of the primary for reports (lms/db_routers.py), when
    DATABASE_REPLICA_URL names one: the database aliases to add."""
    url = env("DATABASE_REPLICA_URL", default="")
    return {"replica": env.db_url_config(url)} if url else {}


DATABASES.update(replica_from_env())
DATABASE_ROUTERS = ["lms.db_routers.ReportsFromReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_BASE_OPTIONS = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
DJANGO_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def cache_config(url: str) -> dict:
    """The cache a CACHE_URL names, with `?key_prefix=…` and `?timeout=…` honoured.

    django-environ lower-cases every query parameter for Django's own Redis
    backend, and Django reads only KEY_PREFIX, TIMEOUT… in capitals: two sites
    sharing one Redis would otherwise share (and clear) each other's keys.
    Redis is lms.cache.ForgivingRedisCache: pages keep being served, from the
    database, while Redis is away.
    """
    config = environ.Env.cache_url_config(url)
    for name in CACHE_BASE_OPTIONS:
        if name.lower() in config:
            config[name] = config.pop(name.lower())
    if config["BACKEND"] == DJANGO_REDIS_CACHE:
        config["BACKEND"] = "lms.cache.ForgivingRedisCache"
    return config


def cache_of_its_own(default: dict, name: str) -> dict:
    """A cache for many large values: on `PAGES_CACHE_URL` when it is set (a
    Redis of its own, or a database of one with its own memory limit), else
    the default cache's server under a key prefix of its own (in memory, a
    store of its own). On one Redis server the two share its memory: pages
    filling it could push out the default cache's small values, such as
    rate-limit counters (docs/deploy.md)."""
    own_server = env("PAGES_CACHE_URL", default="")
    base = cache_config(own_server) if own_server else default
    config = {**base, "KEY_PREFIX": base.get("KEY_PREFIX", "") + name}
    if "locmem" in config["BACKEND"]:
        config["LOCATION"] = name
    return config


CACHES = {"default": cache_config(env("CACHE_URL", default="locmemcache://"))}
# Whole pages kept for visitors who are not signed in (lms/page_cache.py).
CACHES["pages"] = cache_of_its_own(CACHES["default"], "pages")
# The catalogue's filter choices, one entry per combination of filters a
# visitor can ask for (cohorts/catalogue.py).
CACHES["catalogue"] = cache_of_its_own(CACHES["default"], "catalogue")
# How long a kept page may be shown; 0 turns the page cache off. Off by
# default unless the cache is shared by every server process: a page made
# private through one process must be dropped by all.
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS",
    default=0 if "locmem" in CACHES["default"]["BACKEND"] else 300,
)
# Tell whether a page came from the cache (X-Page-Cache); for tests only.
PAGE_CACHE_HEADER = False

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# django-allauth: e-mail is the login, and must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lms.forms.SignupNameForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {
    "login": "lms.account_forms.SiteLoginForm",
    "signup": "lms.account_forms.SiteSignupForm",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# One way in: Wagtail's admin sends people to allauth's login (and back to
# /admin/ after), so verification and rate limits apply there too; its own
# login and password reset URLs redirect to allauth's (lms/urls.py).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Passwords and addresses are changed through allauth's pages, where its
# verification, rate limits and signals apply (/accounts/password/change/,
# /accounts/email/), not in the admin's account settings.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Rate limits are counted in the default cache: with several server processes
# it must be shared (CACHE_URL=redis://…), or each process counts its own.
# While Redis is unreachable each process counts its own (lms/cache.py).
# Only addresses added by the proxies we run are believed (X-Forwarded-For).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The API's client addresses the same way (django-ninja believes every
# X-Forwarded-For address unless told how many proxies there are).
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT
# Requests to the API (api/throttles.py), counted in the default cache too:
# per token or signed-in person, and per address for those without either.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/min")
API_ANONYMOUS_RATE_LIMIT = env("API_ANONYMOUS_RATE_LIMIT", default="120/min")
ACCOUNT_RATE_LIMITS = {
    # Mail that anyone can make the site send (join links, newsletter
    # confirmations), per client and per recipient (lms/throttle.py).
    "send_mail": "20/h/ip,5/h/key",
    # Messages anyone may leave for staff without an account (a correction
    # to the partners directory), per client.
    "public_message": "10/h/ip",
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="UTC")

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Learning Commons"
# Links in e-mails, feeds and the demo's printout; by default the address
# `make run` serves (PORT=8811 make run serves on 8811).
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}"
)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents always go through Wagtail's view, which checks collection privacy;
# MEDIA_URL never serves documents/ directly (see lms/urls.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "doc", "docx", "odt", "txt", "rtf", "xls", "xlsx", "ods", "csv",
    "ppt", "pptx", "odp",
]  # fmt: skip
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Attachments only their owners may read (lms.files.PrivateStorage): never
# under MEDIA_ROOT, never served by the web server.
PRIVATE_MEDIA_ROOT = Path(
    env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
)
# Where `manage.py backup` writes archives unless told (docs/deploy.md).
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "lms.files.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def object_storage(env: environ.Env) -> dict:
    """Media and private media in S3-compatible object storage (AWS, MinIO,
    Backblaze, Scaleway…) when MEDIA_S3_BUCKET is set: images and documents
    in that bucket, private files in MEDIA_S3_PRIVATE_BUCKET (required: a
    bucket of its own, so no bucket policy has to keep two kinds of file
    apart). Block public access on both. Credentials from AWS_ACCESS_KEY_ID
    and AWS_SECRET_ACCESS_KEY, or the machine's role."""
    bucket = env("MEDIA_S3_BUCKET", default="")
    if not bucket:
        return {}
    private_bucket = env("MEDIA_S3_PRIVATE_BUCKET", default="")
    if not private_bucket or private_bucket == bucket:
        raise ImproperlyConfigured(
            "MEDIA_S3_PRIVATE_BUCKET must name a second bucket for private files"
        )
    common = {
        "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
        "region_name": env("MEDIA_S3_REGION", default=None),
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                # Nothing in the bucket is public: Wagtail's documents are as
                # private as their collection and go through its view; images
                # are shown by signed addresses that expire after an hour.
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60 * 60,
            },
        },
        "private": {
            "BACKEND": "lms.files.PrivateS3Storage",
            "OPTIONS": {**common, "bucket_name": private_bucket},
        },
    }


STORAGES.update(object_storage(env))

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Learning Commons <hello@localhost>"
)

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
}
# /readyz fails when a task due this long ago has not been started: no worker
# is running, or the workers cannot keep up.
READYZ_TASK_QUEUE_MAX_AGE = timedelta(
    seconds=env.int("READYZ_TASK_QUEUE_MAX_AGE", default=300)
)
# A task still running this long after it started was left by a worker that
# stopped: the workers queue it again (lms/task_sweep.py). Longer than any
# task takes; they look every TASK_SWEEP_EVERY.
TASK_STUCK_AFTER = timedelta(seconds=env.int("TASK_STUCK_AFTER", default=30 * 60))
TASK_SWEEP_EVERY = timedelta(seconds=env.int("TASK_SWEEP_EVERY", default=5 * 60))

# The public site gets a strict policy; the Wagtail admin needs inline scripts
# and styles, so lms.middleware swaps in ADMIN_CONTENT_SECURITY_POLICY there.
_STRICT_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _STRICT_CSP}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_STRICT_CSP,
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'", "https:"],
    }
}
ADMIN_URL_PREFIXES = ("/admin/",)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "lms.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Page actions are already in Wagtail's audit log; keep the console readable.
    "loggers": {
        "django.request": {"filters": ["one_line_refusals"]},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", default="WARNING")},
        # A line per request; runserver prints its own in development.
        "lms.requests": {"level": env("REQUEST_LOG_LEVEL", default="WARNING")},
    },
}

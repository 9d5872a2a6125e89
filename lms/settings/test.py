"""pytest settings: fast hashing, tasks at once (indexes wait), mail in memory."""

import os

from .base import *

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Immediate, but for Wagtail's search and reference indexes (lms/task_backends.py).
TASKS = {
    "default": {
        "BACKEND": "lms.task_backends.IndexesLaterBackend",
        "QUEUES": TASK_QUEUES,
    }
}
# Tests of reminders switch to the database backend (tests/test_reminders.py).
SILENCED_SYSTEM_CHECKS = ["cohorts.W001"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".pytest_cache" / "media"
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", ".localhost", "127.0.0.1"]
LOGGING["root"]["level"] = "WARNING"
# On in tests/test_page_cache.py only: elsewhere a test could be served a
# page kept by an earlier test, whose rows were rolled back without a signal.
PAGE_CACHE_SECONDS = 0
# The API's tests ask it hundreds of times a minute (schemathesis); the
# limits' own test sets them low.
API_RATE_LIMIT = API_ANONYMOUS_RATE_LIMIT = "100000/min"
PAGE_CACHE_HEADER = True

# The example plugin implements every hook; the suite runs with it enabled.
ENABLED_PLUGINS = enabled_plugins(
    ["example", *FIRST_PARTY_PLUGINS],
    why_defaults="on in tests (LMS_PLUGINS is unset)",
)
LMS_PLUGINS = list(ENABLED_PLUGINS)
INSTALLED_APPS = CORE_APPS + plugin_apps(ENABLED_PLUGINS)
LMS_PLUGINS_STRICT = True

# A test database is thrown away: a commit need not wait for the disk (a
# per-connection setting; it changes durability after a crash, never what a
# query sees).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c synchronous_commit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _options = DATABASES["default"]["OPTIONS"]
    _options["init_command"] = _options["init_command"].replace(
        "synchronous=NORMAL", "synchronous=OFF"
    )
    # A file, not memory: threads in the concurrency tests each open their own
    # connection, and serialise through the immediate transactions as in use.
    TEST_DB_DIR = BASE_DIR / ".pytest_cache"
    TEST_DB_DIR.mkdir(exist_ok=True)  # a fresh clone has no such folder yet
    # A file per run (xdist's workers share their run's id and add their own
    # suffix), so runs side by side, and a test's own inner pytest run, never
    # open one another's database.
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or os.getpid()
    _name = f"test-db-{_run}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DB_DIR / _name)}

"""Local development: debug on, e-mail printed to the console, SQLite by default."""

from .base import *

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
# ".localhost": every name below localhost (a chapter per name, e.g.
# la.localhost), which browsers and most resolvers send to this machine.
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", ".localhost", "127.0.0.1", "[::1]"]
)
# An edited template shows at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)

ENABLED_PLUGINS = enabled_plugins(
    FIRST_PARTY_PLUGINS, why_defaults="on in development (LMS_PLUGINS is unset)"
)
LMS_PLUGINS = list(ENABLED_PLUGINS)
INSTALLED_APPS = CORE_APPS + plugin_apps(ENABLED_PLUGINS)

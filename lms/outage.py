"""A 503 page, not a 500, while the database cannot be reached.

When PostgreSQL refuses connections (stopped, restarting, too many
connections, a database not accepting any) or drops them mid-request, every
request that needs it fails: the visitor is told the site is briefly
unavailable, with `Retry-After`, in their language, by a page that needs no
database (no context processors, no Wagtail site; SessionMiddleware saves
no session on a 5xx answer), and the log gets one line instead of a
traceback. An OperationalError that is a bug (a bad query, a missing
table) is still a 500 with its traceback.

`server_error` is the URL conf's handler500: Django calls it for every
exception nothing else turned into a response, raised by a view or by any
middleware, with the exception being handled still in `sys.exc_info()`.
"""

import logging
import sqlite3
import sys

import psycopg
from django import db
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# SQLSTATE classes of PostgreSQL's errors that say the connection, not the
# query, failed: 08 connection exception, 57P operator intervention (the
# server shutting down, crashed, or starting up), and too many connections.
UNREACHABLE_SQLSTATE_PREFIXES = ("08", "57P", "53300")
# SQLite's file cannot be opened, or another writer held it past the timeout.
UNREACHABLE_SQLITE_CODES = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY})


def is_database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` says the database could not be reached, rather than
    that a query was wrong. Django wraps the driver's exception, which it
    keeps as the cause: psycopg gives no SQLSTATE for an error of its own
    (a refused or lost connection) and the server's class for the others;
    sqlite3 gives its result code."""
    if isinstance(error, db.InterfaceError):
        return True
    if not isinstance(error, db.OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, psycopg.Error):
        return cause.sqlstate is None or cause.sqlstate.startswith(
            UNREACHABLE_SQLSTATE_PREFIXES
        )
    if isinstance(cause, sqlite3.Error):
        return (
            getattr(cause, "sqlite_errorcode", 0) & 0xFF
        ) in UNREACHABLE_SQLITE_CODES
    return False


def unavailable(request: HttpRequest) -> HttpResponse:
    """The short page that says the site will be back, in the visitor's
    language as the address or their browser tells it."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        page = render_to_string(
            "lms/unavailable.html", {"language": translation.get_language()}
        )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if not is_database_unreachable(error):
        return defaults.server_error(request)
    logger.warning(
        "Database unreachable: %s answered 503",
        request.path,
        extra={"fault": "database", "error": f"{type(error).__name__}: {error}"},
    )
    return unavailable(request)

"""A database that cannot be reached answers 503 (lms/outage.py), a bug 500."""

import json
import logging
import sqlite3

import psycopg
import pytest
from django import db
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from lms import outage
from lms.logs import OneLineRefusals
from tests.helpers import run_python
from tests.test_security import LONG_KEY


def driver_error(cause: Exception, wrapper: type = db.OperationalError) -> Exception:
    """`cause` as Django hands it on: wrapped, the driver's error its cause."""
    try:
        raise wrapper(str(cause)) from cause
    except wrapper as wrapped:
        return wrapped


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    ("cause", "unreachable"),
    [
        # psycopg's own: connection refused, or lost.
        (psycopg.OperationalError("connection failed: Connection refused"), True),
        (psycopg.OperationalError("the connection is closed"), True),
        # PostgreSQL's classes 08 and 57P, and too many connections.
        (psycopg.errors.lookup("08006")("connection failure"), True),
        (psycopg.errors.lookup("57P01")("terminating connection"), True),
        (psycopg.errors.lookup("57P03")("the database system is starting up"), True),
        (psycopg.errors.lookup("53300")("too many clients already"), True),
        # A query's own failures.
        (psycopg.errors.lookup("57014")("canceling statement (timeout)"), False),
        (psycopg.errors.lookup("40P01")("deadlock detected"), False),
        (psycopg.errors.lookup("53100")("could not extend file"), False),
        (sqlite3.OperationalError("no such table: nowhere"), False),
    ],
)
def test_only_errors_of_the_connection_count_as_unreachable(cause, unreachable):
    assert outage.is_database_unreachable(driver_error(cause)) is unreachable


@pytest.mark.backend_independent
def test_other_errors_are_not_an_outage():
    assert outage.is_database_unreachable(db.InterfaceError("closed")) is True
    assert outage.is_database_unreachable(db.OperationalError("no cause")) is False
    assert outage.is_database_unreachable(db.IntegrityError("duplicate")) is False
    assert outage.is_database_unreachable(ValueError("no")) is False
    assert outage.is_database_unreachable(None) is False


def unreachable_connection():
    """A connection to the test database's server, to a database (or an
    SQLite folder) that is not there."""
    missing = (
        "/no-such-folder/db.sqlite3"
        if connection.vendor == "sqlite"
        else "no_such_database_for_outage"
    )
    return connections["default"].__class__(
        {**connection.settings_dict, "NAME": missing}, "default"
    )


@pytest.mark.django_db
def test_a_real_failure_to_connect_counts_as_unreachable():
    broken = unreachable_connection()
    with pytest.raises(db.OperationalError) as failed:
        broken.ensure_connection()
    assert outage.is_database_unreachable(failed.value)


@pytest.mark.django_db
def test_a_bad_query_does_not_count_as_unreachable():
    with pytest.raises(db.DatabaseError) as failed, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_anywhere")
    assert not outage.is_database_unreachable(failed.value)


@pytest.fixture
def database_away(db):
    """Every query of the request goes to a database that is not there."""
    real = connections["default"]
    broken = unreachable_connection()
    connections._connections.default = broken
    try:
        yield
    finally:
        connections._connections.default = real
        broken.close()


@pytest.fixture
def visitor():
    # The 500 a test client would otherwise raise is what is looked at.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "session"),
    [("/", ""), ("/accounts/login/", ""), ("/dashboard/", "someones-session")],
)
def test_pages_answer_503_while_the_database_is_away(
    visitor, database_away, page, session, caplog
):
    caplog.set_level(logging.WARNING)
    if session:  # a signed-in visitor's session is looked up
        visitor.cookies[settings.SESSION_COOKIE_NAME] = session
    response = visitor.get(page)
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="en">' in response.content.decode()
    assert "Back in a moment" in response.content.decode()
    warnings = [r for r in caplog.records if r.name == "lms.outage"]
    assert [r.fault for r in warnings] == ["database"]
    # Django's own line for the 503 comes without its traceback.
    request_lines = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in request_lines] == [503]
    assert all(OneLineRefusals().filter(r) and not r.exc_info for r in request_lines)


@pytest.mark.django_db
def test_a_post_answers_503_and_the_page_is_in_the_visitors_language(
    visitor, database_away
):
    response = visitor.post(
        "/es/accounts/login/", {"login": "a@example.org", "password": "x"}
    )
    assert response.status_code == 503
    assert '<html lang="es">' in response.content.decode()
    response = visitor.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in response.content.decode()


@pytest.mark.django_db
def test_health_while_the_database_is_away(visitor, database_away):
    assert visitor.get("/healthz").status_code == 200
    assert visitor.get("/readyz").status_code == 503


def bad_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_anywhere")
    return HttpResponse("unreachable")


def connection_lost_after_a_session_write(request):
    request.session["half-way"] = True
    raise driver_error(psycopg.OperationalError("server closed the connection"))


urlpatterns = [
    path("bad-query/", bad_query),
    path("session-then-lost/", connection_lost_after_a_session_write),
]
handler500 = outage.server_error


@pytest.mark.django_db
@pytest.mark.urls("tests.test_outage")
def test_the_503_saves_no_session(visitor):
    """Saving it would only fail again (Django saves none on a 5xx)."""
    response = visitor.get("/session-then-lost/")
    assert response.status_code == 503
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_outage")
def test_a_bad_query_is_still_a_500_with_its_traceback(visitor, caplog):
    response = visitor.get("/bad-query/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    [logged] = [r for r in caplog.records if r.name == "django.request"]
    assert logged.status_code == 500
    assert OneLineRefusals().filter(logged) and logged.exc_info


@pytest.mark.backend_independent
def test_production_logs_a_database_outage_as_json_lines():
    """Production settings, PostgreSQL on a port where nothing listens."""
    result = run_python(
        "manage.py",
        "shell",
        "-c",
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/', "
        "HTTP_HOST='learning.example.org');"
        "print('answered', r.status_code, r['Retry-After'])",
        env={
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": LONG_KEY,
            "ALLOWED_HOSTS": "learning.example.org",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
            "CACHE_URL": "locmemcache://",
            "SECURE_SSL_REDIRECT": "False",
            "REQUEST_LOG_LEVEL": "INFO",
        },
    )
    assert result.stdout.split()[-3:] == [
        "answered",
        "503",
        str(outage.RETRY_AFTER_SECONDS),
    ]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    by_logger = {line["logger"]: line for line in lines}
    assert by_logger["lms.outage"]["fault"] == "database"
    assert by_logger["lms.outage"]["level"] == "WARNING"
    assert by_logger["django.request"]["status_code"] == 503
    assert "exception" not in by_logger["django.request"]
    assert by_logger["lms.requests"]["status"] == 503

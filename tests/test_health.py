"""/healthz and /readyz: what a load balancer sees, and each readiness check failing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from lms import health

pytestmark = pytest.mark.django_db

# What a load balancer sends: plain HTTP, to the server's own address.
BALANCER = {"HTTP_HOST": "10.0.3.7:8000"}


def ready(client) -> tuple[int, dict]:
    response = client.get("/readyz", **BALANCER)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def waiting_task(*, queued_ago: timedelta, run_after=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="notifications.tasks.send_reminder",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - queued_ago
    )
    return task


def test_healthz_answers_a_balancer_over_plain_http_by_any_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["learning.example.org"]
    response = client.get("/healthz", **BALANCER)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_a_balancer_over_plain_http_by_any_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["learning.example.org"]
    status, body = ready(client)
    assert status == 200, body
    assert body == {
        "status": "ok",
        "failing": [],
        "checks": {
            "database": "ok",
            "cache": "ok",
            "migrations": "ok",
            "task_queue": "ok",
        },
    }


def test_the_rest_of_the_site_still_refuses_unknown_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["learning.example.org"]
    assert client.get("/", **BALANCER).status_code == 400


def test_an_unapplied_migration_makes_it_not_ready(client):
    MigrationRecorder.Migration.objects.filter(app="lms", name="0001_initial").delete()
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == "failing: 1 unapplied"


def test_a_task_waiting_past_the_limit_makes_it_not_ready(client, settings):
    settings.READYZ_TASK_QUEUE_MAX_AGE = timedelta(minutes=5)
    waiting_task(queued_ago=timedelta(minutes=6))
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["task_queue"]
    assert body["checks"]["task_queue"].startswith(
        "failing: oldest due task has waited 360 s (limit 300 s)"
    )


def test_a_task_due_long_ago_by_its_run_after_makes_it_not_ready(client):
    # Queued a week ago for a reminder that fell due ten minutes ago.
    waiting_task(
        queued_ago=timedelta(days=7),
        run_after=timezone.now() - timedelta(minutes=10),
    )
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["task_queue"]
    assert "has waited 600 s" in body["checks"]["task_queue"]


def test_tasks_not_yet_due_or_recent_or_started_are_fine(client):
    # A reminder for tomorrow, queued a week ago.
    waiting_task(
        queued_ago=timedelta(days=7),
        run_after=timezone.now() + timedelta(days=1),
    )
    waiting_task(queued_ago=timedelta(minutes=1))
    started = waiting_task(queued_ago=timedelta(hours=1))
    DBTaskResult.objects.filter(pk=started.pk).update(status=TaskResultStatus.RUNNING)
    status, body = ready(client)
    assert status == 200, body


def test_a_cache_that_cannot_be_reached_makes_it_not_ready(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == "failing: error (details in the server log)"
    assert "127.0.0.1" not in str(body)


@pytest.fixture
def unreachable_database(monkeypatch):
    """lms.health's connection pointed at a database that is not there."""
    missing = (
        "/no-such-folder/db.sqlite3"
        if connection.vendor == "sqlite"
        else "no_such_database_for_readyz"
    )
    broken = connections["default"].__class__(
        {**connection.settings_dict, "NAME": missing}, "default"
    )
    monkeypatch.setattr(health, "connection", broken)
    yield
    broken.close()


def test_a_database_that_cannot_be_reached_makes_it_not_ready(
    client, unreachable_database
):
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["database", "migrations", "task_queue"]
    assert body["checks"] == {
        "database": "failing: error (details in the server log)",
        "cache": "ok",
        "migrations": "skipped: database unreachable",
        "task_queue": "skipped: database unreachable",
    }
    database = connection.settings_dict
    for secret in (
        database["NAME"],
        database["HOST"] or "127.0.0.1",
        database["PASSWORD"] or settings.SECRET_KEY,
        settings.SECRET_KEY,
        "no_such_database",
        "no-such-folder",
    ):
        assert secret not in str(body)


def test_healthz_does_not_touch_the_database(client, unreachable_database):
    assert client.get("/healthz", **BALANCER).status_code == 200


def test_health_checks_work_without_the_middleware_too(client, settings):
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "lms.health.HealthCheckMiddleware"
    ]
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


def test_the_middleware_answers_only_reads(client):
    response = client.post("/readyz", **BALANCER)
    # Past the middleware: the host check refuses it.
    assert response.status_code == 400

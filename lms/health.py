"""Health checks for load balancers and orchestrators.

`/healthz`: the process answers (liveness; touches nothing else, so a
database outage never gets healthy web processes restarted).
`/readyz`: this process can serve real requests (readiness): the database
and the cache answer, every migration on disk is applied, and the task
queue is moving. A failing check gives 503 and names the check.

Both answer JSON without secrets or host names: an exception's text (which
names hosts and ports) goes to the log, never into the response. Both are
answered by `HealthCheckMiddleware` before anything that looks at the Host
header or the scheme: a load balancer asks over plain HTTP, by the
server's internal address.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

OK = "ok"


class CheckFailed(Exception):
    """A check's finding, safe to show: no host names, no exception text."""


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    key = f"lms:readyz:{uuid.uuid4().hex}"
    default_cache.set(key, "1", timeout=10)
    found = default_cache.get(key)
    default_cache.delete(key)
    if found != "1":
        raise CheckFailed("a value written could not be read back")
    return OK


@cache
def migration_loader() -> MigrationLoader:
    """The migrations this code ships (read once: the code does not change
    under a running process; the database may)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def migrations_on_disk() -> frozenset[tuple[str, str]]:
    """The migrations a database must have applied: a squashed migration
    stands for those it replaces (`migrate` records both)."""
    return frozenset(migration_loader().graph.nodes)


def check_migrations() -> str:
    applied = MigrationRecorder(connection).applied_migrations()
    missing = migrations_on_disk() - applied.keys()
    if missing:
        raise CheckFailed(f"{len(missing)} unapplied")
    return OK


def oldest_due_task_age() -> timedelta | None:
    """How long the longest-waiting task that is due but not started has
    waited: since it was queued, or since its `run_after` time."""
    now = timezone.now()
    never_later = get_date_max()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.aggregate(
        # run_after holds the largest date when the task may run at once.
        queued=Min("enqueued_at", filter=Q(run_after=never_later)),
        due=Min("run_after", filter=Q(run_after__lt=never_later, run_after__lte=now)),
    )
    since = [moment for moment in oldest.values() if moment is not None]
    return now - min(since) if since else None


def check_task_queue() -> str:
    age = oldest_due_task_age()
    limit = settings.READYZ_TASK_QUEUE_MAX_AGE
    if age is not None and age > limit:
        raise CheckFailed(
            f"oldest due task has waited {int(age.total_seconds())} s "
            f"(limit {int(limit.total_seconds())} s): is a worker running?"
        )
    return OK


READINESS_CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "migrations": check_migrations,
    "task_queue": check_task_queue,
}
# Checks that read the database are skipped once it is unreachable.
NEEDS_DATABASE = ("migrations", "task_queue")


def run_checks() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        if name in NEEDS_DATABASE and results.get("database", OK) != OK:
            results[name] = "skipped: database unreachable"
            continue
        try:
            results[name] = check()
        except CheckFailed as finding:
            results[name] = f"failing: {finding}"
        except Exception:
            logger.exception("Readiness check %s failed", name)
            results[name] = "failing: error (details in the server log)"
    return results


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponseBase:
    return JsonResponse({"status": OK})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponseBase:
    checks = run_checks()
    failing = [name for name, result in checks.items() if result != OK]
    return JsonResponse(
        {
            "status": OK if not failing else "unavailable",
            "failing": failing,
            "checks": checks,
        },
        status=503 if failing else 200,
    )


HEALTH_VIEWS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz first, before the middleware that would
    turn a load balancer away: SecurityMiddleware's redirect to HTTPS and
    CommonMiddleware's ALLOWED_HOSTS check (the balancer asks by the
    server's own address), sessions, languages and CSRF. The same views are
    in the URL conf, so nothing differs if this middleware is left out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)

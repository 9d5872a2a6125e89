"""Tasks a dead worker left running are queued again.

django-tasks' database backend marks a task RUNNING when a worker claims it
and never looks at it again: a worker killed mid-task (out of memory, a
deploy that did not wait, a lost machine) leaves it RUNNING for ever, and
its e-mails are never sent. Our `db_worker` (lms/management/commands)
sweeps at start and every `TASK_SWEEP_EVERY`: a task RUNNING for longer than
`TASK_STUCK_AFTER` (far longer than any task takes) is made READY again, in
one UPDATE, so two workers sweeping at once queue it once.

Running a task again is safe: e-mails to members go through
lms.delivery.deliver_once (never twice); the rest are idempotent (index
updates) or, at worst, send a second copy of a link (a join link, a
newsletter confirmation) that works as the first one does.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def requeue_stuck_tasks(stuck_after: timedelta | None = None) -> int:
    """Queue again the tasks started longer ago than `stuck_after` (the
    setting by default) and still RUNNING; returns how many."""
    started_before = timezone.now() - (stuck_after or settings.TASK_STUCK_AFTER)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=started_before
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning(
            "Queued again %d task(s) left running by a worker that stopped",
            count,
            extra={"fault": "task_worker", "tasks": count},
        )
    return count


def sweep_forever(stop: threading.Event, every: timedelta) -> None:
    """Sweep every `every` until `stop` is set, on a connection of this
    thread's own; a failed sweep (the database away) waits for the next."""
    while not stop.wait(every.total_seconds()):
        try:
            requeue_stuck_tasks()
        except DatabaseError:
            logger.warning("Could not look for stuck tasks", exc_info=True)
        finally:
            close_old_connections()
    connection.close()


def start_sweeping(every: timedelta | None = None) -> threading.Event:
    """A daemon thread that sweeps; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=sweep_forever,
        args=(stop, every or settings.TASK_SWEEP_EVERY),
        name="task-sweep",
        daemon=True,
    ).start()
    return stop

"""django-tasks' `db_worker`, which also queues again what a dead worker
left running (lms/task_sweep.py) and takes every queue unless told which
(`--queue-name email`: lms/task_queues.py). It replaces django_tasks_db's
command of the same name because `lms` comes first in INSTALLED_APPS: every
way the worker is started (serve_prod, compose, serve_with_worker, the
tests) gets it.
"""

from django_tasks_db.management.commands import db_worker

from lms.task_sweep import requeue_stuck_tasks, start_sweeping


class Command(db_worker.Command):
    help = db_worker.Command.help + (
        " Tasks left running longer than TASK_STUCK_AFTER by a worker that "
        "stopped are queued again, at start and every TASK_SWEEP_EVERY."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args, **options):
        requeue_stuck_tasks()
        stop = None if options["batch"] else start_sweeping()
        try:
            return super().handle(*args, **options)
        finally:
            if stop is not None:
                stop.set()

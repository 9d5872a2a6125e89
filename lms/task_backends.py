"""The task backend of the test settings.

Tasks run at once, in the request or save that enqueues them, as tests want
(an e-mail is in the outbox when the view returns) — except Wagtail's own
bookkeeping, the search index and the reference index, which a production
worker brings up to date after the fact. Those wait in `pending`, as they
would in the queue, and `run_pending()` runs them for a test that reads
search results or usage counts. Run at once, they took about a third of the
CPU of every test that makes pages (each save, revision and publish of a page
indexed it again), and their failures went unseen: the immediate backend
records an error on the result and raises nothing, where `run_pending()`
raises.
"""

from django.apps import apps
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus

# Enqueued on every save of a page, snippet, image or document, with the
# object's (app label, model name, primary key).
BOOKKEEPING = frozenset(
    {
        "wagtail.tasks.update_reference_index_task",
        "modelsearch.tasks.insert_or_update_object_task",
    }
)


class IndexesLaterBackend(ImmediateBackend):
    def __init__(self, alias: str, params: dict):
        super().__init__(alias, params)
        self.pending: dict[tuple, TaskResult] = {}

    def enqueue(self, task, args, kwargs):
        if task.module_path not in BOOKKEEPING:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        # An object saved again is indexed once: the task reads the row as it
        # is when it runs, as on a worker.
        key = (task.module_path, *args)
        result = self.pending.pop(key, None) or TaskResult(
            task=task,
            id=f"pending-{'-'.join(map(str, key))}",
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self.pending[key] = result
        return result

    def run_pending(self) -> int:
        """Run the waiting bookkeeping tasks in the order their objects were
        last saved, raising the first failure; how many ran. An object deleted
        since is skipped (its rows went with it)."""
        ran = 0
        while self.pending:
            key = next(iter(self.pending))
            result = self.pending.pop(key)
            _path, app_label, model_name, pk = key
            model = apps.get_model(app_label, model_name)
            if not model._default_manager.filter(pk=pk).exists():
                continue
            result.task.call(*result.args, **result.kwargs)
            ran += 1
        return ran

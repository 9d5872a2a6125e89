"""The task queues (read by the settings: no Django import here).

Every task that sends e-mail goes to EMAIL_QUEUE (`@task(queue_name=EMAIL_QUEUE)`),
so workers for e-mail can be run and scaled apart from the rest: `db_worker
--queue-name email` and `db_worker --queue-name default`. A plain `db_worker`
(ours, lms/management/commands/db_worker.py) takes every queue.
"""

DEFAULT_QUEUE = "default"
EMAIL_QUEUE = "email"
TASK_QUEUES = [DEFAULT_QUEUE, EMAIL_QUEUE]

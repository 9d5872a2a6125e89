"""Logging pieces named in settings.LOGGING."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from lms.outage import is_database_unreachable


class OneLineRefusals(logging.Filter):
    """A refusal the site meant (403, 404, 400...) logged as its one line.

    Django logs these through `django.request` with the exception attached,
    so every PermissionDenied printed a traceback that buried real errors;
    server errors (5xx) keep theirs, bar the 503 of a database that cannot
    be reached (lms.outage): the same traceback on every request of the
    outage says nothing the one line does not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", 500)
        error = record.exc_info[1] if record.exc_info else None
        if status < 500 or (status == 503 and is_database_unreachable(error)):
            record.exc_info = None
            record.exc_text = None
        return True


# The request being served, for every line logged while serving it
# (lms.request_log sets it; threads and tasks each have their own).
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# A LogRecord's own attributes: whatever else it carries came as `extra`.
RECORD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
)
JSON_VALUES = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id
    of the request being served, and what the caller passed as `extra`
    (e.g. `plugin`, `status_code`). Values that are not plain data (Django
    attaches the request object) are left out."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in RECORD_ATTRIBUTES and isinstance(value, JSON_VALUES):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)

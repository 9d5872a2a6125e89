"""Logging pieces named in settings.LOGGING."""

import logging


class OneLineRefusals(logging.Filter):
    """A refusal the site meant (403, 404, 400...) logged as its one line.

    Django logs these through `django.request` with the exception attached,
    so every PermissionDenied printed a traceback that buried real errors;
    server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True

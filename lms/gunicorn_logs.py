"""gunicorn's logger writing JSON lines like the application's (lms.logs).

Named by deploy/gunicorn.conf.py (`logger_class`); imported only by gunicorn.
"""

import logging

from gunicorn.glogging import Logger

from lms.logs import JsonFormatter


class JsonLogger(Logger):
    """gunicorn's own lines (workers starting, timing out) and, when
    ACCESS_LOG is set, its access log, each as one JSON object."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms["s"])
        self.access_log.log(
            logging.INFO,
            "%s %s %s",
            atoms["m"],
            atoms["U"],
            status,
            extra={
                "remote": atoms["h"],
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(status) if status.isdigit() else status,
                "bytes": atoms["B"],
                "duration_ms": round(atoms["D"] / 1000, 1),
                "request_id": atoms.get("{x-request-id}o"),
                "user_agent": atoms["a"],
            },
        )

"""gunicorn's settings for Learning Commons (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be changed through the environment, so the same file serves
`make serve-prod`, the container image and a machine's own service manager.
"""

import gc
import multiprocessing
import os

wsgi_app = "lms.wsgi:application"

# HOST 0.0.0.0 in a container; a machine behind its own proxy keeps 127.0.0.1.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Workers: WEB_CONCURRENCY, else two per CPU plus one (gunicorn's advice).
# Each worker is a process with its own database connections; threads let a
# worker wait on the database for one request while serving another.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# How many connections a worker takes at once (gunicorn's default, 1000,
# unless set): a worker at its limit leaves new ones to the others.
worker_connections = int(os.environ.get("WEB_WORKER_CONNECTIONS", "1000"))

# A request that takes longer than this has its worker killed and replaced:
# the slowest pages (certificate PDFs, reports) take a few seconds.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# On a restart (SIGHUP, a new release), requests under way get this long.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
# Longer than the load balancer's idle timeout is wrong: keep it short.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# Workers are replaced now and then, so a slow leak never grows unbounded.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# X-Forwarded-Proto is believed only from these addresses (the proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The application logs each request as JSON with the user and the request
# id (lms.request_log); gunicorn's own access log repeats it without the
# user, so it is off unless ACCESS_LOG names a file or "-".
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's lines as JSON like the application's, unless LOG_FORMAT=text.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logger_class = "lms.gunicorn_logs.JsonLogger"

# gunicorn's control socket (for `gunicornc`) would sit in the home folder,
# shared by every gunicorn on the machine; nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    """Once a worker has loaded the application, its modules, settings,
    models and URL patterns live as long as it does: frozen out of the
    garbage collector, they are not walked again by every full collection
    (with the plugins loaded, one took 140 ms every few hundred requests).
    The garbage of loading is collected first rather than kept for good."""
    gc.collect()
    gc.freeze()

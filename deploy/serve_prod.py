"""`make serve-prod`: the production settings on this machine.

PostgreSQL and Redis on 127.0.0.1 (DATABASE_URL, CACHE_URL), the database
made if it is missing and migrated, static files collected (compressed and
fingerprinted, served by WhiteNoise), then gunicorn with two web workers
(deploy/gunicorn.conf.py) and one task worker (`manage.py db_worker`).
gunicorn replaces a web worker that dies; this script restarts the task
worker if it dies. Ctrl-C stops everything.

Plain HTTP on 127.0.0.1: the HTTPS redirect, HSTS and secure cookies are
off here (SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_COOKIES); behind
a real proxy with TLS leave them at their production defaults.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import conninfo, sql

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY_FILE = ROOT / ".serve-prod-secret-key"

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/learning_commons",
    "CACHE_URL": "redis://127.0.0.1:6379/2?key_prefix=learning-commons",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "HOST": "127.0.0.1",
    "PORT": "8100",
    "WEB_CONCURRENCY": "2",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "false",
    # Nothing is really sent from this machine: e-mails go to the log.
    "EMAIL_URL": "consolemail://",
}
# The processes, after `python`: compose.yaml runs the same (a test checks).
MIGRATE_COMMAND = ["manage.py", "migrate", "--noinput"]
WEB_COMMAND = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
WORKER_COMMAND = ["manage.py", "db_worker"]
# How long each process gets to finish what it is doing when stopped.
STOP_GRACE_SECONDS = 30


def environment() -> dict[str, str]:
    env = {**DEFAULTS, **os.environ}
    # `make` exports PORT for `make run`; serve-prod chose its own above.
    env.setdefault("WAGTAILADMIN_BASE_URL", f"http://{env['HOST']}:{env['PORT']}")
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = local_secret_key()
    return env


def local_secret_key() -> str:
    """A key made once for this checkout and kept out of git."""
    if not SECRET_KEY_FILE.exists():
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(64))
        SECRET_KEY_FILE.chmod(0o600)
    return SECRET_KEY_FILE.read_text().strip()


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database DATABASE_URL names when it is missing."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise SystemExit(f"PostgreSQL cannot be reached: {error}") from error
    name = conninfo.conninfo_to_dict(url)["dbname"]
    maintenance = conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created the database {name}.", flush=True)


def run_python(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def start_web(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own programs)
        [sys.executable, *WEB_COMMAND],
        env=env,
        cwd=ROOT,
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, *WORKER_COMMAND], env=env, cwd=ROOT
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(env: dict[str, str]) -> int:
    web = start_web(env)
    worker = start_worker(env)
    print(
        f"Serving http://{env['HOST']}:{env['PORT']}/ with production settings: "
        f"{env['WEB_CONCURRENCY']} web workers (gunicorn pid {web.pid}) and a "
        f"task worker (pid {worker.pid}). Health: /healthz, /readyz. "
        "Ctrl-C stops.",
        flush=True,
    )
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopping:
            if web.poll() is not None:
                print(f"gunicorn exited ({web.returncode}); stopping.", flush=True)
                return web.returncode or 1
            if worker.poll() is not None:
                print(
                    f"The task worker exited ({worker.returncode}); restarting it.",
                    flush=True,
                )
                time.sleep(1)
                worker = start_worker(env)
            time.sleep(0.5)
        return 0
    finally:
        stop([web, worker])


def main() -> int:
    env = environment()
    ensure_database(env["DATABASE_URL"])
    run_python(env, *MIGRATE_COMMAND, "--verbosity", "0")
    print("Database migrated.", flush=True)
    run_python(env, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    print("Static files collected (compressed, fingerprinted).", flush=True)
    return serve(env)


if __name__ == "__main__":
    sys.exit(main())

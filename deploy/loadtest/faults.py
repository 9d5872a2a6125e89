"""Faults during `make loadtest` (LOADTEST_FAULTS=1), each a scripted step
with its result printed: a web worker killed, the task worker killed, Redis
restarted. They run while locust keeps the site busy.

- A gunicorn web worker gets SIGKILL: gunicorn must start another.
- The task worker gets SIGKILL: serve_prod.py must start another.
- The load test's own Redis is stopped and started again: pages must keep
  answering (sessions are in the database; Redis holds only caches and
  counters) and the caches fill again.
- The load test's database refuses connections for ten seconds (no other
  database is touched): a page must answer 503, never 500, and 200 after.
"""

import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import redis
from psycopg import conninfo, sql

COME_BACK_SECONDS = 30
REFUSED_SECONDS = 10
POLL_SECONDS = 0.2


@dataclass
class Fault:
    name: str
    passed: bool
    detail: str


@dataclass
class Redis:
    """A redis-server of the load test's own on a loopback port, so that
    restarting it disturbs no one else's."""

    port: int
    folder: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if shutil.which("redis-server") is None:
            raise SystemExit(
                "redis-server is not installed (apt-get install redis-server); "
                "or give LOADTEST_CACHE_URL=redis://127.0.0.1:6379/0?key_prefix=loadtest"
            )
        self.process = subprocess.Popen(  # noqa: S603
            [  # noqa: S607 (Debian's redis-server)
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + COME_BACK_SECONDS
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(POLL_SECONDS)
        raise SystemExit(f"redis-server did not start on port {self.port}.")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def keys(self) -> int:
        return redis.Redis.from_url(self.url, socket_timeout=1).dbsize()


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def command_line(process: psutil.Process) -> str:
    """A process's command, or "" once it has exited: a worker just killed
    is a zombie until its parent reaps it, and has no command line left."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def web_workers(server_pid: int) -> tuple[psutil.Process | None, set[int]]:
    """gunicorn's master under serve_prod.py, and its workers' pids."""
    for process in descendants(server_pid):
        if "gunicorn" in command_line(process) and process.ppid() == server_pid:
            return process, {child.pid for child in process.children()}
    return None, set()


def task_workers(server_pid: int) -> set[int]:
    return {
        process.pid
        for process in descendants(server_pid)
        if "db_worker" in command_line(process)
    }


def wait_for(condition: Callable[[], bool]) -> float | None:
    """Seconds until `condition` holds, or None after COME_BACK_SECONDS."""
    started = time.monotonic()
    while time.monotonic() - started < COME_BACK_SECONDS:
        if condition():
            return time.monotonic() - started
        time.sleep(POLL_SECONDS)
    return None


def kill_web_worker(server_pid: int) -> Fault:
    master, before = web_workers(server_pid)
    if master is None or not before:
        return Fault("web worker killed", False, "no gunicorn worker found")
    victim = min(before)
    psutil.Process(victim).send_signal(signal.SIGKILL)
    took = wait_for(lambda: len(web_workers(server_pid)[1] - {victim}) >= len(before))
    if took is None:
        return Fault("web worker killed", False, f"no worker replaced {victim}")
    return Fault(
        "web worker killed",
        True,
        f"pid {victim} killed; gunicorn had {len(before)} workers again "
        f"in {took:.1f} s",
    )


def kill_task_worker(server_pid: int) -> Fault:
    before = task_workers(server_pid)
    if not before:
        return Fault("task worker killed", False, "no task worker found")
    for pid in before:
        psutil.Process(pid).send_signal(signal.SIGKILL)
    took = wait_for(lambda: bool(task_workers(server_pid) - before))
    if took is None:
        return Fault("task worker killed", False, "not restarted")
    return Fault(
        "task worker killed",
        True,
        f"pid {min(before)} killed; a new task worker in {took:.1f} s",
    )


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def restart_redis(cache: Redis, page: str) -> Fault:
    """Stop Redis, ask for a page while it is down, start it, ask again."""
    cache.stop()
    down = [status_of(page) for _ in range(3)]
    cache.start()
    up = [status_of(page) for _ in range(3)]
    refilled = wait_for(lambda: cache.keys() > 0)
    passed = all(status == 200 for status in down + up) and refilled is not None
    return Fault(
        "Redis restarted",
        passed,
        f"page answers while down {down}, after {up}; caches "
        + (f"refilling ({cache.keys()} keys)" if refilled is not None else "empty"),
    )


def refuse_database(url: str, page: str) -> Fault:
    """Turn connections to the database away for REFUSED_SECONDS, cutting
    those open; ask for a page (a search no cache holds) every second."""
    name = conninfo.conninfo_to_dict(url)["dbname"]
    maintenance = conninfo.make_conninfo(url, dbname="postgres")
    uncached = f"{page}?q={secrets.token_hex(4)}"
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as db:
        database = sql.Identifier(name)
        db.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(database)
        )
        try:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            refused = []
            started = time.monotonic()
            while time.monotonic() - started < REFUSED_SECONDS:
                refused.append(status_of(uncached))
                time.sleep(1)
        finally:
            db.execute(
                sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(database)
            )
    took = wait_for(lambda: status_of(uncached) == 200)
    answers = ", ".join(
        f"{count} x {status}" for status, count in Counter(refused).items()
    )
    return Fault(
        "database refused for 10 s",
        set(refused) <= {503} and took is not None,
        f"page answers while refused: {answers} (503 wanted); "
        + (f"200 again {took:.1f} s after" if took is not None else "not back"),
    )


@dataclass
class Drill:
    """The faults, one after another, from a thread beside locust."""

    server_pid: int
    cache: Redis | None
    database_url: str
    page: str
    run_seconds: int
    steps: list[Callable[[], Fault]] = field(default_factory=list)
    results: list[Fault] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    thread: threading.Thread | None = None
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def __post_init__(self) -> None:
        self.steps = [
            lambda: kill_web_worker(self.server_pid),
            lambda: kill_task_worker(self.server_pid),
        ]
        if self.cache is not None:
            self.steps.append(lambda: restart_redis(self.cache, self.page))
        self.steps.append(lambda: refuse_database(self.database_url, self.page))

    def run(self) -> None:
        # Spread over the middle of the run, once everyone has arrived.
        for number, step in enumerate(self.steps):
            at = self.run_seconds * (0.3 + 0.4 * number / len(self.steps))
            if self.stopping.wait(timeout=max(0, at - self.elapsed())):
                return
            self.results.append(step())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def finish(self) -> list[Fault]:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=COME_BACK_SECONDS * 3)
        return self.results

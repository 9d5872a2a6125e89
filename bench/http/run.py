"""`make bench-http`: the site measured from outside, over HTTP.

For each backend (SQLite; PostgreSQL with Redis) it builds a database of its
own, migrates it, loads the demo and the scale data (bench/http/data.py),
serves it with gunicorn and the production settings (deploy/gunicorn.conf.py:
two gthread workers of four threads) twice, with the three first-party
plugins on and with every plugin off, and measures each page with wrk: the
median requests per second of three rounds that take turns, as a multiple of
a bare StandardPage's on the same server. Every page is first fetched once
and must answer 200 with what it should show, else the run stops; then each
runs a second unmeasured, to warm up. Nothing about time is asserted.
Servers, databases and files are removed at the end, on an error too. See
bench/README.md.

Usage: python -m bench.http.run [--seconds N] [--rounds N] [--runs N]
       [--only PAGE ...] [--backend sqlite|postgresql] [--hold]
"""

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench_http"
# A Redis database no other setting of the project uses (serve-prod's is 2).
REDIS_URL = "redis://127.0.0.1:6379/13"
PLUGINS_ON = "toolkits,coaching,grantwriting,discussions,surveys"
# A connection per request: gunicorn's two workers share kept-alive
# connections unevenly (all four on one worker halves the rate), so the same
# page measured twice as fast in one run as in the next (bench/README.md).
CONNECTIONS = 4
WRK = ["wrk", "-t1", f"-c{CONNECTIONS}", "-H", "Connection: close"]
READY_SECONDS = 60
WARM_UP_SECONDS = 1
STOP_SECONDS = 20
# A page asked for with a query string is never served from the page cache.
UNCACHED = "?bench=uncached"


@dataclass
class Target:
    """A page measured on one server: what it must show, and how it is asked."""

    name: str
    url: str
    markers: Sequence[str]
    server: str = "on"
    cookie: str = ""
    # "hit": must come from the page cache; "none": must not.
    page_cache: str = "none"


@dataclass
class Server:
    name: str
    plugins: str
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path | None = None


@dataclass
class Results:
    """Requests per second of each target in each round, the workers' CPU
    time per request in each round (milliseconds), and worker memory."""

    rates: dict[str, list[float]] = field(default_factory=dict)
    memory: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return median(self.rates[name])


class BenchError(Exception):
    """What went wrong, said plainly; the run stops."""


# The pure parts (tests/test_bench_http.py) ---------------------------------


def median(values: Sequence[float]) -> float:
    if not values:
        raise BenchError("No measurement to take the median of.")
    return statistics.median(values)


def ratio(value: float, reference: float) -> float:
    if reference <= 0:
        raise BenchError("The reference measured nothing (0 requests per second).")
    return value / reference


RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+)")


def requests_per_second(wrk_output: str, url: str) -> float:
    """The rate wrk reports; an error if any answer was not a success."""
    bad = NON_2XX.search(wrk_output)
    if bad:
        raise BenchError(f"{url}: {bad.group(1)} answers were not 2xx or 3xx.")
    # Timeouts (an answer slower than wrk's two seconds) are only counted.
    errors = SOCKET_ERRORS.search(wrk_output)
    if errors and any(int(count) for count in errors.groups()):
        raise BenchError(f"{url}: wrk met socket errors ({errors.group(0)}).")
    found = RATE.search(wrk_output)
    if found is None:
        raise BenchError(f"{url}: no Requests/sec in wrk's output:\n{wrk_output}")
    return float(found.group(1))


REQUESTS = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)


def cpu_ms_per_request(wrk_output: str, cpu_seconds: float) -> float:
    """The server's CPU time for each request wrk made (the workers' user and
    system time over the run): a page's cost, whatever the spread of the
    connections between the workers or wrk's own share of the cores."""
    found = REQUESTS.search(wrk_output)
    if found is None or int(found.group(1)) == 0:
        raise BenchError(f"No requests counted in wrk's output:\n{wrk_output}")
    return cpu_seconds * 1000 / int(found.group(1))


def check_answer(
    target: Target, status: int, headers: dict[str, str], body: str
) -> None:
    """The answer is a 200 showing every marker, from the page cache or not
    as the target says; else a BenchError saying what differed."""
    where = f"{target.name} ({target.url})"
    if status != 200:
        raise BenchError(f"{where} answered {status}, not 200.")
    missing = [marker for marker in target.markers if marker not in body]
    if missing:
        raise BenchError(f"{where} does not show {', '.join(map(repr, missing))}.")
    cache = {name.lower(): value for name, value in headers.items()}.get("x-page-cache")
    if target.page_cache == "hit" and cache != "hit":
        raise BenchError(f"{where} was not served from the page cache ({cache}).")
    if target.page_cache == "none" and cache is not None:
        raise BenchError(f"{where} went through the page cache ({cache}).")


def format_table(results: dict[str, Results]) -> str:
    """The issue's table: a column per backend; a row only when its pages
    were measured (`--only`)."""
    rows = [
        ("bare StandardPage (the reference)", bare_cell, []),
        ("public lesson, page cache", *vs_bare("lesson_cached")),
        ("public lesson, uncached", *vs_bare("lesson_uncached")),
        (
            "catalogue, 2 filters, 1,000 groups, page cache",
            *vs_bare("catalogue_cached"),
        ),
        (
            "catalogue, 3 filters, 1,000 groups, kept listing (not the page cache)",
            *vs_bare("catalogue"),
        ),
        (
            "catalogue, 3 filters and typed text, 1,000 groups, listed afresh",
            *vs_bare("catalogue_searched"),
        ),
        (
            "API list of groups, 3 filters, 1,000 groups (JSON, 20 a page)",
            *vs_bare("api_groups"),
        ),
        ("facilitator dashboard, 10 members", *vs_bare("dashboard_small")),
        (
            "facilitator dashboard, 10,000 members",
            dashboard_large_cell,
            ["dashboard_small", "dashboard_large"],
        ),
        (
            "My learning, first-party plugins on vs off",
            my_learning_cell,
            ["my_learning_on", "my_learning_off"],
        ),
        ("personal calendar feed, 200 events", *vs_bare("calendar")),
        ("discussion thread, 1,000 replies (first page)", *vs_bare("thread")),
        ("worker memory, plugins on vs off", memory_cell, []),
    ]
    backends = list(results)
    table = [
        "| page | " + " | ".join(backends) + " |",
        "|---|" + "---|" * len(backends),
    ]
    for label, cell, needs in rows:
        if not all(name in results[backends[0]].rates for name in needs):
            continue
        cells = [cell(results[backend]) for backend in backends]
        table.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(table)


# The pages whose server cost is printed under the table, by their names.
CPU_ROWS = [
    ("bare StandardPage (the reference)", "bare"),
    ("public lesson, uncached", "lesson_uncached"),
    ("catalogue, 3 filters, kept listing", "catalogue"),
    ("facilitator dashboard, 10 members", "dashboard_small"),
    ("facilitator dashboard, 10,000 members", "dashboard_large"),
    ("My learning, plugins on", "my_learning_on"),
    ("My learning, plugins off", "my_learning_off"),
    ("personal calendar feed, 200 events", "calendar"),
    ("discussion thread, 1,000 replies", "thread"),
]


def format_cpu_table(results: dict[str, Results]) -> str:
    """The workers' CPU milliseconds per request (median of the rounds), and
    the bare page's as a multiple of the page's: the same kind of ratio as
    the table's, from the server's own time."""
    backends = list(results)
    table = [
        "| CPU per request | " + " | ".join(backends) + " |",
        "|---|" + "---|" * len(backends),
    ]
    bare = {backend: median(results[backend].cpu["bare"]) for backend in backends}
    for label, name in CPU_ROWS:
        if name not in results[backends[0]].cpu:
            continue
        cells = []
        for backend in backends:
            spent = median(results[backend].cpu[name])
            cells.append(f"{spent:.1f} ms ({ratio(bare[backend], spent):.2f}x)")
        table.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(table)


def bare_cell(results: Results) -> str:
    return f"{results.median('bare'):.0f} req/s"


def vs_bare(name: str) -> tuple[Callable[[Results], str], list[str]]:
    """The cell of a page's ratio to the bare page, and the page it needs."""

    def cell(results: Results) -> str:
        rate = results.median(name)
        return f"{ratio(rate, results.median('bare')):.2f}x ({rate:.0f} req/s)"

    return cell, [name]


def dashboard_large_cell(results: Results) -> str:
    time_ratio = ratio(
        results.median("dashboard_small"), results.median("dashboard_large")
    )
    cell, _needs = vs_bare("dashboard_large")
    return f"{cell(results)}, {time_ratio:.2f}x the 10-member time"


def my_learning_cell(results: Results) -> str:
    on, off = results.median("my_learning_on"), results.median("my_learning_off")
    return f"{ratio(on, off):.2f}x ({on:.0f} / {off:.0f} req/s)"


def memory_cell(results: Results) -> str:
    on, off = results.memory["on"], results.memory["off"]
    return f"{ratio(on, off):.2f}x ({on / 2**20:.0f} / {off / 2**20:.0f} MiB)"


# Running it -------------------------------------------------------------------


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_environment(workdir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "LMS_PLUGINS", "LMS_PLUGINS_EXTRA"}
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.http.settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "HOST": "127.0.0.1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "false",
            "EMAIL_URL": "consolemail://",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
            "WEB_CONCURRENCY": "2",
            # gunicorn replaces a worker after 2,000 requests: a worker
            # starting in the middle of a measurement would be measured.
            "WEB_MAX_REQUESTS": "0",
            # wrk's four connections, two for each worker: a gthread worker
            # takes every connection it can, and one worker (one core) would
            # now and then serve all four, at half the rate (bench/README.md).
            "WEB_WORKER_CONNECTIONS": str(CONNECTIONS // 2),
            "LMS_PLUGINS": PLUGINS_ON,
        }
    )
    return env


def backend_environment(backend: str, workdir: Path) -> dict[str, str]:
    env = base_environment(workdir)
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        # Each worker keeps its own pages: safe here, where nothing is saved
        # while measuring; a site saving things needs a shared cache.
        env["CACHE_URL"] = "locmemcache://"
        env["PAGE_CACHE_SECONDS"] = "300"
    else:
        env["DATABASE_URL"] = f"{POSTGRES_URL}/{POSTGRES_DATABASE}"
        env["CACHE_URL"] = f"{REDIS_URL}?key_prefix=bench-http"
    return env


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[None]:
    """A database of the run's own, removed afterwards."""
    if backend == "sqlite":
        yield  # a file in workdir, removed with it
        return
    flush_redis()
    recreate_postgres(drop_only=False)
    try:
        yield
    finally:
        recreate_postgres(drop_only=True)
        flush_redis()


def recreate_postgres(drop_only: bool) -> None:
    try:
        connection = psycopg.connect(
            f"{POSTGRES_URL}/postgres", autocommit=True, connect_timeout=5
        )
    except psycopg.OperationalError as error:
        raise BenchError(
            f"PostgreSQL at {POSTGRES_URL} cannot be reached: {error}"
        ) from error
    with connection:
        name = sql.Identifier(POSTGRES_DATABASE)
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def flush_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {REDIS_URL} cannot be reached: {error}") from error


def manage(env: dict[str, str], *args: str, output: bool = False) -> str:
    done = subprocess.run(  # noqa: S603 (our own program)
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BenchError(
            f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout if output else ""


def load(env: dict[str, str]) -> dict:
    """Migrate, load the demo and the scale data; what data.py printed."""
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    say(f"  migrated ({time.monotonic() - started:.0f} s)")
    manage(env, "load_demo", "--force")
    say(f"  demo loaded ({time.monotonic() - started:.0f} s)")
    printed = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from bench.http.data import main; main()",
        output=True,
    )
    say(f"  scale data loaded ({time.monotonic() - started:.0f} s)")
    return json.loads(printed.strip().splitlines()[-1])


@contextmanager
def serving(servers: list[Server], env: dict[str, str], workdir: Path):
    """gunicorn for each server, stopped afterwards whatever happened."""
    try:
        for server in servers:
            server.port = free_port()
            server.log = workdir / f"gunicorn-{server.name}.log"
            own = {
                **env,
                "PORT": str(server.port),
                "LMS_PLUGINS": server.plugins,
                # The page cache keeps pages asked for by an allowed host name.
                "ALLOWED_HOSTS": f"127.0.0.1,127.0.0.1:{server.port}",
                "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{server.port}",
            }
            with server.log.open("w") as log:
                server.process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                    env=own,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        for server in servers:
            wait_until_ready(server)
        yield
    finally:
        for server in servers:
            stop(server)


def wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(f"gunicorn ({server.name}) exited:\n{tail(server.log)}")
        try:
            status, _, _ = fetch(server, "/readyz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchError(f"gunicorn ({server.name}) not ready:\n{tail(server.log)}")


def tail(log: Path | None, lines: int = 30) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(server: Server) -> None:
    process = server.process
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        # Its workers are in its process group (start_new_session).
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def fetch(server: Server, url: str, cookie: str = "") -> tuple[int, dict, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{url}")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def check(target: Target, servers: dict[str, Server]) -> None:
    """Fetch the target once (until a worker serves it from the page cache,
    for a cached page: each worker keeps its own on SQLite)."""
    server = servers[target.server]
    for _ in range(10):
        status, headers, body = fetch(server, target.url, target.cookie)
        if target.page_cache != "hit" or headers.get("X-Page-Cache") == "hit":
            break
    check_answer(target, status, headers, body)


def measure(target: Target, server: Server, seconds: int) -> tuple[float, float]:
    """The page's requests per second, and the server's CPU milliseconds for
    each of them."""
    url = f"http://127.0.0.1:{server.port}{target.url}"
    command = [*WRK, f"-d{seconds}s", "--latency", url]
    if target.cookie:
        command[1:1] = ["-H", f"Cookie: {target.cookie}"]
    before = workers_cpu_seconds(server)
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    spent = workers_cpu_seconds(server) - before
    if done.returncode:
        raise BenchError(f"wrk failed on {url}:\n{done.stderr}")
    rate = requests_per_second(done.stdout, target.url)
    return rate, cpu_ms_per_request(done.stdout, spent)


def workers_cpu_seconds(server: Server) -> float:
    """User and system time of the server's workers so far."""
    ticks = 0
    for pid in children(server.process.pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def workers_memory(server: Server) -> int:
    """Resident memory of the server's workers (not its master), in bytes."""
    total = 0
    for pid in children(server.process.pid):
        status = Path(f"/proc/{pid}/status").read_text()
        kilobytes = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(kilobytes.group(1)) * 1024
    return total


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …; comm may hold spaces and parentheses.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


# The measured pages by name (--only), in the order `targets` measures them.
TARGET_NAMES = [
    "bare",
    "lesson_cached",
    "lesson_uncached",
    "catalogue_cached",
    "catalogue",
    "catalogue_searched",
    "api_groups",
    "dashboard_small",
    "dashboard_large",
    "my_learning_on",
    "my_learning_off",
    "calendar",
    "thread",
]


def targets(data: dict) -> list[Target]:
    pages = data["pages"]
    cookies = {
        who: f"{data['cookie_name']}={value}" for who, value in data["sessions"].items()
    }

    def page(name: str, **options) -> Target:
        markers = pages[name]["marker"]
        return Target(
            name=options.pop("as_name", name),
            url=pages[name]["url"] + options.pop("suffix", ""),
            markers=[markers] if isinstance(markers, str) else markers,
            **options,
        )

    return [
        page("bare", suffix=UNCACHED),
        page("lesson", as_name="lesson_cached", page_cache="hit"),
        page("lesson", as_name="lesson_uncached", suffix=UNCACHED),
        # A visitor's one or two choices of filters come from the page cache;
        # three, signed-in people's, typed text and dates are made afresh (a
        # parameter the filter does not read keeps it out of the cache).
        page("catalogue_kept", as_name="catalogue_cached", page_cache="hit"),
        page("catalogue", suffix=f"&{UNCACHED[1:]}"),
        page("catalogue_searched"),
        page("api_groups"),
        page("dashboard_small", cookie=cookies["facilitator"]),
        page("dashboard_large", cookie=cookies["facilitator"]),
        page("my_learning_on", cookie=cookies["learner"]),
        page("my_learning_off", cookie=cookies["learner"], server="off"),
        page("calendar"),
        page("thread", cookie=cookies["learner"]),
    ]


def hold(measured: list[Target], servers: dict[str, Server]) -> None:
    """Keep the servers up, with a wrk command for each page, until stopped
    (Ctrl-C): for looking into one page by hand (a profiler, other load)."""
    for target in measured:
        server = servers[target.server]
        cookie = ["-H", f"Cookie: {target.cookie}"] if target.cookie else []
        url = f"http://127.0.0.1:{server.port}{target.url}"
        print(f"{target.name}: {shlex.join([*WRK, *cookie, '-d5s', url])}")
    say("serving until stopped (Ctrl-C)")
    with suppress(KeyboardInterrupt):
        signal.pause()


@dataclass(frozen=True)
class Plan:
    """What to measure: each wrk run's seconds, the interleaved rounds of a
    run, the runs (each its own medians, on the same servers and data), and
    the pages (None: all; the bare page always, as the reference)."""

    seconds: int = 5
    rounds: int = 3
    runs: int = 1
    only: frozenset[str] | None = None

    def chosen(self, found: list[Target]) -> list[Target]:
        if self.only is None:
            return found
        return [t for t in found if t.name in self.only or t.name == "bare"]


def run_backend(backend: str, plan: Plan, held: bool = False) -> list[Results]:
    say(f"== {backend}")
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = backend_environment(backend, workdir)
        stack.enter_context(database(backend, workdir))
        data = load(env)
        servers = {"on": Server("on", PLUGINS_ON), "off": Server("off", "")}
        stack.enter_context(serving(list(servers.values()), env, workdir))
        measured = plan.chosen(targets(data))
        for target in measured:
            check(target, servers)
        if held:
            hold(measured, servers)
            return []
        # A short unmeasured run of each page first: a worker's first requests
        # for a page (templates compiled, caches filled, on the server with
        # the plugins off too, which serves one page) are not the page's cost.
        for target in measured:
            measure(target, servers[target.server], WARM_UP_SECONDS)
        say(
            f"  every page answered as expected; {plan.runs} run(s) of "
            f"{plan.rounds} rounds of {plan.seconds} s each"
        )
        return [measure_run(measured, servers, plan) for _run in range(plan.runs)]


def measure_run(
    measured: list[Target], servers: dict[str, Server], plan: Plan
) -> Results:
    results = Results(
        rates={target.name: [] for target in measured},
        cpu={target.name: [] for target in measured},
    )
    for number in range(plan.rounds):
        for target in measured:
            rate, cpu = measure(target, servers[target.server], plan.seconds)
            results.rates[target.name].append(rate)
            results.cpu[target.name].append(cpu)
        say(f"  round {number + 1} done")
    results.memory = {name: workers_memory(server) for name, server in servers.items()}
    return results


def collectstatic() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        env = backend_environment("sqlite", Path(workdir))
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="measure this many times on the same servers, a table for each",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=TARGET_NAMES,
        help="measure only this page (and the bare page); may be repeated",
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument(
        "--hold",
        action="store_true",
        help="measure nothing: serve the first backend until stopped",
    )
    options = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        say("wrk is not installed: `make wrk` installs it (apt-get install -y wrk).")
        return 2
    plan = Plan(
        options.seconds,
        options.rounds,
        options.runs,
        frozenset(options.only) if options.only else None,
    )
    started = time.monotonic()
    try:
        collectstatic()
        if options.hold:
            run_backend((options.backend or ["sqlite"])[0], plan, held=True)
            return 0
        runs = {
            {"sqlite": "SQLite", "postgresql": "PostgreSQL + Redis"}[backend]: (
                run_backend(backend, plan)
            )
            for backend in options.backend or ["sqlite", "postgresql"]
        }
    except BenchError as error:
        say(f"make bench-http failed: {error}")
        return 1
    for number in range(plan.runs):
        results = {backend: found[number] for backend, found in runs.items()}
        if plan.runs > 1:
            print(f"\n## Run {number + 1} of {plan.runs}")
        print(
            f"\nHTTP benchmark: gunicorn with 2 gthread workers of 4 threads, "
            f"production settings; wrk {' '.join(WRK[1:])} -d{plan.seconds}s, "
            f"median of {plan.rounds} interleaved rounds; x = req/s ÷ the bare "
            "page's on the same server (higher is faster)\n"
        )
        print(format_table(results))
        print(
            "\nThe server's CPU time for each request (the two workers' user and "
            "system time over each wrk run ÷ its requests; median of the rounds; "
            "x = the bare page's ÷ the page's):\n"
        )
        print(format_cpu_table(results))
    say(f"\n({time.monotonic() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

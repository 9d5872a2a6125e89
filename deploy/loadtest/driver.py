"""`make loadtest`: `make serve-prod` on a database of its own, under locust.

1. `deploy/serve_prod.py` (migrate, collectstatic, two gunicorn web workers
   and a task worker) against the PostgreSQL database `loadtest`, dropped and
   made anew, and a redis-server of its own, on free ports of 127.0.0.1;
2. the demo and the generated groups and people (deploy/loadtest/database.py);
3. locust headless: LOADTEST_USERS (200) people, LOADTEST_SPAWN_RATE (20) a
   second, for LOADTEST_TIME (2m);
4. the table of pages, then the checks: no server error, no failed request,
   no lost write, no session with more people going than seats; with
   LOADTEST_FAULTS=1, faults during the run too (deploy/loadtest/faults.py).

Exits 1 if a check fails. Every process it started is stopped at the end,
on an error and on Ctrl-C too; server and locust output is in .loadtest/.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from psycopg import conninfo, sql

from deploy import serve_prod
from deploy.loadtest import checks, faults

ROOT = serve_prod.ROOT
OUTPUT = ROOT / ".loadtest"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/loadtest"
# A redis-server of its own (faults.Redis) unless LOADTEST_CACHE_URL names
# one; then only its keys (the URL's key_prefix) are removed before the run.
KEY_PREFIX = "loadtest"
READY_SECONDS = 300
SETUP_SECONDS = 600
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def seconds(duration: str) -> int:
    """Locust's run time ("90s", "2m", "1h30m") in seconds."""
    total, number = 0, ""
    for character in duration.strip():
        if character.isdigit():
            number += character
        elif character in "hms" and number:
            total += int(number) * {"h": 3600, "m": 60, "s": 1}[character]
            number = ""
        else:
            raise SystemExit(f"LOADTEST_TIME={duration!r}: say e.g. 20s, 2m or 1m30s.")
    return total + int(number or 0)


def only_its_own_database(url: str) -> None:
    """The load test drops and recreates its database: one on this machine
    named loadtest…, read as libpq reads the address (a `host` or `hostaddr`
    in the query string wins over the address's host)."""
    try:
        parts = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise SystemExit(f"LOADTEST_DATABASE_URL cannot be read: {error}") from error
    hosts = {parts.get("host") or LOOPBACK, parts.get("hostaddr") or LOOPBACK}
    if not hosts <= {LOOPBACK, "localhost"}:
        raise SystemExit(f"The load test only runs on this machine, not {url}.")
    if not str(parts.get("dbname", "")).startswith("loadtest"):
        raise SystemExit(
            f"The load test drops its database: name it loadtest…, not {url}."
        )


def environment(port: int, cache: str) -> dict[str, str]:
    database = os.environ.get("LOADTEST_DATABASE_URL", DATABASE_URL)
    only_its_own_database(database)
    if urlsplit(cache).hostname not in (LOOPBACK, "localhost"):
        raise SystemExit(f"The load test only runs on this machine, not {cache}.")
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "CACHE_URL": cache,
        "HOST": LOOPBACK,
        "PORT": str(port),
        "WAGTAILADMIN_BASE_URL": f"http://{LOOPBACK}:{port}",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return serve_prod.environment() | env


def fresh_database(url: str) -> None:
    name = conninfo.conninfo_to_dict(url)["dbname"]
    maintenance = conninfo.make_conninfo(url, dbname="postgres")
    try:
        db = psycopg.connect(maintenance, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL cannot be reached: {error}") from error
    with db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def forget_cache(url: str) -> None:
    prefix = url.split("key_prefix=")[1].split("&")[0] if "key_prefix=" in url else ""
    if not prefix:
        raise SystemExit(f"LOADTEST_CACHE_URL needs a ?key_prefix= of its own: {url}")
    client = redis.Redis.from_url(url.split("?")[0], socket_timeout=5)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"serve_prod.py exited ({server.returncode}); see .loadtest/"
            )
        try:
            with urllib.request.urlopen(
                f"http://{LOOPBACK}:{port}/readyz", timeout=5
            ) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise SystemExit(f"/readyz did not answer 200 within {READY_SECONDS} s.")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A process in a group of its own (stopped whole), output to `log`."""
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 (our own programs)
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM to the process (serve_prod.py stops its own), then its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Whatever is left of its group (a worker that outlived its parent).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run_python(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, *args], env=env, cwd=ROOT, check=True, timeout=SETUP_SECONDS
    )


def run_locust(
    env: dict[str, str],
    port: int,
    users: str,
    run_time: str,
    drill: faults.Drill | None,
) -> None:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "deploy/loadtest/locustfile.py"),
        "--headless",
        "--users",
        users,
        "--spawn-rate",
        os.environ.get("LOADTEST_SPAWN_RATE", "20"),
        "--run-time",
        run_time,
        "--stop-timeout",
        "10",
        "--host",
        f"http://{LOOPBACK}:{port}",
        "--only-summary",
    ]
    locust = start(command, env, OUTPUT / "locust.log")
    if drill is not None:
        drill.start()
    try:
        locust.wait(timeout=seconds(run_time) + 120)
    except subprocess.TimeoutExpired:
        print("locust ran past its time; stopped.", flush=True)
    finally:
        stop(locust, grace=15)
        if drill is not None:
            drill.finish()


def report(result: dict, writes: checks.Writes, drill: faults.Drill | None) -> bool:
    final = json.loads((OUTPUT / "stats.json").read_text())
    print("\n== Pages", flush=True)
    print(checks.stats_table(final["pages"]))
    failures = final["errors"]
    print("\n== Errors")
    for row in failures:
        print(
            f"  {row['Occurrences']:>5}  {row['Method']} {row['Name']}: {row['Error']}"
        )
    if not failures:
        print("  none")
    print("\n== Writes answered with success")
    for name, count in result["writes"].items():
        print(f"  {name:<20}{count:>6}")
    failed_requests = sum(int(row["Occurrences"]) for row in failures)
    verdicts = checks.verdicts(
        result,
        checks.unexpected_server_errors(writes.server_errors, drill is not None),
    )
    # A worker killed mid-request drops its connections: with faults, the
    # requests that failed are counted, not held against the run.
    verdicts.append(
        (
            "no failed requests",
            failed_requests == 0 or drill is not None,
            f"{failed_requests} requests with an unexpected answer or none"
            + (" (faults on: not a failure)" if drill is not None else ""),
        )
    )
    if drill is not None:
        drilled = drill.results
        print("\n== Faults")
        for fault in drilled:
            print(
                f"  {'PASS' if fault.passed else 'FAIL'}  {fault.name}: {fault.detail}"
            )
        not_run = len(drill.steps) - len(drilled)
        verdicts.append(
            (
                "faults survived",
                not not_run and all(fault.passed for fault in drilled),
                f"{sum(fault.passed for fault in drilled)} of {len(drill.steps)} passed"
                + (
                    f"; {not_run} not run: make LOADTEST_TIME longer" if not_run else ""
                ),
            )
        )
    print("\n== Checks")
    for name, passed, detail in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
    for line in result["lost"][:20] + result["overbooked"][:20]:
        print(f"        {line}")
    return all(passed for _, passed, _ in verdicts)


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # `kill` and `timeout` stop the run as Ctrl-C does: everything stopped.
    signal.signal(signal.SIGTERM, interrupted)
    users = os.environ.get("LOADTEST_USERS", "200")
    run_time = os.environ.get("LOADTEST_TIME", "2m")
    seconds(run_time)
    OUTPUT.mkdir(exist_ok=True)
    for old in OUTPUT.iterdir():
        old.unlink()
    port = free_port()
    cache = None
    if "LOADTEST_CACHE_URL" not in os.environ:
        cache = faults.Redis(port=free_port(), folder=OUTPUT)
    env = environment(
        port,
        os.environ.get("LOADTEST_CACHE_URL") or f"{cache.url}?key_prefix={KEY_PREFIX}",
    )
    env["LOADTEST_PEOPLE"] = str(OUTPUT / "people.json")
    env["LOADTEST_WRITES"] = str(OUTPUT / "writes.jsonl")
    env["LOADTEST_STATS"] = str(OUTPUT / "stats.json")
    fresh_database(env["DATABASE_URL"])
    server = drill = None
    try:
        if cache is not None:
            cache.start()
        forget_cache(env["CACHE_URL"])
        print(
            f"Database and cache emptied; serving on http://{LOOPBACK}:{port}/",
            flush=True,
        )
        server = start(
            [sys.executable, str(ROOT / "deploy/serve_prod.py")],
            env,
            OUTPUT / "server.log",
        )
        wait_ready(port, server)
        run_python(env, "manage.py", "load_demo", "--force", "--verbosity", "0")
        run_python(
            env, "-m", "deploy.loadtest.database", "seed", env["LOADTEST_PEOPLE"]
        )
        if os.environ.get("LOADTEST_FAULTS") == "1":
            people = json.loads(Path(env["LOADTEST_PEOPLE"]).read_text())
            drill = faults.Drill(
                server_pid=server.pid,
                cache=cache,
                database_url=env["DATABASE_URL"],
                page=f"http://{LOOPBACK}:{port}{people['catalogue']}",
                run_seconds=seconds(run_time),
            )
        print(
            f"Locust: {users} people for {run_time}"
            + (", with faults" if drill else "")
            + "...",
            flush=True,
        )
        started = time.monotonic()
        run_locust(env, port, users, run_time, drill)
        print(f"Locust done in {time.monotonic() - started:.0f} s.", flush=True)
        run_python(
            env,
            "-m",
            "deploy.loadtest.database",
            "verify",
            env["LOADTEST_WRITES"],
            str(OUTPUT / "result.json"),
        )
    except KeyboardInterrupt:
        print("Interrupted.", flush=True)
        return 130
    finally:
        if server is not None:
            stop(server, grace=serve_prod.STOP_GRACE_SECONDS + 10)
        if cache is not None:
            cache.stop()
    result = json.loads((OUTPUT / "result.json").read_text())
    writes = checks.Writes.read(OUTPUT / "writes.jsonl")
    return 0 if report(result, writes, drill) else 1


if __name__ == "__main__":
    sys.exit(main())

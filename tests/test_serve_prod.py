"""gunicorn with the repository's config and the production settings, for real.

One quick gunicorn (one worker) on a free port, against an empty SQLite file:
enough to see the health checks answer a balancer, production's redirect to
HTTPS for everything else, and every log line as JSON. `make serve-prod`
itself (PostgreSQL, Redis, migrate, collectstatic, a task worker) is run by
hand; see docs/deploy.md.
"""

import gc
import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.helpers import undocumented
from tests.test_security import LONG_KEY, run_with_production_settings

# gunicorn serves an SQLite file of its own, and the rest reads files or
# runs `make -n`: the same on every backend.
pytestmark = pytest.mark.backend_independent

BALANCER_HOST = "10.0.3.7"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": host}
    )

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": LONG_KEY,
        "ALLOWED_HOSTS": "learning.example.org",
        "DATABASE_URL": f"sqlite:///{folder / 'empty.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        "ACCESS_LOG": "-",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    stdout, stderr = folder / "stdout", folder / "stderr"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ask(port, "/healthz", BALANCER_HOST)
                break
            except OSError:
                assert process.poll() is None, stderr.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield port, process, stdout, stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_healthz_answers_a_balancer_over_plain_http(gunicorn):
    port, *_ = gunicorn
    status, headers, body = ask(port, "/healthz", BALANCER_HOST)
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers["Content-Type"] == "application/json"


def test_readyz_says_the_database_is_not_migrated(gunicorn):
    port, *_ = gunicorn
    status, _, body = ask(port, "/readyz", BALANCER_HOST)
    assert status == 503
    answer = json.loads(body)
    assert answer["checks"]["database"] == "ok"
    assert answer["checks"]["migrations"].startswith("failing: ")
    assert "unapplied" in answer["checks"]["migrations"]


def test_everything_else_keeps_production_rules(gunicorn):
    port, *_ = gunicorn
    status, headers, _ = ask(port, "/", "learning.example.org")
    assert status == 301
    assert headers["Location"] == "https://learning.example.org/"


def test_every_log_line_is_json(gunicorn):
    port, _, stdout, stderr = gunicorn
    ask(port, "/readyz", BALANCER_HOST)
    time.sleep(0.5)  # the access log is written after the response
    errors = [json.loads(line) for line in stderr.read_text().splitlines()]
    assert any(line["logger"] == "gunicorn.error" for line in errors)
    access = [json.loads(line) for line in stdout.read_text().splitlines()]
    readyz = [line for line in access if line["path"] == "/readyz"]
    assert readyz and readyz[-1]["status"] == 503
    assert readyz[-1]["logger"] == "gunicorn.access"
    assert isinstance(readyz[-1]["duration_ms"], float)


def run_make(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "PORT"}
    result = subprocess.run(
        ["make", "-n", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_serve_prod_uses_its_own_port_unless_told():
    assert "PORT=8100 " in run_make("serve-prod")
    assert "PORT=9000 " in run_make("serve-prod", PORT="9000")
    assert "127.0.0.1:8000" in run_make("run")


def test_the_guide_names_every_setting_of_the_gunicorn_config():
    missing = undocumented(
        settings.BASE_DIR / "deploy" / "gunicorn.conf.py",
        r"os\.environ\.get\([\"'](\w+)[\"']",
        {"WEB_CONCURRENCY", "PORT", "HOST"},
    )
    assert missing == [], f"docs/deploy.md does not mention {missing}"


def test_a_worker_keeps_what_it_loaded_out_of_the_garbage_collector():
    config = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    # The test run froze what it had loaded (tests/conftest.py): what is
    # made now stands for what a worker loads.
    loaded = [[number] for number in range(1_000)]
    frozen_before = gc.get_freeze_count()
    config["post_worker_init"](worker=None)
    assert gc.get_freeze_count() >= frozen_before + len(loaded)


def test_production_takes_old_secret_keys_while_rotating():
    result = run_with_production_settings(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        secret_key=LONG_KEY,
        SECRET_KEY_FALLBACKS="old-key-one,old-key-two",
        LOG_FORMAT="text",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['old-key-one', 'old-key-two']"

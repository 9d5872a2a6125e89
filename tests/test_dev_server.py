"""`PORT=8811 make run`: links in e-mails, feeds and the printout name port 8811."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from lms.management.commands import serve_with_worker


@pytest.mark.backend_independent
def test_links_follow_the_port_served(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WAGTAILADMIN_BASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment |= {"PORT": "8811", "DJANGO_SETTINGS_MODULE": "lms.settings.dev"}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip() == "http://127.0.0.1:8811"


@pytest.mark.backend_independent
def test_serve_with_worker_links_to_the_address_it_serves(monkeypatch, settings):
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "")
    monkeypatch.setenv("RUN_MAIN", "true")  # as runserver's child: no worker
    served = {}
    monkeypatch.setattr(
        serve_with_worker,
        "call_command",
        lambda name, addrport: served.update(
            addrport=addrport, base_url=settings.WAGTAILADMIN_BASE_URL
        ),
    )
    serve_with_worker.Command().run_from_argv(
        ["manage.py", "serve_with_worker", "0.0.0.0:8811"]
    )
    assert served == {"addrport": "0.0.0.0:8811", "base_url": "http://127.0.0.1:8811"}
    assert os.environ["WAGTAILADMIN_BASE_URL"] == "http://127.0.0.1:8811"


@pytest.mark.backend_independent
def test_an_explicit_base_url_wins(monkeypatch, settings):
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://lms.example.org")
    settings.WAGTAILADMIN_BASE_URL = "https://lms.example.org"
    serve_with_worker.link_to("127.0.0.1:8811")
    assert settings.WAGTAILADMIN_BASE_URL == "https://lms.example.org"


@pytest.mark.backend_independent
def test_make_run_keeps_the_demo_logins_in_sight():
    """Migrations apply quietly, so the printed logins are not buried."""
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8811"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py migrate --noinput --verbosity 0" in planned
    assert "serve_with_worker 127.0.0.1:8811" in planned
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "every e-mail" in readme and "printed to the terminal" in readme


def test_favicon_is_found(client, home_page):
    icon = static("content/favicon.svg")
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, icon)
    assert finders.find("content/favicon.svg")
    assert f'<link rel="icon" href="{icon}"' in client.get("/").content.decode()

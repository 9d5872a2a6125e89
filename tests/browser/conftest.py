"""Playwright against Debian's chromium, with the demo site on a live server."""

import os
import shutil
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would
    # otherwise refuse the ORM calls the live-server fixtures make.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run `make chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


class DemoSnapshot:
    """The database and files load_demo leaves, kept to be put back per test.

    load_demo costs several seconds of CPU and every browser test needs it on
    a freshly flushed database; a copy of the result is the same data at the
    cost of a file copy. SQLite's backup API copies the whole database
    (sequences and the rows migrations made included); other databases load
    the demo each time.
    """

    MEDIA_SETTINGS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database: sqlite3.Connection | None = None

    @staticmethod
    def _raw_connection() -> sqlite3.Connection | None:
        connection = connections["default"]
        if connection.vendor != "sqlite":
            return None
        connection.ensure_connection()
        return connection.connection

    def keep(self) -> None:
        raw = self._raw_connection()
        if raw is None:
            return
        self.database = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(self.database)
        for name in self.MEDIA_SETTINGS:
            if Path(getattr(settings, name)).exists():
                shutil.copytree(getattr(settings, name), self.folder / name)

    def restore(self) -> bool:
        raw = self._raw_connection()
        if self.database is None or raw is None:
            return False
        self.database.backup(raw)
        # Flushing re-created content types under other ids; the copy has the
        # demo's own.
        ContentType.objects.clear_cache()
        for name in self.MEDIA_SETTINGS:
            if (self.folder / name).exists():
                shutil.copytree(self.folder / name, getattr(settings, name))
        return True


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    return DemoSnapshot(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_server(live_server, demo_snapshot):
    # The live server's database is flushed between tests (root page, site and
    # locales included); the demo is put back whole before each.
    if not demo_snapshot.restore():
        call_command("load_demo", force=True, stdout=StringIO())
        demo_snapshot.keep()
    return live_server.url

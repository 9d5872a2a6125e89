"""Playwright against Debian's chromium, with the demo site on a live server."""

import os
import shutil

import pytest
from django.db import transaction

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


@pytest.fixture
def demo_server(live_server, demo_data):
    # The live server's database is flushed between tests (root page, site and
    # locales included); the demo is written back whole before each.
    with transaction.atomic():
        demo_data.write()
    return live_server.url

import gc

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django_tasks import task_backends

from content.models import ProgramSettings
from content.site import ensure_home_page
from lms.cache import COUNTERS_WHILE_AWAY
from tests.demo_data import DemoData

pytest_plugins = ["sdk.testing"]


def pytest_configure(config):
    """Fewer garbage collections: a request through the test client makes tens
    of thousands of short-lived objects (querysets, template contexts), and
    with Python's default threshold (700) the collector walks every live
    object again and again — about a tenth of a crawl's CPU. Memory is not
    short here; cycles are still collected."""
    gc.set_threshold(50_000, 50, 100)


def pytest_sessionstart(session):
    # What importing Django, Wagtail and the apps made lives for the whole
    # run: frozen, the collector's full passes no longer walk it.
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    """The long-running tests first, in the order collected. `make test`
    hands each xdist worker one test at a time (`--maxschedchunk 1`), so the
    long ones are spread over the workers and the short ones fill the gaps;
    in file order, a worker could start a minute-long test when the other had
    nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every cache, not only the default: a page or a filter form kept by an
    earlier test would show rows that test rolled back."""
    for alias in settings.CACHES:
        caches[alias].clear()
    COUNTERS_WHILE_AWAY.clear()


@pytest.fixture(autouse=True)
def _no_index_updates_left_over():
    """Index updates an earlier test left waiting (lms/task_backends.py) are
    for rows rolled back since."""
    task_backends["default"].pending.clear()


@pytest.fixture(autouse=True)
def _main_language():
    """Each test starts in the site's main language: a request to /es/ leaves
    Spanish active in the thread (LocaleMiddleware does not put it back), and
    the URL conf's patterns and `reverse` then carry the /es/ prefix."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home_page(db):
    home = ensure_home_page()
    ProgramSettings.for_site(home.get_site())
    return home


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    data = DemoData(tmp_path_factory.mktemp("demo"))
    with django_db_blocker.unblock():
        data.load()
    return data


@pytest.fixture
def demo_site(db, demo_data):
    """The demo site, as `manage.py load_demo` leaves an empty database."""
    demo_data.write()
    return ensure_home_page()

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from content.models import ProgramSettings
from content.site import ensure_home_page
from tests.demo_data import DemoData

pytest_plugins = ["sdk.testing"]


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

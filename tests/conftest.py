import pytest
from django.core.cache import cache

from content.models import ProgramSettings
from content.site import ensure_home_page
from tests.demo_data import DemoData

pytest_plugins = ["sdk.testing"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


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

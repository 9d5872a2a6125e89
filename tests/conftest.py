from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from content.models import ProgramSettings
from content.site import ensure_home_page

pytest_plugins = ["lms.testing"]


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


@pytest.fixture
def demo_site(db):
    call_command("load_demo", force=True, stdout=StringIO())
    return ensure_home_page()

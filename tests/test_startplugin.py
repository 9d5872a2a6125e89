import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import run_python


@pytest.fixture
def installed_scaffold(tmp_path):
    call_command("lms_startplugin", "field_trips", dir=str(tmp_path), stdout=StringIO())
    package = tmp_path / "lms-plugin-field-trips"
    # No build isolation: hatchling comes from the dev environment, no network.
    install = run_python(
        "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        str(package),
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    yield package
    run_python("-m", "pip", "uninstall", "--yes", "--quiet", "lms-plugin-field-trips")


def test_scaffolded_plugin_installs_loads_and_passes_its_own_test(installed_scaffold):
    listing = run_python(
        "manage.py",
        "lms_plugins",
        "--json",
        "--check",
        env={"LMS_PLUGINS": "field_trips"},
    )
    assert listing.returncode == 0, listing.stdout + listing.stderr
    (status,) = json.loads(listing.stdout)
    assert status["name"] == "field_trips" and status["healthy"]
    assert status["hooks"] == ["lms_dashboard_panels"]

    tests = run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "-q",
        str(installed_scaffold / "tests"),
        "--rootdir", str(installed_scaffold),
        env={"LMS_PLUGINS": "field_trips"},
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout


def test_startplugin_rejects_bad_names_and_existing_folders(tmp_path):
    with pytest.raises(CommandError, match="lower case"):
        call_command("lms_startplugin", "Field-Trips", dir=str(tmp_path))
    call_command("lms_startplugin", "trips", dir=str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("lms_startplugin", "trips", dir=str(tmp_path))

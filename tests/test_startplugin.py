import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import run_python
from tests.test_sdk import core_imports, template_problems


@pytest.fixture
def installed_scaffold(tmp_path):
    """The scaffold, installed into a folder of its own on the path.

    Not into the project's environment: runs side by side share it.
    """
    call_command("lms_startplugin", "field_trips", dir=str(tmp_path), stdout=StringIO())
    package = tmp_path / "lms-plugin-field-trips"
    site = tmp_path / "site-packages"
    # No build isolation: hatchling comes from the dev environment, no network.
    install = run_python(
        "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--target", str(site), str(package),
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return package, {"LMS_PLUGINS": "field_trips", "PYTHONPATH": path}


def test_scaffolded_plugin_installs_loads_and_passes_its_own_test(installed_scaffold):
    package, environment = installed_scaffold
    listing = run_python(
        "manage.py", "lms_plugins", "--json", "--check", env=environment
    )
    assert listing.returncode == 0, listing.stdout + listing.stderr
    (status,) = json.loads(listing.stdout)
    assert status["name"] == "field_trips" and status["healthy"]
    assert status["hooks"] == ["lms_dashboard_panels"]

    # Its test database is a copy of this run's migrated template (the same
    # migrations), not migrated afresh: tests/database_setup.py.
    tests = run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.database_setup",
        "-q", str(package / "tests"), "--rootdir", str(package),
        env=environment,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout


def test_the_scaffold_uses_only_sdk_from_core(tmp_path):
    call_command("lms_startplugin", "field_trips", dir=str(tmp_path), stdout=StringIO())
    package = tmp_path / "lms-plugin-field-trips"
    sources = {path.name: path.read_text() for path in package.rglob("*.py")}
    assert "from sdk import" in sources["apps.py"]
    assert "from sdk.testing import" in sources["test_field_trips.py"]
    found = {name: core_imports(text) for name, text in sources.items()}
    assert {name: imports for name, imports in found.items() if imports} == {}
    assert template_problems(package / "lms_plugin_field_trips") == []
    assert "-p sdk.testing" in (package / "pyproject.toml").read_text()


def test_startplugin_rejects_bad_names_and_existing_folders(tmp_path):
    with pytest.raises(CommandError, match="lower case"):
        call_command("lms_startplugin", "Field-Trips", dir=str(tmp_path))
    call_command("lms_startplugin", "trips", dir=str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("lms_startplugin", "trips", dir=str(tmp_path))

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import install_plugin, run_python
from tests.test_sdk import core_imports, template_problems


@pytest.fixture
def installed_scaffold(tmp_path):
    """The scaffold, installed into a folder of its own on the path.

    Not into the project's environment: runs side by side share it.
    """
    call_command("lms_startplugin", "field_trips", dir=str(tmp_path), stdout=StringIO())
    package = tmp_path / "lms-plugin-field-trips"
    environment = install_plugin(package, tmp_path / "site-packages")
    return package, {"LMS_PLUGINS": "field_trips", **environment}


# The scaffold has no models: its test database is core's template as it is,
# which the rest of the suite already meets on each backend.
@pytest.mark.backend_independent
@pytest.mark.long_running
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


@pytest.mark.backend_independent
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


@pytest.mark.backend_independent
def test_startplugin_rejects_bad_names_and_existing_folders(tmp_path):
    with pytest.raises(CommandError, match="lower case"):
        call_command("lms_startplugin", "Field-Trips", dir=str(tmp_path))
    call_command("lms_startplugin", "trips", dir=str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("lms_startplugin", "trips", dir=str(tmp_path))


@pytest.mark.backend_independent
def test_startplugin_names_the_package_after_module(tmp_path):
    call_command(
        "lms_startplugin", "reading_notes", dir=str(tmp_path),
        module="lms_reading_notes", stdout=StringIO(),
    )  # fmt: skip
    package = tmp_path / "lms-reading-notes"
    pyproject = (package / "pyproject.toml").read_text()
    assert 'name = "lms-reading-notes"' in pyproject
    assert 'reading_notes = "lms_reading_notes"' in pyproject
    assert 'packages = ["lms_reading_notes"]' in pyproject
    apps_py = (package / "lms_reading_notes" / "apps.py").read_text()
    assert 'name = "lms_reading_notes"' in apps_py
    assert 'label = "reading_notes"' in apps_py
    assert (
        package / "lms_reading_notes/templates/lms_reading_notes/panel.html"
    ).exists()
    assert not list(tmp_path.glob("lms-plugin-*"))


@pytest.mark.backend_independent
@pytest.mark.parametrize("module", ["Reading", "lms-notes", "json", "class", "9lms"])
def test_startplugin_refuses_a_module_name_python_cannot_import(tmp_path, module):
    with pytest.raises(CommandError, match="--module"):
        call_command("lms_startplugin", "notes", dir=str(tmp_path), module=module)
    assert not list(tmp_path.iterdir())

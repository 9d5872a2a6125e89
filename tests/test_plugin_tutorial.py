"""docs/plugin-tutorial.md builds a working plugin: the files its code blocks
give, taken from the page (not copied by hand), install, load, have their
migrations, pass the plugin's own tests and import only `sdk` from core; and
examples/signups-plugin/ is exactly what the page gives."""

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.helpers import install_plugin, run_python
from tests.test_sdk import core_imports, template_problems

ROOT = Path(settings.BASE_DIR)
TUTORIAL = ROOT / "docs" / "plugin-tutorial.md"
EXAMPLE = ROOT / "examples" / "signups-plugin"

_spec = importlib.util.spec_from_file_location(
    "extract_tutorial", ROOT / "tools" / "extract_tutorial.py"
)
extract = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(extract)


@pytest.fixture(scope="module")
def tutorial() -> str:
    return TUTORIAL.read_text()


@pytest.mark.backend_independent
def test_the_example_folder_is_what_the_tutorial_gives(tutorial):
    assert extract.differences(EXAMPLE, tutorial) == []


@pytest.mark.backend_independent
def test_a_catalogue_compiled_by_msgfmt_is_no_difference(tutorial, tmp_path):
    """`make messages` recompiles every catalogue with msgfmt: other bytes,
    the same translations. A changed translation is a difference."""
    extract.write(tmp_path, tutorial)
    folder = tmp_path / "lms_signups" / "locale" / "es" / "LC_MESSAGES"
    compiled = subprocess.run(
        ["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")],
        check=False,
    )
    assert compiled.returncode == 0
    assert extract.differences(tmp_path, tutorial) == []
    catalogue = polib.pofile(str(folder / "django.po"))
    catalogue.translated_entries()[0].msgstr = "Otra cosa"
    catalogue.save_as_mofile(str(folder / "django.mo"))
    assert extract.differences(tmp_path, tutorial) == [
        "lms_signups/locale/es/LC_MESSAGES/django.mo: differs from the tutorial"
    ]


@pytest.mark.backend_independent
def test_a_changed_or_extra_file_is_a_difference(tutorial, tmp_path):
    extract.write(tmp_path, tutorial)
    (tmp_path / "lms_signups" / "views.py").write_text("# edited by hand\n")
    (tmp_path / "lms_signups" / "extra.py").write_text("")
    assert extract.differences(tmp_path, tutorial) == [
        "lms_signups/extra.py: not in the tutorial",
        "lms_signups/views.py: differs from the tutorial",
    ]


@pytest.mark.backend_independent
def test_the_tutorial_gives_the_whole_plugin(tutorial):
    files = extract.tutorial_files(tutorial)
    assert {
        "pyproject.toml",
        "lms_signups/apps.py",
        "lms_signups/models.py",
        "lms_signups/migrations/0001_initial.py",
        "lms_signups/hooks.py",
        "lms_signups/locale/es/LC_MESSAGES/django.po",
        "tests/test_signups.py",
    } <= files.keys()
    hooks = re.findall(r"^def (lms_\w+)", files["lms_signups/hooks.py"], re.M)
    assert hooks == [
        "lms_cohort_tabs",
        "lms_dashboard_panels",
        "lms_measures",
        "lms_export_user_data",
        "lms_erase_user_data",
        "lms_handle_event",
    ]
    assert 'signups = "lms_signups"' in files["pyproject.toml"]
    assert "lms_startplugin signups --module lms_signups" in tutorial


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<!-- file: a.py -->\ntext\n```python\n```\n", "not just before a fence"),
        ("<!-- file: a.py (continued) -->\n```python\n```\n", "continued before"),
        ("<!-- file: a.py -->\n```\n```\n<!-- file: a.py -->\n```\n```\n", "twice"),
        ("<!-- file: ../a.py -->\n```\n```\n", "inside the plugin's folder"),
    ],
)
def test_a_badly_marked_block_is_an_error(page, problem):
    with pytest.raises(extract.TutorialError, match=problem):
        extract.tutorial_files(page)


@pytest.mark.backend_independent
def test_continued_blocks_join_into_one_file():
    page = (
        "<!-- file: a.py -->\n```\nx = 1\n```\nthen\n"
        "<!-- file: a.py (continued) -->\n```\ny = 2\n```\n"
    )
    assert extract.tutorial_files(page) == {"a.py": "x = 1\n\n\ny = 2\n"}


@pytest.mark.backend_independent
def test_the_tutorial_plugin_imports_only_sdk_from_core(tutorial):
    files = extract.tutorial_files(tutorial)
    imports = {
        path: core_imports(text)
        for path, text in files.items()
        # A migration holds the paths Django wrote: history, not code.
        if path.endswith(".py") and "/migrations/" not in path
    }
    assert {path: found for path, found in imports.items() if found} == {}
    assert "from sdk import" in files["lms_signups/views.py"]
    assert "from sdk.testing import" in files["tests/test_signups.py"]
    assert template_problems(EXAMPLE / "lms_signups") == []


# What it checks is the tutorial's text (its files install, migrate and pass
# their tests), not the database: on SQLite only, as the tutorial runs them.
@pytest.mark.backend_independent
@pytest.mark.long_running
def test_the_tutorial_plugin_installs_migrates_and_passes_its_own_tests(
    tutorial, tmp_path
):
    package = tmp_path / "lms-signups"
    extract.write(package, tutorial)
    environment = {
        "LMS_PLUGINS": "signups",
        **install_plugin(package, tmp_path / "site-packages"),
    }

    listing = run_python(
        "manage.py", "lms_plugins", "--json", "--check", env=environment
    )
    assert listing.returncode == 0, listing.stdout + listing.stderr
    (status,) = json.loads(listing.stdout)
    assert status["name"] == "signups" and status["healthy"]

    migrations = run_python(
        "manage.py", "makemigrations", "signups", "--check", "--dry-run",
        env={**environment, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
    )  # fmt: skip
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr

    # Its tests' database is a copy of this run's migrated template with the
    # plugin's own migration applied on top (tests/database_template.py).
    tests = run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
        "-p", "tests.database_setup", "-q", "-rA",
        str(package / "tests"), "--rootdir", str(package),
        env=environment,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    contract = r"^PASSED \S+::test_the_plugin_meets_the_plugin_contract$"
    assert re.search(contract, tests.stdout, re.MULTILINE), tests.stdout

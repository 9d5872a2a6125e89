"""The check in `make lint` against imports inside functions that dodge a cycle."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What it checks does not depend on the database: the SQLite stage runs it.
pytestmark = pytest.mark.backend_independent

spec = importlib.util.spec_from_file_location(
    "check_inner_imports", ROOT / "tools" / "check_inner_imports.py"
)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def _findings(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(source)
    return [(f, m) for _, f, m, _ in check.inner_imports(path, name)]


def test_a_first_party_import_inside_a_function_is_found(tmp_path):
    source = (
        "def leave():\n"
        "    if True:\n"
        "        from cohorts.membership import leave\n"
        "    import insights.dashboard\n"
        "    from . import sibling\n"
    )
    assert _findings(tmp_path, "rsvp.py", source) == [
        ("leave", "cohorts.membership"),
        ("leave", "insights.dashboard"),
        ("leave", "."),
    ]


def test_ready_type_checking_and_lazy_libraries_are_allowed(tmp_path):
    source = (
        "from typing import TYPE_CHECKING\n"
        "class Config:\n"
        "    def ready(self):\n"
        "        from cohorts.models import Session\n"
        "def pdf():\n"
        "    if TYPE_CHECKING:\n"
        "        from cohorts.models import Session\n"
        "    from weasyprint import HTML\n"
        "    from django.urls import reverse\n"
    )
    assert _findings(tmp_path, "apps.py", source) == []
    # ready() is only special in an app's apps.py
    assert _findings(tmp_path, "models.py", source) == [("ready", "cohorts.models")]


def test_the_code_has_no_inner_import_but_the_known_ones_and_all_of_those():
    assert check.main([]) == 0


def test_every_app_of_the_import_contracts_is_checked(tmp_path):
    """The apps come from import-linter's root packages: one added there (as
    scheduling and sdk were) is first-party here, and its folder is read."""
    source = (
        "def remind():\n    from scheduling.models import Session\n    import sdk\n"
    )
    assert _findings(tmp_path, "feeds.py", source) == [
        ("remind", "scheduling.models"),
        ("remind", "sdk"),
    ]
    assert {"scheduling", "sdk", "notifications", "learning"} <= set(check.SOURCES)

"""docs/plugins.md documents the whole plugin API, and its generated
reference matches the code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

import sdk
import sdk.api
import sdk.demo
import sdk.testing
from lms import hookspecs
from tests.helpers import run_python

DOC = Path(settings.BASE_DIR) / "docs" / "plugins.md"
API = {"sdk": sdk, "sdk.api": sdk.api, "sdk.demo": sdk.demo, "sdk.testing": sdk.testing}

# What it checks does not depend on the database: the SQLite stage runs it.
pytestmark = pytest.mark.backend_independent


def doc_text() -> str:
    return DOC.read_text()


@pytest.mark.parametrize("module", API, ids=str)
def test_every_public_name_is_documented(module):
    text = doc_text()
    missing = [
        name
        for name in API[module].__all__
        if not re.search(rf"`{re.escape(name)}[`(\s]", text)
    ]
    assert missing == []


def test_every_hook_is_in_the_reference():
    text = doc_text()
    hooks = [name for name in dir(hookspecs) if name.startswith("lms_")]
    assert hooks
    assert [name for name in hooks if f"`{name}(" not in text] == []


def test_the_docs_say_the_rest_of_core_may_change():
    text = " ".join(doc_text().split())
    assert "Everything else in core" in text
    assert "may change or move without notice" in text


def test_the_generated_reference_is_up_to_date():
    result = run_python("tools/plugin_reference.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_url_names_exist():
    table = doc_text().split("# URLs a plugin needs", 1)[1].split("\n# ", 1)[0]
    names = re.findall(r"\| `([a-z_]+(?::[a-z_]+)?)` \|", table)
    assert "dashboard" in names and "cohorts:program_reports" in names
    unknown = []
    for name in names:
        for args in ([], [1], ["slug"]):
            try:
                reverse(name, args=args)
                break
            except NoReverseMatch:
                continue
        else:
            unknown.append(name)
    assert unknown == []

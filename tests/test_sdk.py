"""The public plugin API: its permission questions, "the groups of this person
that switched my plugin on", and the rule that plugins import only `sdk`."""

import ast
import inspect
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from lms_example_plugin.models import ReadingNote

import sdk
import sdk.with_models
from content.models import HomePage
from sdk import CohortPage, Membership, facilitates, groups_using_plugin, is_member
from sdk.testing import (
    ROLES,
    GroupFactory,
    access_problems,
    group_with_people,
)
from sdk.testing import MembershipFactory as MemberOfGroupFactory
from sdk.testing import SessionFactory as GroupSessionFactory
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.helpers import run_python

ROOT = Path(settings.BASE_DIR)
CORE = {
    "lms",
    "chapters",
    "content",
    "cohorts",
    "scheduling",
    "learning",
    "calendars",
    "insights",
    "notifications",
    "newsletter",
    "organisations",
}
PLUGIN_FOLDERS = [
    *sorted((ROOT / "plugins").glob("*/lms_*")),
    *sorted((ROOT / "examples").glob("*/lms_*")),
]
STATES = ["active", "completed", "waitlisted", "invited", "left"]


@pytest.fixture
def group(home_page):
    return CohortPageFactory(parent=home_page, plugins=["example", "toolkits"])


def test_is_member_counts_current_members_of_any_role_only(group):
    people = {}
    for role in ["participant", "facilitator"]:
        for status in STATES:
            person = UserFactory()
            MembershipFactory(cohort=group, user=person, role=role, status=status)
            people[role, status] = person
    outsider = UserFactory()
    superuser = UserFactory(is_superuser=True)

    members = {key for key, person in people.items() if is_member(person, group)}

    assert members == {
        ("participant", "active"),
        ("participant", "completed"),
        ("facilitator", "active"),
        ("facilitator", "completed"),
    }
    found = is_member(people["facilitator", "active"], group)
    assert isinstance(found, Membership) and found.role == "facilitator"
    assert is_member(outsider, group) is None
    assert is_member(superuser, group) is None


def test_facilitates_is_for_current_staff_and_superusers(group):
    cases = {}
    for role in ["participant", "facilitator", "lead"]:
        for status in STATES:
            person = UserFactory()
            MembershipFactory(cohort=group, user=person, role=role, status=status)
            cases[role, status] = facilitates(person, group)

    assert {key for key, runs in cases.items() if runs} == {
        ("facilitator", "active"),
        ("facilitator", "completed"),
        ("lead", "active"),
        ("lead", "completed"),
    }
    assert facilitates(UserFactory(is_superuser=True), group)
    assert not facilitates(UserFactory(), group)
    other_group = CohortPageFactory(parent=group.get_parent())
    staff = UserFactory()
    MembershipFactory(cohort=other_group, user=staff, role="facilitator")
    assert not facilitates(staff, group)


def test_groups_using_plugin_are_the_persons_current_groups_with_it_on(
    home_page, django_assert_num_queries
):
    person = UserFactory()
    expected = set()
    for status in STATES:
        for plugins in [["example"], ["toolkits"], ["example_extra"], []]:
            cohort = CohortPageFactory(parent=home_page, plugins=plugins)
            MembershipFactory(cohort=cohort, user=person, status=status)
            if plugins == ["example"] and status in ["active", "completed"]:
                expected.add(cohort.pk)
    as_staff = CohortPageFactory(parent=home_page, plugins=["toolkits", "example"])
    MembershipFactory(cohort=as_staff, user=person, role="facilitator")
    expected.add(as_staff.pk)
    # Switched on, but the person is not in it, or it is not published.
    CohortPageFactory(parent=home_page, plugins=["example"])
    unpublished = CohortPageFactory(parent=home_page, plugins=["example"])
    MembershipFactory(cohort=unpublished, user=person)
    unpublished.unpublish()

    with django_assert_num_queries(1):
        found = {cohort.pk for cohort in groups_using_plugin(person, "example")}

    assert found == expected
    assert len(expected) == 3


def test_groups_using_plugin_costs_no_query_of_its_own_inside_another(
    home_page, django_assert_num_queries
):
    person = UserFactory()
    using = CohortPageFactory(parent=home_page, plugins=["example"])
    not_using = CohortPageFactory(parent=home_page, plugins=[])
    for cohort in [using, not_using]:
        MembershipFactory(cohort=cohort, user=person)
        SessionFactory(cohort=cohort)

    with django_assert_num_queries(1):
        sessions = list(
            sdk.Session.objects.filter(
                cohort__in=groups_using_plugin(person, "example")
            )
        )

    assert [session.cohort_id for session in sessions] == [using.pk]


def test_groups_using_plugin_is_empty_for_visitors(group, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(groups_using_plugin(AnonymousUser(), "example")) == []


def test_sdk_factories_build_a_group_the_site_shows_with_its_plugin_tab(db, client):
    membership = MemberOfGroupFactory(cohort__plugins=["example"])
    group = membership.cohort
    GroupSessionFactory(cohort=group)
    client.force_login(membership.user)

    response = client.get(group.url)

    assert response.status_code == 200
    assert isinstance(group.get_parent().specific, HomePage)
    assert group.program is not None and group.live
    assert "Reading notes" in response.content.decode()
    assert list(groups_using_plugin(membership.user, "example")) == [group]
    assert GroupFactory(kind="circle").kind == "circle"


def test_group_with_people_gives_one_person_of_each_role(db):
    people = group_with_people(plugins=["coaching"], kind="circle")
    assert list(people.people) == list(ROLES)
    group = people.group
    assert group.kind == "circle" and group.plugins == ["coaching"]
    assert people.people["visitor"] is None
    memberships = {
        (m.user_id, m.role, m.status) for m in Membership.objects.filter(cohort=group)
    }
    expected = {
        "left": ("participant", "left"),
        "waitlisted": ("participant", "waitlisted"),
        "participant": ("participant", "active"),
        "facilitator": ("facilitator", "active"),
        "group_lead": ("lead", "active"),
    }
    assert memberships == {
        (people.people[role].pk, *kind) for role, kind in expected.items()
    }
    assert is_member(people.people["other_group"], people.other_group)
    assert group.program.leads.get() == people.people["program_lead"]
    assert people.client("visitor").get("/dashboard/").status_code == 302
    assert people.client("outsider").get("/dashboard/").status_code == 200


def test_access_problems_checks_every_cell_and_every_private_text(db):
    people = group_with_people(plugins=["coaching"])
    page = f"/p/coaching/groups/{people.group.pk}/"
    members = {"participant": 200, "facilitator": 200, "group_lead": 200}
    right = {page: {"visitor": "login", **members, "*": 404}}
    assert access_problems(people, right) == []

    wrong = {page: {"visitor": "login", "participant": 404, "*": 404}}
    assert access_problems(people, wrong) == [
        f"{page} as {role}: expected 404, got 200"
        for role in ("participant", "facilitator", "group_lead")
    ]
    unfinished = access_problems(people, {page: {"visitor": "login", **members}})
    assert unfinished[0] == f"{page}: no answer expected for outsider"
    assert len(unfinished) == len(ROLES) - 4
    # The group's title stands for a private text only the participant may see.
    leaked = access_problems(
        people, right, private={people.group.title: {"participant"}}
    )
    assert leaked == [
        f"{page} as {role}: shows {people.group.title!r}"
        for role in ("facilitator", "group_lead")
    ]


def test_the_docs_privacy_matrix_example_passes(db):
    """docs/plugins.md, "6. Test it": the example as written there."""
    people = group_with_people(plugins=["example"])
    ReadingNote.objects.create(user=people.people["participant"], text="My own")
    page = reverse("example:notes")
    expected = {page: {"visitor": "login", "*": 200}}
    assert access_problems(people, expected, private={"My own": {"participant"}}) == []


@pytest.mark.backend_independent
def test_the_lazy_names_are_those_of_sdk_with_models():
    assert sorted(sdk.WITH_MODELS) == sorted(sdk.with_models.__all__)
    assert len(set(sdk.__all__)) == len(sdk.__all__)
    assert all(getattr(sdk, name) is not None for name in sdk.__all__)
    assert sdk.CohortPage is CohortPage
    with pytest.raises(AttributeError):
        sdk.no_such_name  # noqa: B018


@pytest.mark.backend_independent
def test_sdk_imports_no_model_until_a_name_needs_one():
    """A plugin's apps.py imports PluginConfig from sdk before Django has loaded
    any model: importing sdk (and sdk.testing, a pytest plugin) must work then."""
    script = (
        "import sys, sdk, sdk.testing\n"
        "from sdk import PluginConfig, hookimpl\n"
        "print(sorted(m for m in sys.modules if m.endswith('.models')))\n"
    )
    result = run_python("-c", script, env={"DJANGO_SETTINGS_MODULE": ""})
    assert result.returncode == 0, result.stderr
    assert "cohorts.models" not in result.stdout
    assert "content.models" not in result.stdout


# --- plugins import only sdk -------------------------------------------------


def core_imports(source: str) -> list[str]:
    """The core modules a Python file imports directly (not through sdk)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in CORE]
    return found


# What a plugin's template may extend, include or load from outside itself.
ALLOWED_TEMPLATES = re.compile(r"^(base\.html|sdk/.*)$")
ALLOWED_LIBRARIES = {"i18n", "l10n", "tz", "static", "sdk_tags", "wagtailcore_tags"}
TEMPLATE_NAMES = re.compile(r"\{%\s*(?:extends|include)\s+[\"']([^\"']+)[\"']")
LOADS = re.compile(r"\{%\s*load\s+([^%]+?)\s*%\}")


def template_problems(package: Path) -> list[str]:
    problems = []
    for path in sorted((package / "templates").rglob("*.*")):
        text = path.read_text()
        own = f"{package.name}/"
        problems += [
            f"{path.name} uses {name}"
            for name in TEMPLATE_NAMES.findall(text)
            if not name.startswith(own) and not ALLOWED_TEMPLATES.match(name)
        ]
        for libraries in LOADS.findall(text):
            problems += [
                f"{path.name} loads {library}"
                for library in libraries.split()
                if library not in ALLOWED_LIBRARIES
            ]
    return problems


@pytest.mark.backend_independent
@pytest.mark.parametrize("package", PLUGIN_FOLDERS, ids=lambda path: path.name)
def test_plugins_use_only_sdk_from_core(package):
    imports = {
        str(path.relative_to(package)): core_imports(path.read_text())
        for path in package.rglob("*.py")
        # A migration holds the paths Django wrote: history, not code.
        if "migrations" not in path.parts
    }
    assert {path: found for path, found in imports.items() if found} == {}
    assert template_problems(package) == []


@pytest.mark.backend_independent
def test_the_checks_above_see_a_core_import():
    assert core_imports("from cohorts.models import Membership\nimport sdk") == [
        "cohorts.models"
    ]
    assert core_imports("import lms.files") == ["lms.files"]


@pytest.mark.backend_independent
def test_the_import_contract_covers_every_plugin():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    contracts = {c["name"]: c for c in config["importlinter"]["contracts"]}
    contract = contracts["Plugins import only sdk from core"]
    assert set(contract["forbidden_modules"]) == CORE
    assert contract["type"] == "forbidden"
    assert set(contract["source_modules"]) == {path.name for path in PLUGIN_FOLDERS}
    assert "sdk" in config["importlinter"]["root_packages"]
    lowest = contracts["The core never imports the apps built on it or any plugin"]
    assert "sdk" in lowest["forbidden_modules"]


@pytest.mark.backend_independent
def test_import_linter_refuses_a_plugin_importing_core(tmp_path):
    """The contract itself, on a copy of a plugin with a planted import."""
    plugin = tmp_path / "lms_toolkits"
    source = ROOT / "plugins" / "toolkits" / "lms_toolkits"
    for path in source.rglob("*.py"):
        target = plugin / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    hooks = plugin / "hooks.py"
    hooks.write_text("from cohorts.permissions import membership\n" + hooks.read_text())
    lint_imports = Path(sys.executable).parent / "lint-imports"
    paths = [tmp_path, ROOT, ROOT / "examples" / "signups-plugin"]
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        # The tutorial's plugin is not installed: its folder goes on the path.
        env={**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Plugins import only sdk from core BROKEN" in result.stdout
    assert "lms_toolkits.hooks -> cohorts.permissions" in result.stdout


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    ("protocol", "model"),
    [(sdk.Group, CohortPage), (sdk.ProgramLike, sdk.Program)],
    ids=["Group", "ProgramLike"],
)
def test_the_hook_protocols_describe_the_models_core_passes(protocol, model):
    methods = [
        name
        for name, value in vars(protocol).items()
        if inspect.isfunction(value) and not name.startswith("_")
    ]
    # Fields are descriptors on the model class, so no instance is needed.
    names = [*protocol.__annotations__, *methods]
    assert [name for name in names if not hasattr(model, name)] == []

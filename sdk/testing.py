"""pytest fixtures and a conformance check for plugin authors.

Add `pytest_plugins = ["sdk.testing"]` to your plugin's conftest.py (or pass
`-p sdk.testing` to pytest), then:

    def test_my_plugin_conforms():
        assert check_plugin("my_label") == []

Fixtures: `register_plugin` (register a hooks object for one test),
`captured_events` (events delivered to plugins during the test) and
`strict_hooks` / `lenient_hooks` (whether a failing hook raises).
`render_panels(request, cohort=None)` renders the dashboard panels a page
would show, each with the label of the plugin that gave it.
`group_with_people()` makes a group with one person of each kind in ROLES,
and `access_problems()` checks your privacy matrix against them. Factories for
people, programs, groups, memberships and sessions (`GroupFactory`, …) come
from `sdk.factories`, loaded on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.template import TemplateSyntaxError
from django.template.base import TextNode
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import Promise

from lms import hookspecs
from lms.panels import RenderedPanel, render_panels
from lms.plugins import PluginConfig, missing_personal_data_hooks, plugin_manager

# pytest imports this module (`-p sdk.testing`) before Django has loaded the
# models the factories need, so they are looked up on first use.
FACTORIES = (
    "GroupFactory",
    "GroupPeople",
    "MembershipFactory",
    "ProgramFactory",
    "SessionFactory",
    "UserFactory",
    "group_with_people",
)

__all__ = [
    *FACTORIES,
    "ROLES",
    "RenderedPanel",
    "access_problems",
    "captured_events",
    "check_plugin",
    "lenient_hooks",
    "register_plugin",
    "render_panels",
    "status_problem",
    "strict_hooks",
]

# Each kind of person a plugin's page may meet, from furthest to nearest.
ROLES = (
    "visitor",  # not logged in
    "outsider",  # logged in, in no group
    "other_group",  # a participant of another group of the same program
    "left",  # left this group
    "waitlisted",  # waiting for a place
    "participant",
    "facilitator",
    "group_lead",  # a member with the lead role
    "program_lead",  # leads the program (Program leads group), not a member
    "superuser",
)

WORDS = re.compile(r"[^\W\d_]{2,}")
# Markup, including tag fragments a template tag splits ("<a href=", "\">").
TAGS = re.compile(r"<[^>]*(?:>|$)|^[^<>]*>|&\w+;")


def __getattr__(name: str) -> Any:
    if name in FACTORIES:
        return getattr(import_module("sdk.factories"), name)
    raise AttributeError(f"module 'sdk.testing' has no attribute {name!r}")


@pytest.fixture
def register_plugin() -> Iterator:
    """Register an object (module, class or instance) with hook implementations."""
    registered: list[Any] = []

    def register(plugin: object, name: str | None = None) -> object:
        plugin_manager.register(plugin, name=name)
        registered.append(plugin)
        plugin_manager.check_pending()
        return plugin

    yield register
    for plugin in registered:
        if plugin_manager.is_registered(plugin):
            plugin_manager.unregister(plugin)


@pytest.fixture
def captured_events(register_plugin) -> list:
    """Every event delivered to plugins while the test runs.

    Events are delivered on commit: wrap the code that emits them in
    `django_capture_on_commit_callbacks(execute=True)` inside a test transaction.
    """
    events: list = []

    class Recorder:
        @hookspecs.hookimpl
        def lms_handle_event(self, event):
            events.append(event)

    register_plugin(Recorder(), name="captured-events")
    return events


@pytest.fixture
def strict_hooks(settings) -> None:
    """Behave as development does: a failing plugin's error is raised."""
    settings.LMS_PLUGINS_STRICT = True


@pytest.fixture
def lenient_hooks(settings) -> None:
    """Behave as production does: a failing plugin is logged and skipped."""
    settings.LMS_PLUGINS_STRICT = False


def access_problems(
    people: Any,
    expected: Mapping[str, Mapping[str, int | str]],
    *,
    private: Mapping[str, Iterable[str]] | None = None,
    method: str = "get",
) -> list[str]:
    """Every address asked by every kind of person, against what you expect;
    [] when each cell matches.

    `people` comes from `group_with_people()`. `expected` maps each address
    to {role: answer}: an HTTP status, or "login" for a redirect to the log-in
    page; "*" stands for every role not named. A role with no answer is a
    problem, so none is forgotten. `private` maps a text (a private note, a
    name) to the roles that may see it: it must appear in no other answer.
    """
    problems = []
    clients = {role: people.client(role) for role in ROLES}
    for url, answers in expected.items():
        for role in ROLES:
            want = answers.get(role, answers.get("*"))
            if want is None:
                problems.append(f"{url}: no answer expected for {role}")
                continue
            response = getattr(clients[role], method)(url)
            if problem := status_problem(response, want):
                problems.append(f"{url} as {role}: {problem}")
            body = _body(response)
            problems += [
                f"{url} as {role}: shows {text!r}"
                for text, allowed in (private or {}).items()
                if role not in allowed and text in body
            ]
    return problems


def status_problem(response, expected: int | str) -> str:
    """ "" when a response is the answer expected, else what went wrong.

    `expected` is an HTTP status, or "login" for a redirect to the log-in
    page (what a visitor gets from a page that needs an account).
    """
    got: int | str = response.status_code
    if got == 302 and response.url.startswith(reverse("account_login")):
        got = "login"
    if got != expected:
        return f"expected {expected}, got {got}"
    return ""


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def check_plugin(label: str) -> list[str]:
    """Problems that keep a plugin from meeting the plugin contract; [] if none."""
    config = apps.get_app_config(label)
    if not isinstance(config, PluginConfig):
        return [f"'{label}' is not a PluginConfig"]
    return [
        *_hook_problems(config),
        *_template_problems(config),
        *_translation_problems(config),
        *_personal_data_problems(config),
        *_migration_problems(config),
    ]


def _hook_problems(config: PluginConfig) -> list[str]:
    plugin = plugin_manager.get_plugin(config.label)
    if plugin is None:
        return []
    problems = []
    for caller in plugin_manager.get_hookcallers(plugin):
        if not caller.name.startswith("lms_") or caller.spec is None:
            problems.append(f"hook {caller.name} has no spec in lms.hookspecs")
            continue
        spec_args = set(caller.spec.argnames)
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and not set(impl.argnames) <= spec_args:
                problems.append(f"{caller.name} takes arguments the spec does not pass")
    return problems


def _plugin_templates(config: PluginConfig) -> list[str]:
    root = Path(config.path) / "templates"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))


def _template_problems(config: PluginConfig) -> list[str]:
    problems = []
    for name in _plugin_templates(config):
        try:
            get_template(name)
        except TemplateSyntaxError as error:
            problems.append(f"template {name} does not compile: {error}")
    return problems


def _untranslated_text(nodelist) -> list[str]:
    found = []
    for node in nodelist:
        if isinstance(node, TextNode):
            text = TAGS.sub(" ", node.s)
            if WORDS.search(text):
                found.append(" ".join(text.split())[:60])
        for attribute in getattr(node, "child_nodelists", ()):
            found += _untranslated_text(getattr(node, attribute, None) or [])
    return found


def _translation_problems(config: PluginConfig) -> list[str]:
    problems = []
    for name in _plugin_templates(config):
        template = get_template(name).template
        problems += [
            f"template {name} has text outside {{% translate %}}: {text!r}"
            for text in _untranslated_text(template.nodelist)
        ]
    if not isinstance(config.verbose_name, Promise):
        problems.append("verbose_name is not marked for translation")
    for model in config.get_models():
        if not isinstance(model._meta.verbose_name, Promise):
            problems.append(
                f"{model.__name__}: verbose_name not marked for translation"
            )
    return problems


def _personal_data_problems(config: PluginConfig) -> list[str]:
    return [
        f"stores personal data but does not implement {hook}"
        for hook in missing_personal_data_hooks(config)
    ]


def _migration_problems(config: PluginConfig) -> list[str]:
    if not list(config.get_models()):
        return []
    try:
        call_command(
            "makemigrations", config.label, check=True, dry_run=True, stdout=StringIO()
        )
    except SystemExit:
        return ["models have changes without a migration (run makemigrations)"]
    return []

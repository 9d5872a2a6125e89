import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lms_example_plugin import hooks as example_hooks
from lms_example_plugin.models import ReadingListPage, ReadingNote, note_panels
from pluggy import PluginValidationError

from lms import events, hookspecs, plugins
from lms.hookspecs import Panel, hookimpl
from lms.panels import render_panels
from lms.versioned_cache import VersionedCache
from tests.factories import CohortPageFactory, UserFactory
from tests.helpers import run_python

pytestmark = pytest.mark.django_db


def run_manage(*args: str, plugins_env: str):
    return run_python("manage.py", *args, env={"LMS_PLUGINS": plugins_env})


@pytest.fixture
def saved_statuses():
    saved = dict(plugins.statuses)
    yield
    plugins.statuses.clear()
    plugins.statuses.update(saved)


class FailingPanels:
    @hookimpl
    def lms_dashboard_panels(self, user):
        raise RuntimeError("this plugin is broken")


class BadTemplatePanels:
    @hookimpl
    def lms_dashboard_panels(self):
        return [Panel("Broken template", "no/such/template.html")]


# --- discovery, versions, settings -------------------------------------------


@pytest.mark.backend_independent  # manage.py lms_plugins opens no database
def test_lms_plugins_reports_each_kind_of_broken_plugin_and_the_site_starts():
    result = run_manage(
        "lms_plugins",
        "--json",
        plugins_env="example,example_broken_import,example_too_new,not_installed",
    )
    assert result.returncode == 0, result.stderr
    report = {row["name"]: row for row in json.loads(result.stdout)}
    assert report["example"]["healthy"] is True
    assert report["example"]["version"] == "1.0.0"
    assert set(report["example"]["hooks"]) == set(hook_names())
    assert "broken on purpose" in report["example_broken_import"]["error"]
    assert "needs Learning Commons >=99" in report["example_too_new"]["error"]
    assert "no installed package" in report["not_installed"]["error"]
    assert "Plugin 'example_too_new' is disabled" in result.stderr


@pytest.mark.backend_independent  # manage.py lms_plugins opens no database
def test_lms_plugins_check_fails_only_when_a_plugin_is_unhealthy():
    assert run_manage("lms_plugins", "--check", plugins_env="example").returncode == 0
    broken = run_manage("lms_plugins", "--check", plugins_env="example,example_too_new")
    assert broken.returncode != 0
    assert "Unhealthy plugins: example_too_new" in broken.stderr


def test_lms_plugins_extra_adds_to_the_defaults_and_lms_plugins_replaces_them():
    defaults = ["toolkits", "coaching"]
    why = "on in development (LMS_PLUGINS is unset)"
    assert plugins.enabled_plugins(defaults, why, environ={}) == {
        "toolkits": why,
        "coaching": why,
    }
    added = plugins.enabled_plugins(
        defaults, why, environ={"LMS_PLUGINS_EXTRA": " reading_notes, toolkits"}
    )
    assert added == {"toolkits": why, "coaching": why, "reading_notes": plugins.ADDED}
    replaced = plugins.enabled_plugins(
        defaults,
        why,
        environ={"LMS_PLUGINS": "reading_notes", "LMS_PLUGINS_EXTRA": "coaching"},
    )
    assert replaced == {"reading_notes": plugins.NAMED, "coaching": plugins.ADDED}
    # Set but empty: no plugins at all, not the defaults.
    assert plugins.enabled_plugins(defaults, why, environ={"LMS_PLUGINS": ""}) == {}


@pytest.mark.backend_independent  # manage.py lms_plugins opens no database
def test_lms_plugins_says_why_each_plugin_is_on_and_which_are_off():
    result = run_python(
        "manage.py",
        "lms_plugins",
        env={"LMS_PLUGINS": None, "LMS_PLUGINS_EXTRA": "example_too_new"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    why = {
        lines[at].split()[0]: lines[at + 1].strip()
        for at, line in enumerate(lines)
        if lines[at + 1 : at + 2] and lines[at + 1].startswith("    on because:")
    }
    assert why == {
        "coaching": "on because: on in tests (LMS_PLUGINS is unset)",
        "discussions": "on because: on in tests (LMS_PLUGINS is unset)",
        "example": "on because: on in tests (LMS_PLUGINS is unset)",
        "example_too_new": "on because: added by LMS_PLUGINS_EXTRA",
        "grantwriting": "on because: on in tests (LMS_PLUGINS is unset)",
        "surveys": "on because: on in tests (LMS_PLUGINS is unset)",
        "partners": "on because: on in tests (LMS_PLUGINS is unset)",
        "toolkits": "on because: on in tests (LMS_PLUGINS is unset)",
    }
    off = [line for line in lines if line.startswith("Installed but off: ")]
    assert off and "example_broken_import" in off[0]
    assert "example_too_new" not in off[0] and "coaching" not in off[0]


@pytest.mark.backend_independent  # manage.py lms_plugins opens no database
def test_the_first_party_plugins_are_all_healthy(settings):
    result = run_manage(
        "lms_plugins", "--json", plugins_env=",".join(settings.FIRST_PARTY_PLUGINS)
    )
    assert result.returncode == 0, result.stderr
    report = {row["name"]: row for row in json.loads(result.stdout)}
    assert sorted(report) == [
        "coaching",
        "discussions",
        "grantwriting",
        "partners",
        "surveys",
        "toolkits",
    ]
    assert all(row["healthy"] for row in report.values())
    checked = run_manage(
        "lms_plugins", "--check", plugins_env=",".join(settings.FIRST_PARTY_PLUGINS)
    )
    assert checked.returncode == 0, checked.stderr


def test_broken_plugins_are_left_out_and_shown_to_staff(
    client, home_page, saved_statuses
):
    entries = plugins.plugin_apps(
        ["example", "example_broken_import", "example_too_new", "not_installed"]
    )
    assert entries == ["lms_example_plugin.apps.ExamplePluginConfig"]
    assert client.get("/").status_code == 200
    assert client.get("/resources/").status_code in (200, 404)
    client.force_login(UserFactory(is_superuser=True))
    admin_home = client.get("/admin/")
    assert admin_home.status_code == 200
    html = admin_home.content.decode()
    assert "Plugins that are not working" in html
    assert "example_too_new" in html and "broken on purpose" in html


def test_only_a_plugin_left_out_is_logged(saved_statuses, caplog):
    plugins.plugin_apps(["example", "not_installed"])
    logged = [r.getMessage() for r in caplog.records if r.name == "lms.plugins"]
    assert logged == [
        "Plugin 'not_installed' is disabled: no installed package provides "
        "'not_installed' in the 'lms.plugins' entry-point group"
    ]


def test_a_plugin_is_a_problem_until_its_app_is_ready_and_when_it_fails(
    saved_statuses,
):
    plugins.statuses.clear()
    plugins.plugin_apps(["example"])
    assert [status.name for status in plugins.problems()] == ["example"]
    apps.get_app_config("example").ready()
    assert plugins.problems() == []
    plugins.statuses["example"].error = "failed after loading"
    assert [status.name for status in plugins.problems()] == ["example"]


def test_a_version_range_that_is_not_one_is_reported_not_fatal():
    class Vague(plugins.PluginConfig):
        name = "lms_vague"
        requires_lms = "soon"

    assert plugins.version_problem(Vague) == (
        "requires_lms 'soon' is not a version range"
    )


def test_misconfigured_plugin_names_itself_at_start_up(settings):
    config = apps.get_app_config("example")
    settings.LMS_PLUGINS_CONFIG = {"example": {"panel_titel": "typo"}}
    with pytest.raises(ImproperlyConfigured, match=r"Plugin 'example'.*panel_titel"):
        config.ready()
    settings.LMS_PLUGINS_CONFIG = {"example": {"panel_title": "Notes"}}
    config.ready()
    assert config.plugin_settings == {"panel_title": "Notes", "notes_on_panel": 3}


def test_an_unknown_setting_is_reported_with_the_known_ones(settings, monkeypatch):
    config = apps.get_app_config("example")
    settings.LMS_PLUGINS_CONFIG = {"example": {"panel_titel": "typo"}}
    assert plugins.settings_problems(config) == [
        "unknown setting 'panel_titel' (known: notes_on_panel, panel_title)"
    ]
    monkeypatch.setattr(config, "default_settings", {})
    assert plugins.settings_problems(config) == [
        "unknown setting 'panel_titel' (known: none)"
    ]


def test_a_groups_form_offers_only_the_plugins_switched_on_per_group(
    admin_user, home_page
):
    """Toolkits serves the whole site, so no lead switches it on for a group: a
    plugin is offered per group only when it says so (`cohort_scoped`)."""
    page = CohortPageFactory(parent=home_page)
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=admin_user)
    offered = sorted(label for label, _name in form.fields["plugins"].choices)
    assert offered == [
        "coaching",
        "discussions",
        "example",
        "grantwriting",
        "surveys",
    ]


def test_missing_required_setting_is_reported(settings, monkeypatch):
    config = apps.get_app_config("example")
    monkeypatch.setattr(config, "required_settings", ("api_key",))
    settings.LMS_PLUGINS_CONFIG = {}
    assert plugins.settings_problems(config) == [
        "required setting 'api_key' is missing"
    ]


def test_start_up_marks_each_plugin_loaded_in_its_own_status(saved_statuses):
    plugins.statuses.clear()
    plugins.plugin_apps(["grantwriting", "example"])
    apps.get_app_config("example").ready()
    example, grantwriting = (
        plugins.statuses["example"],
        plugins.statuses["grantwriting"],
    )
    assert (example.label, example.loaded) == ("example", True)
    assert example.hooks == sorted(hook_names())
    assert (grantwriting.label, grantwriting.loaded) == ("", False)


def test_only_fields_pointing_at_a_person_or_holding_an_address_are_personal():
    """A link to another row (here the page a page type extends) is not
    personal data: the export and erase hooks are asked of a plugin only for
    fields that point at a person or hold an e-mail address."""
    assert plugins.personal_fields(ReadingNote) == ["user"]
    assert plugins.personal_fields(ReadingListPage) == []


def test_misspelt_hook_fails_loudly(register_plugin):
    class Misspelt:
        @hookimpl
        def lms_dashbord_panels(self, user):
            return []

    with pytest.raises(PluginValidationError, match="lms_dashbord_panels"):
        register_plugin(Misspelt(), name="misspelt")


# --- calling hooks -----------------------------------------------------------


def test_one_failing_plugin_does_not_stop_the_others(register_plugin, lenient_hooks):
    register_plugin(FailingPanels(), name="failing")
    user = UserFactory()
    results = plugins.call_each(
        "lms_dashboard_panels", user=user, cohort=None, request=None
    )
    by_plugin = {result.plugin: result for result in results}
    assert isinstance(by_plugin["failing"].error, RuntimeError)
    assert by_plugin["example"].error is None


def test_strict_mode_reraises(register_plugin, strict_hooks):
    register_plugin(FailingPanels(), name="failing")
    with pytest.raises(RuntimeError, match="this plugin is broken"):
        plugins.collect(
            "lms_dashboard_panels", user=UserFactory(), cohort=None, request=None
        )


def test_collect_can_be_limited_to_some_plugins():
    user = UserFactory()
    assert plugins.collect("lms_cohort_tabs", plugins=[], cohort=None, user=user) == []
    tabs = plugins.collect(
        "lms_cohort_tabs", plugins=["example"], cohort=None, user=user
    )
    assert [tab.label for tab in tabs] == ["Reading notes"]


class NoTabs:
    @hookimpl
    def lms_cohort_tabs(self, cohort, user):
        return None


def test_collect_skips_a_plugin_that_returns_nothing(register_plugin):
    register_plugin(NoTabs(), name="no_tabs")
    tabs = plugins.collect(
        "lms_cohort_tabs",
        plugins=["example", "no_tabs"],
        cohort=None,
        user=UserFactory(),
    )
    assert [tab.label for tab in tabs] == ["Reading notes"]


# --- the dashboard -----------------------------------------------------------


def test_dashboard_shows_plugin_panels(client):
    user = UserFactory()
    ReadingNote.objects.create(user=user, text="Chapter two was about trust.")
    ReadingNote.objects.create(user=UserFactory(), text="Someone else's note")
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    assert "Reading notes" in html
    assert "Chapter two was about trust." in html
    assert "Someone else" not in html


def test_dashboard_needs_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("broken", [FailingPanels, BadTemplatePanels])
def test_broken_panel_shows_an_error_box_and_the_page_works(
    client, register_plugin, lenient_hooks, broken
):
    register_plugin(broken(), name="broken")
    client.force_login(UserFactory())
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This part of the page could not be shown" in html
    assert "Reading notes" in html  # the healthy plugin's panel still renders


def dashboard_queries(client, before_each=lambda: None) -> tuple[int, int]:
    """Queries of a warm dashboard with the example plugin, and without it."""
    client.get("/dashboard/")
    before_each()
    with CaptureQueriesContext(connection) as with_plugin:
        client.get("/dashboard/")
    module = plugins.plugin_manager.unregister(name="example")
    try:
        before_each()
        with CaptureQueriesContext(connection) as without_plugin:
            client.get("/dashboard/")
    finally:
        plugins.plugin_manager.register(module, name="example")
    return len(with_plugin), len(without_plugin)


def test_each_panel_adds_at_most_one_query(client, home_page):
    client.force_login(UserFactory())
    with_plugin, without_plugin = dashboard_queries(client, note_panels.invalidate)
    assert with_plugin - without_plugin == 1


def test_a_cached_panel_skips_its_query_until_a_note_changes(client):
    user = UserFactory()
    ReadingNote.objects.create(user=user, text="First thoughts")
    client.force_login(user)
    assert "First thoughts" in client.get("/dashboard/").content.decode()
    client.get("/dashboard/")
    cached, without_plugin = dashboard_queries(client)
    assert cached == without_plugin

    ReadingNote.objects.create(user=user, text="Second thoughts")
    assert "Second thoughts" in client.get("/dashboard/").content.decode()
    client.force_login(UserFactory())
    assert "thoughts" not in client.get("/dashboard/").content.decode()


def test_a_note_drops_its_writers_panel_and_keeps_everyone_elses(client):
    writer, reader = UserFactory(), UserFactory()
    client.force_login(reader)
    client.get("/dashboard/")
    ReadingNote.objects.create(user=writer, text="Not about you")
    cached, without_plugin = dashboard_queries(client)
    assert cached == without_plugin


class CountedPanel:
    """A cached panel that counts how often its context is built."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.built = 0
        self.cache = VersionedCache("tests:panel", ttl_seconds=60)

    def context(self):
        self.built += 1
        return {}

    @hookimpl
    def lms_dashboard_panels(self, user):
        return [Panel("Counted", self.template, self.context, self.cache, "key")]


def test_cached_panels_are_kept_per_language(rf, register_plugin):
    counted = register_plugin(CountedPanel("lms_example_plugin/panel.html"))
    request = rf.get("/dashboard/")
    request.user = UserFactory()
    html = {}
    for language in ("en", "en", "es", "en", "es"):
        with translation.override(language):
            (html[language],) = [
                panel.html
                for panel in render_panels(request)
                if panel.title == "Counted"
            ]
    assert counted.built == 2
    assert "/es/p/example/" in html["es"]
    assert "/es/" not in html["en"]


def test_a_cached_panel_with_a_form_gives_each_visitor_a_token_of_their_own(
    settings, register_plugin
):
    with_templates(settings, {"form.html": FORM})
    counted = register_plugin(CountedPanel("form.html"))
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        visitor.force_login(UserFactory())
        html = visitor.get("/dashboard/").content.decode()
        tokens.append(html.split('name="csrfmiddlewaretoken" value="')[-1][:64])
    assert counted.built == 1  # the same kept HTML for both
    for visitor, token in zip(visitors, tokens, strict=True):
        answer = visitor.post(FORM_ACTION, {"csrfmiddlewaretoken": token})
        assert answer.status_code == 200
    # Each token is the visitor's own: the other visitor's is refused.
    refused = visitors[0].post(FORM_ACTION, {"csrfmiddlewaretoken": tokens[1]})
    assert refused.status_code == 403


FORM = '<form method="post">{% csrf_token %}<button>Go</button></form>'
FORM_ACTION = "/p/example/"  # any page: only the CSRF check matters


def test_plugin_urls_mount_under_their_label_and_keep_notes_private(client):
    owner, other = UserFactory(), UserFactory()
    ReadingNote.objects.create(user=owner, text="My private reflection")
    assert client.get("/p/example/").status_code == 302
    client.force_login(other)
    html = client.get("/p/example/").content.decode()
    assert "My private reflection" not in html
    assert "You have not written any notes yet." in html
    client.force_login(owner)
    assert "My private reflection" in client.get("/p/example/").content.decode()


# --- events ------------------------------------------------------------------


def test_events_reach_plugins_only_after_commit(
    captured_events, django_capture_on_commit_callbacks
):
    joined = events.MemberJoined(cohort_id=1, user_id=2, role="participant")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        events.emit(joined)
        1 / 0  # noqa: B018
    assert captured_events == []
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.emit(joined)
        assert captured_events == []  # not before the outer commit
    assert captured_events == [joined]
    assert example_hooks.received_events[-1] == joined


def test_events_are_frozen():
    event = events.RSVPChanged(session_id=1, user_id=2, status="going")
    with pytest.raises(AttributeError):
        event.status = "declined"


# --- the hook reference and the example plugin -------------------------------


def hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if name.startswith("lms_"))


def test_every_hook_spec_is_documented():
    text = (settings.BASE_DIR / "docs" / "plugins.md").read_text()
    undocumented = [name for name in hook_names() if f"### `{name}" not in text]
    assert undocumented == []


def test_every_hook_spec_is_exercised_by_the_example_plugin(rf):
    user = UserFactory()
    ReadingNote.objects.create(user=user, text="A note")
    request = rf.get("/")
    request.user = user
    arguments = {
        "user": user,
        "cohort": None,
        "request": request,
        "since": ReadingNote.objects.get().created_at,
        "program": None,
        "period": None,
        "event": events.MemberLeft(cohort_id=1, user_id=user.pk),
        "key": "note-prompt",
        "organisation_ids": [],
    }
    answered = {}
    # Erasure last, so the export still has something to export.
    for name in sorted(hook_names(), key=lambda name: name == "lms_erase_user_data"):
        spec = getattr(plugins.plugin_manager.hook, name).spec
        kwargs = {arg: arguments[arg] for arg in spec.argnames}
        results = plugins.call_each(name, plugins=["example"], **kwargs)
        assert [r.error for r in results] == [None], name
        answered[name] = results[0].value
    assert answered["lms_export_user_data"]["reading_notes"][0]["text"] == "A note"
    assert answered["lms_measures"][0].value == 1
    assert len(answered["lms_calendar_events"]) == 1
    assert [embed.key for embed in answered["lms_lesson_embeds"]] == ["note-prompt"]
    assert "1 note so far" in answered["lms_render_embed"]
    assert answered["lms_erase_user_data"] is None
    assert not ReadingNote.objects.filter(user=user).exists()


def test_example_plugin_meets_the_plugin_contract():
    from sdk.testing import check_plugin

    assert check_plugin("example") == []


def test_conformance_check_catches_missing_erasure_and_untranslated_text():
    from django.template import engines

    from sdk.testing import _untranslated_text, check_plugin

    module = plugins.plugin_manager.unregister(name="example")
    try:
        problems = check_plugin("example")
    finally:
        plugins.plugin_manager.register(module, name="example")
    assert "stores personal data but does not implement lms_erase_user_data" in (
        problems
    )
    template = engines["django"].from_string(
        "{% load i18n %}<p>{% translate 'Fine' %}</p>"
        "{% if x %}<b>Hello there</b>{% endif %}"
    )
    assert _untranslated_text(template.template.nodelist) == ["Hello there"]


# --- page types from plugins -------------------------------------------------


def test_a_plugins_page_type_can_go_at_the_top_of_the_site(admin_client, home_page):
    from lms_example_plugin.models import ReadingListPage

    from content.models import HomePage, StandardPage

    allowed = HomePage.allowed_subpage_models()
    assert ReadingListPage in allowed and StandardPage in allowed
    add = f"/admin/pages/add/example/readinglistpage/{home_page.pk}/"
    assert admin_client.get(add).status_code == 200
    reading = home_page.add_child(
        instance=ReadingListPage(title="What we read", slug="what-we-read")
    )
    assert "Nothing on the list yet." in admin_client.get(reading.url).content.decode()
    assert ReadingListPage not in StandardPage.allowed_subpage_models()


PROCESSED = []


def counting_processor(request):
    PROCESSED.append(request.path)
    return {}


def with_templates(settings, templates: dict[str, str], processor: str = "") -> None:
    """Panel templates kept in memory (and an extra context processor)."""
    engine = dict(settings.TEMPLATES[0], APP_DIRS=False)
    engine["OPTIONS"] = dict(engine["OPTIONS"])
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", templates),
        "django.template.loaders.app_directories.Loader",
    ]
    if processor:
        engine["OPTIONS"]["context_processors"] = [
            *engine["OPTIONS"]["context_processors"],
            processor,
        ]
    settings.TEMPLATES = [engine]


class TemplatePanel:
    def __init__(self, template: str, context: dict) -> None:
        self.template, self.context = template, context

    @hookimpl
    def lms_dashboard_panels(self, user):
        return [Panel(self.template, self.template, self.context)]


def test_a_pages_panels_share_one_context_and_keep_their_values_apart(
    rf, settings, register_plugin, lenient_hooks
):
    with_templates(
        settings,
        {
            "secret.html": "{{ secret }}",
            "broken.html": "{{ secret }}{% url 'no-such-page' %}",
            "reader.html": "[{{ secret|default:'nothing' }}] {{ user.email }}",
        },
        processor="tests.test_plugins.counting_processor",
    )
    for number, template in enumerate(("secret.html", "broken.html")):
        register_plugin(TemplatePanel(template, {"secret": f"s3cr3t-{number}"}))
    register_plugin(TemplatePanel("reader.html", {}))
    request = rf.get("/dashboard/")
    request.user = UserFactory(email="reader@example.org")
    PROCESSED.clear()
    html = {panel.title: panel for panel in render_panels(request)}
    assert len(PROCESSED) == 1  # context processors ran once for every panel
    assert str(html["secret.html"].html) == "s3cr3t-0"
    assert html["broken.html"].failed
    assert str(html["reader.html"].html) == "[nothing] reader@example.org"

"""Pages with three plugin panels against the same pages with plugins off."""

import pytest
from django.contrib.auth import get_user_model
from lms_coaching.models import dashboard_panels as coaching_panels
from lms_grantwriting.models import dashboard_panels as grantwriting_panels
from lms_toolkits.models import dashboard_panels as toolkit_panels
from wagtail.models import Page

from bench.conftest import best_of_interleaved, timing_line
from bench.scale import PLUGIN_PANEL_TEXTS, person_with_plugin_panels
from lms.hookspecs import Panel, hookimpl
from lms.plugins import plugin_manager
from lms.versioned_cache import VersionedCache
from tests.factories import CohortPageFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db

PANEL_PLUGINS = ("bench-first", "bench-second", "bench-third")


class CountingPanel:
    """A typical panel: one query (unless told otherwise), a small template,
    and, if `cached`, its output kept as the example plugin keeps its own."""

    def __init__(self, title: str, query: bool = True, cached: bool = False) -> None:
        self.title = title
        self.query = query
        self.cache = VersionedCache(f"bench:{title}", 600) if cached else None

    @hookimpl
    def lms_dashboard_panels(self, user, cohort):
        def context():
            if self.query:
                return {"notes": [get_user_model().objects.filter(pk=user.pk).count()]}
            return {"notes": [1]}

        key = f"{user.pk}:{cohort.pk if cohort else ''}"
        return [
            Panel(self.title, "lms_example_plugin/panel.html", context, self.cache, key)
        ]


def switch_to(panels: list[CountingPanel]):
    """A set-up step that leaves exactly these panel plugins registered."""

    def set_up() -> None:
        for name in PANEL_PLUGINS:
            if plugin_manager.get_plugin(name):
                plugin_manager.unregister(name=name)
        for name, panel in zip(PANEL_PLUGINS, panels, strict=False):
            plugin_manager.register(panel, name=name)

    return set_up


def test_plugin_panels_cost(client, home_page):
    user = get_user_model().objects.create_user("bench@example.org")
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    cohort = CohortPageFactory(parent=home_page, plugins=list(PANEL_PLUGINS))
    MembershipFactory(cohort=cohort, user=user)
    for day in range(4):
        SessionFactory(cohort=cohort, capacity=20, title=f"Meeting {day}")
    client.force_login(user)
    # The example plugin would add a fourth panel to the dashboard.
    example = plugin_manager.unregister(name="example")
    with_queries = [CountingPanel(name) for name in PANEL_PLUGINS]
    without_queries = [CountingPanel(name, query=False) for name in PANEL_PLUGINS]
    cached = [CountingPanel(name, cached=True) for name in PANEL_PLUGINS]
    try:
        nothing = switch_to([])
        for url in ("/dashboard/", cohort.url):
            # Core panels (the member's groups and sessions) stay on either way.
            nothing()
            core = client.get(url).content.decode().count('class="panel"')
            switch_to(with_queries)()
            assert client.get(url).content.decode().count('class="panel"') == core + 3

        def page(url):
            return lambda: client.get(url)

        best = best_of_interleaved(
            {
                "bare": (nothing, page(bare.url)),
                "dashboard off": (nothing, page("/dashboard/")),
                "dashboard on": (switch_to(with_queries), page("/dashboard/")),
                "dashboard no DB": (switch_to(without_queries), page("/dashboard/")),
                "cohort off": (nothing, page(cohort.url)),
                "cohort on": (switch_to(with_queries), page(cohort.url)),
                "dashboard cached": (switch_to(cached), page("/dashboard/")),
                "cohort cached": (switch_to(cached), page(cohort.url)),
            }
        )
    finally:
        switch_to([])()
        plugin_manager.register(example, name="example")

    def line(label, name):
        return timing_line(label, best[name], best["bare"], 34)

    print(
        "\nplugin panels benchmark (best of 60 interleaved rounds of 5)\n"
        + line("bare Wagtail page", "bare")
        + line("dashboard, plugins off", "dashboard off")
        + line("dashboard, three panels", "dashboard on")
        + line("dashboard, three panels, no DB", "dashboard no DB")
        + line("cohort page, plugins off", "cohort off")
        + line("cohort page, three panels", "cohort on")
        + line("dashboard, three cached panels", "dashboard cached")
        + line("cohort page, three cached panels", "cohort cached")
        + "  speed with panels / without (goal: at least 0.95x)\n"
        f"    dashboard                       "
        f"{best['dashboard off'] / best['dashboard on']:.2f}x\n"
        f"    dashboard, panels without DB    "
        f"{best['dashboard off'] / best['dashboard no DB']:.2f}x"
        "  (the framework's own cost)\n"
        f"    cohort page                     "
        f"{best['cohort off'] / best['cohort on']:.2f}x\n"
        f"    dashboard, cached panels        "
        f"{best['dashboard off'] / best['dashboard cached']:.2f}x\n"
        f"    cohort page, cached panels      "
        f"{best['cohort off'] / best['cohort cached']:.2f}x"
    )


FIRST_PARTY = ("toolkits", "coaching", "grantwriting")


def test_first_party_panels_cost(client, home_page):
    """The dashboard with the toolkits, coaching and grantwriting panels, each
    with something to show, against the same dashboard with those plugins off."""
    user = person_with_plugin_panels(home_page)
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    for shown in PLUGIN_PANEL_TEXTS:
        assert shown in html
    modules = {name: plugin_manager.get_plugin(name) for name in FIRST_PARTY}
    example = plugin_manager.unregister(name="example")

    def plugins_on(on: bool):
        def set_up() -> None:
            for name, module in modules.items():
                registered = plugin_manager.is_registered(module)
                if on and not registered:
                    plugin_manager.register(module, name=name)
                elif not on and registered:
                    plugin_manager.unregister(name=name)

        return set_up

    def after_own_change():
        # As after the person ticked, logged or submitted something: each
        # panel is rebuilt on this visit.
        for panels in (toolkit_panels, coaching_panels, grantwriting_panels):
            panels.invalidate_scope(str(user.pk))
        client.get("/dashboard/")

    try:
        best = best_of_interleaved(
            {
                "bare": (plugins_on(False), lambda: client.get(bare.url)),
                "off": (plugins_on(False), lambda: client.get("/dashboard/")),
                "kept": (plugins_on(True), lambda: client.get("/dashboard/")),
                "rebuilt": (plugins_on(True), after_own_change),
            }
        )
    finally:
        plugins_on(True)()
        plugin_manager.register(example, name="example")

    def line(label, name):
        return timing_line(
            label, best[name], best["off"], 44, "the speed with them off"
        )

    print(
        "\nfirst-party plugins' panels (toolkits, coaching, grantwriting) on the"
        " dashboard, best of 60 interleaved rounds of 5\n"
        f"  bare Wagtail page                           {best['bare'] * 1000:7.2f} ms\n"
        + line("dashboard, the three plugins off", "off")
        + line("dashboard, three panels kept", "kept")
        + line("dashboard, rebuilt after the person's change", "rebuilt")
        + "  goal: at least 0.95x with the panels"
    )

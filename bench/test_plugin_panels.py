"""Dashboard with three plugin panels against the same page with plugins off."""

import pytest
from django.contrib.auth import get_user_model
from lms_example_plugin.models import ReadingNote
from wagtail.models import Page

from bench.conftest import best_of
from lms.hookspecs import Panel, hookimpl
from lms.plugins import plugin_manager

pytestmark = pytest.mark.django_db


class CountingPanel:
    """A typical panel: one query (unless told otherwise), a small template."""

    def __init__(self, title: str, query: bool = True) -> None:
        self.title = title
        self.query = query

    @hookimpl
    def lms_dashboard_panels(self, user):
        count = get_user_model().objects.filter(pk=user.pk).count() if self.query else 1
        return [
            Panel(
                self.title,
                "lms_example_plugin/panel.html",
                {"notes": [f"{count} item"]},
            )
        ]


def test_plugin_panels_cost(client, home_page, register_plugin):
    user = get_user_model().objects.create_user("bench@example.org")
    ReadingNote.objects.create(user=user, text="A note")
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    client.force_login(user)

    bare_page = best_of(lambda: client.get(bare.url))
    register_plugin(CountingPanel("Second"), name="bench-second")
    register_plugin(CountingPanel("Third"), name="bench-third")
    assert client.get("/dashboard/").content.decode().count('class="panel"') == 3
    with_panels = best_of(lambda: client.get("/dashboard/"))

    registered = [
        (name, plugin_manager.unregister(name=name))
        for name in ("example", "bench-second", "bench-third")
    ]
    try:
        assert 'class="panel"' not in client.get("/dashboard/").content.decode()
        without_panels = best_of(lambda: client.get("/dashboard/"))
        for number in range(3):
            register_plugin(CountingPanel(f"Q{number}", query=False), name=f"q{number}")
        no_query_panels = best_of(lambda: client.get("/dashboard/"))
    finally:
        for number in range(3):
            if plugin_manager.get_plugin(f"q{number}"):
                plugin_manager.unregister(name=f"q{number}")
        for name, plugin in registered:
            plugin_manager.register(plugin, name=name)

    print(
        "\nplugin panels benchmark (mean of the best round)\n"
        f"  bare Wagtail page              {bare_page * 1000:7.2f} ms\n"
        f"  dashboard, plugins off         {without_panels * 1000:7.2f} ms"
        f"  ({bare_page / without_panels:.2f}x the bare page's speed)\n"
        f"  dashboard, three panels        {with_panels * 1000:7.2f} ms"
        f"  ({bare_page / with_panels:.2f}x the bare page's speed)\n"
        f"  dashboard, three panels, no DB {no_query_panels * 1000:7.2f} ms\n"
        f"  speed with panels / without    {without_panels / with_panels:.2f}x"
        "  (goal: at least 0.95x)\n"
        f"  same, panels without queries   {without_panels / no_query_panels:.2f}x"
        "  (the framework's own cost)"
    )

"""Wagtail pages against the bare one: a standard page two levels down and
the catalogue of 1,000 groups with three filters (issue #20's goal: at least
half the bare page's speed)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.conftest import best_of_interleaved, timing_line
from bench.http.data import CATALOGUE_FILTERS
from bench.scale import many_groups
from cohorts.models import CatalogueIndexPage
from content.models import StandardPage, Topic

pytestmark = pytest.mark.django_db

GROUPS = 1_000


def test_catalogue_and_nested_page_against_the_bare_page(client, home_page):
    bare = home_page.add_child(
        instance=StandardPage(title="Bench bare page", slug="bench-bare")
    )
    section = home_page.add_child(instance=StandardPage(title="Section", slug="s"))
    nested = section.add_child(instance=StandardPage(title="Nested", slug="nested"))
    catalogue = home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )
    many_groups(home_page, GROUPS, Topic.objects.all())
    urls = {
        "bare": bare.url,
        "nested": nested.url,
        "catalogue": f"{catalogue.url}?{CATALOGUE_FILTERS}",
    }
    queries = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)

    best = best_of_interleaved(
        {
            name: (lambda: None, lambda url=url: client.get(url))
            for name, url in urls.items()
        },
        rounds=20,
        number=5,
    )
    labels = {
        "bare": "bare StandardPage",
        "nested": "StandardPage two levels down",
        "catalogue": f"catalogue, {GROUPS:,} groups, 3 filters",
    }
    width = max(len(label) for label in labels.values()) + 16
    print(
        "\nWagtail pages (best of 20 interleaved rounds; goal for the catalogue:"
        " at least 0.5x)\n"
        + "".join(
            timing_line(
                f"{labels[name]} ({queries[name]} queries)",
                best[name],
                best["bare"],
                width,
            )
            for name in urls
        )
    )

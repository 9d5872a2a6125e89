"""The facilitator dashboard with 10 and with 10,000 participants."""

import pytest
from wagtail.models import Page

from bench.conftest import best_of_interleaved
from bench.scale import crowd
from insights.dashboard import standing_changed
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


def test_dashboard_speed_does_not_follow_the_cohort_size(client, home_page):
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    facilitator = UserFactory()
    urls, cohorts = {}, {}
    for size in (10, 10_000):
        cohort = CohortPageFactory(
            parent=home_page, course=course_with_lessons(home_page)
        )
        crowd(cohort, size)
        MembershipFactory(cohort=cohort, user=facilitator, role="facilitator")
        urls[size] = f"/cohorts/{cohort.pk}/dashboard/"
        cohorts[size] = cohort.pk
    client.force_login(facilitator)

    def nothing():
        pass

    def afresh(size):
        # A visit after a change to the group: its standing is worked out.
        def visit():
            standing_changed(cohorts[size])
            client.get(urls[size])

        return visit

    best = best_of_interleaved(
        {
            "bare": (nothing, lambda: client.get(bare.url)),
            "small": (nothing, lambda: client.get(urls[10])),
            "large": (nothing, lambda: client.get(urls[10_000])),
            "small afresh": (nothing, afresh(10)),
            "large afresh": (nothing, afresh(10_000)),
        },
        rounds=5,
        number=5,
    )
    print(
        "\nfacilitator dashboard benchmark (best of 5 interleaved rounds)\n"
        f"  bare Wagtail page            {best['bare'] * 1000:7.2f} ms\n"
        "  the group's standing kept (visits within minutes of each other):\n"
        f"  dashboard, 10 participants   {best['small'] * 1000:7.2f} ms\n"
        f"  dashboard, 10,000            {best['large'] * 1000:7.2f} ms"
        f"  ({best['large'] / best['small']:.2f}x the 10 case; goal: at most 1.5x)\n"
        "  the standing worked out afresh (a visit after the group changed):\n"
        f"  dashboard, 10 participants   {best['small afresh'] * 1000:7.2f} ms\n"
        f"  dashboard, 10,000            {best['large afresh'] * 1000:7.2f} ms"
        f"  ({best['large afresh'] / best['small afresh']:.2f}x the 10 case)"
    )

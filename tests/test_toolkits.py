"""The toolkits plugin (plugins/toolkits), installed through its entry point."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lms_toolkits.hooks import completions
from lms_toolkits.models import ChecklistTick, ToolkitIndexPage, ToolkitPage

from api.models import TokenTerms
from api.tokens import create_token
from lms.plugins import call_each
from sdk.testing import check_plugin
from tests.factories import (
    CohortPageFactory,
    DocumentFactory,
    MembershipFactory,
    TopicFactory,
    UserFactory,
)
from tests.helpers import panel_of, restrict_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return home_page.add_child(
        instance=ToolkitIndexPage(title="Toolkits", slug="toolkits")
    )


def make_toolkit(library, title, language="en", topics=(), items=("Agree", "Sign")):
    toolkit = ToolkitPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        who_for="Coalitions about to sign a partnership agreement",
        minutes=90,
        toolkit_language=language,
        steps=[
            (
                "step",
                {
                    "title": "Map who does what",
                    "body": "<p>List every partner.</p>",
                    "minutes": 30,
                    "worksheet": DocumentFactory(title="Partner map"),
                },
            )
        ],
        checklist=[("item", text) for text in items],
    )
    toolkit.topics = list(topics)
    library.add_child(instance=toolkit)
    return toolkit


def tick(client, toolkit, item, done="1"):
    return client.post(
        reverse("toolkits:tick", args=[toolkit.pk]), {"item": item.id, "done": done}
    )


def test_the_plugin_meets_the_plugin_contract():
    assert check_plugin("toolkits") == []


def test_the_library_filters_by_topic_and_language(client, library):
    legal = TopicFactory(name="Legal", slug="legal")
    make_toolkit(library, "Partnership agreements", topics=[legal])
    make_toolkit(library, "Acuerdos de colaboración", language="es")
    html = client.get(library.url).content.decode()
    assert "Partnership agreements" in html and "Acuerdos" in html
    spanish = client.get(library.url + "?language=es").content.decode()
    assert "Acuerdos" in spanish and "Partnership agreements" not in spanish
    legal_only = client.get(library.url + "?topic=legal").content.decode()
    assert "Partnership agreements" in legal_only and "Acuerdos" not in legal_only
    nothing = client.get(library.url + "?topic=legal&language=es").content.decode()
    assert "No toolkit matches these filters" in nothing
    assert client.get(library.url + "?language=xx").status_code == 200


def test_a_restricted_toolkit_is_not_listed_not_even_its_title(client, library):
    make_toolkit(library, "Open to all")
    restrict_to(make_toolkit(library, "Board members only"), UserFactory())
    html = client.get(library.url).content.decode()
    assert "Open to all" in html and "Board members only" not in html


def test_each_person_ticks_off_their_own_checklist(client, library):
    toolkit = make_toolkit(library, "Partnership agreements")
    agree, sign = toolkit.checklist
    html = client.get(toolkit.url).content.decode()
    assert "Who this is for" in html and "Download: Partner map" in html
    assert "Log in to tick items off" in html
    assert tick(client, toolkit, agree).status_code == 302  # to the login page
    assert not ChecklistTick.objects.exists()

    me, other = UserFactory(), UserFactory()
    client.force_login(me)
    tick(client, toolkit, agree)
    tick(client, toolkit, agree)  # a double click ticks once
    mine = client.get(toolkit.url).content.decode()
    assert "1 of 2 done" in mine and "Done:</strong> Agree" in mine
    client.force_login(other)
    assert "0 of 2 done" in client.get(toolkit.url).content.decode()
    client.force_login(me)
    tick(client, toolkit, agree, done="0")
    assert not ChecklistTick.objects.filter(user=me).exists()

    bad = client.post(
        reverse("toolkits:tick", args=[toolkit.pk]), {"item": "nope", "done": "1"}
    )
    assert bad.status_code == 400
    assert client.get(reverse("toolkits:tick", args=[toolkit.pk])).status_code == 405
    toolkit.unpublish()
    assert tick(client, toolkit, sign).status_code == 404


def test_progress_reaches_dashboards_measures_exports_and_erasure(library, home_page):
    toolkit = make_toolkit(library, "Partnership agreements")
    agree, sign = toolkit.checklist
    circle = CohortPageFactory(parent=home_page)
    member, outsider = MembershipFactory(cohort=circle).user, UserFactory()
    for person, items in ((member, [agree, sign]), (outsider, [agree])):
        for item in items:
            ChecklistTick.objects.create(user=person, toolkit=toolkit, item=item.id)
    assert completions() == 1  # only the member ticked everything

    since = timezone.now() - timedelta(days=1)
    (activity,) = call_each(
        "lms_activity", plugins=["toolkits"], cohort=circle, since=since
    )
    assert [a.user_id for a in activity.value] == [member.pk]
    (measures,) = call_each(
        "lms_measures", plugins=["toolkits"], program=None, period=None
    )
    assert measures.value[0].key == "toolkits.completed"
    assert measures.value[0].value == 1

    (export,) = call_each("lms_export_user_data", plugins=["toolkits"], user=member)
    assert len(export.value["toolkit_checklists"]) == 2
    call_each("lms_erase_user_data", plugins=["toolkits"], user=member)
    assert not ChecklistTick.objects.filter(user=member).exists()
    assert ChecklistTick.objects.filter(user=outsider).exists()


def test_the_dashboard_panel_shows_started_toolkits_in_one_query(
    client, library, rf, django_assert_num_queries
):
    from lms.panels import render_panels

    toolkit = make_toolkit(library, "Partnership agreements")
    make_toolkit(library, "Untouched toolkit")
    member = UserFactory()
    client.force_login(member)
    tick(client, toolkit, toolkit.checklist[0])
    client.get("/")  # Wagtail caches the site's root paths on first use
    request = rf.get("/")
    request.user = member
    with django_assert_num_queries(1):
        (panel,) = render_panels(request, None, plugins=["toolkits"])
    assert "Partnership agreements" in panel.html
    assert "1 of 2 done" in panel.html
    assert "Untouched toolkit" not in panel.html


def test_the_panel_is_kept_until_the_person_ticks_or_a_page_changes(client, library):
    toolkit = make_toolkit(library, "Partnership agreements")
    first, second = toolkit.checklist
    member = UserFactory()
    client.force_login(member)
    tick(client, toolkit, first)
    client.get("/")  # Wagtail caches the site's root paths on first use
    html, queries = panel_of(member, "toolkits")
    assert ("1 of 2 done" in html, queries) == (True, 1)
    assert panel_of(member, "toolkits") == (html, 0)

    client.force_login(UserFactory())
    tick(client, toolkit, second)  # someone else's tick keeps this panel
    assert panel_of(member, "toolkits") == (html, 0)

    client.force_login(member)
    tick(client, toolkit, second)
    assert "2 of 2 done" in panel_of(member, "toolkits")[0]
    tick(client, toolkit, first, done="0")
    assert "1 of 2 done" in panel_of(member, "toolkits")[0]
    toolkit.title = "Partnership agreements, second edition"
    toolkit.save_revision().publish()
    assert "second edition" in panel_of(member, "toolkits")[0]


def test_the_api_reads_and_ticks_a_person_s_checklists(client, library):
    """`/api/v1/p/toolkits/`: the toolkits a person has begun with each item
    and when they ticked it; ticking as on the page (twice: one tick), a
    private toolkit or an item it does not have: not found."""
    first = make_toolkit(library, "Partnership agreements")
    second = make_toolkit(library, "Budget basics", items=("Read", "Ask", "Testify"))
    make_toolkit(library, "Not begun")
    me = UserFactory()
    token = create_token(me, "App", TokenTerms.Scope.WRITE, 30)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def put(toolkit, item, done=True):
        return Client().put(
            f"/api/v1/p/toolkits/toolkits/{toolkit.pk}/items/{item}",
            {"done": done},
            content_type="application/json",
            **auth,
        )

    agree = first.checklist[0].id
    assert put(first, agree).json()["ticked"] == 1
    assert put(first, agree).json()["ticked"] == 1  # twice: one tick
    ticked = put(second, second.checklist[2].id).json()
    assert [item["ticked_at"] is not None for item in ticked["items"]] == [
        False,
        False,
        True,
    ]
    listed = Client().get("/api/v1/p/toolkits/progress", **auth).json()
    assert listed["count"] == 2
    assert [item["title"] for item in listed["items"]] == [
        "Budget basics",
        "Partnership agreements",
    ]
    assert put(first, agree, done=False).json()["ticked"] == 0
    assert ChecklistTick.objects.filter(user=me).count() == 1
    # The page shows what the API ticked.
    client.force_login(me)
    assert "1 of 3 done" in client.get(second.url).content.decode()
    assert put(first, "nope").status_code == 404
    assert put(second, "x" * 1000).status_code == 404
    restrict_to(second, UserFactory())
    assert put(second, second.checklist[0].id).status_code == 404
    # Gone private from them: no longer in their progress either.
    put(first, agree)
    listed = Client().get("/api/v1/p/toolkits/progress", **auth).json()
    assert [item["title"] for item in listed["items"]] == ["Partnership agreements"]
    other = Client().get(
        "/api/v1/p/toolkits/progress",
        HTTP_AUTHORIZATION="Bearer "
        + create_token(UserFactory(), "App", TokenTerms.Scope.READ, 30)[1],
    )
    assert other.json()["count"] == 0

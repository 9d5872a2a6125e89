"""Chapters: one installation, a site per city or county (#25)."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from lms_coaching.models import CoachingSession
from openpyxl import load_workbook
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)

from api.tokens import create_token
from chapters.models import AdoptedCourse, Chapter
from chapters.setup import ChapterWanted, archive_chapter, create_chapter
from cohorts import permissions
from cohorts.models import CatalogueIndexPage, Program
from content.models import ProgramSettings
from content.site import default_site
from insights.by_site import indicators_by_site
from insights.indicators import actuals
from insights.models import Indicator, IndicatorResult, LogicModel
from newsletter.models import Subscriber
from scheduling.models import Attendance, Session
from tests.factories import (
    CohortPageFactory,
    DocumentFactory,
    MembershipFactory,
    SessionFactory,
    StandardPageFactory,
    UserFactory,
    course_with_lessons,
)
from tests.test_outcomes import lead as program_lead


def made() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Chapter,
            Page,
            Site,
            Group,
            Collection,
            GroupPagePermission,
            GroupCollectionPermission,
        )
    }


def make_los_angeles() -> None:
    call_command(
        "create_chapter",
        "Los Angeles",
        "--host",
        "la.localhost",
        "--languages",
        "en,es",
    )


def test_create_chapter_makes_a_working_chapter_once(home_page):
    make_los_angeles()
    chapter = Chapter.objects.get()
    assert (chapter.slug, chapter.languages) == ("los-angeles", ["en", "es"])
    visitor = Client(HTTP_HOST="la.localhost")
    home = visitor.get("/")
    assert home.status_code == 200 and "Los Angeles" in home.content.decode()
    for url in ("/find-a-group/", "/es/find-a-group/"):
        assert visitor.get(url).status_code == 200, url
    # The network's own site is untouched.
    assert Client().get("/").context["page"].pk == home_page.pk
    english = chapter.site.root_page
    spanish = english.get_translation(Locale.objects.get(language_code="es"))
    assert spanish.live
    # Each "Find a group" is the other's translation: the language links join them.
    catalogue = CatalogueIndexPage.objects.child_of(english).get()
    assert catalogue.get_translation(spanish.locale).title == "Buscar un grupo"
    # Its leads edit its pages in both languages, and its collection only.
    pages = GroupPagePermission.objects.filter(group=chapter.leads)
    assert {grant.page_id for grant in pages} == {english.pk, spanish.pk}
    collections = GroupCollectionPermission.objects.filter(group=chapter.leads)
    assert {grant.collection_id for grant in collections} == {chapter.collection_id}

    before = made()
    make_los_angeles()
    assert made() == before
    # Mended: a "Find a group" page deleted is made again.
    CatalogueIndexPage.objects.child_of(spanish).get().delete()
    make_los_angeles()
    assert made() == before


def test_a_chapter_offers_only_its_own_languages(home_page):
    """Riverside in English only: its pages link to no Spanish version (there
    is none); the network's site, in both, offers both."""
    spanish = home_page.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.save_revision().publish()
    create_chapter(
        ChapterWanted(
            name="Riverside", hostname="riverside.localhost", languages=["en"]
        )
    )
    riverside = Client(HTTP_HOST="riverside.localhost").get("/").content.decode()
    assert 'hreflang="en"' in riverside and 'hreflang="es"' not in riverside
    network = Client().get("/").content.decode()
    assert 'hreflang="en"' in network and 'hreflang="es"' in network


@pytest.mark.parametrize(
    "arguments, said",
    [
        (["--languages", "en,ko"], "ko: not among this installation's languages"),
        (["--languages", "es"], "include the site's main one"),
        (["--host", "localhost"], "another site's address"),
    ],
)
def test_create_chapter_refuses_what_would_not_work_and_makes_nothing(
    home_page, arguments, said
):
    before = made()
    options = {"--host": "riverside.localhost", "--languages": "en"}
    options.update(zip(arguments[::2], arguments[1::2], strict=True))
    with pytest.raises(CommandError, match=said):
        call_command(
            "create_chapter",
            "Riverside",
            *[x for pair in options.items() for x in pair],
        )
    assert made() == before


@pytest.fixture
def two_chapters(home_page):
    chapters = {}
    for name, host in (
        ("Los Angeles", "la.localhost"),
        ("Riverside", "riverside.localhost"),
    ):
        chapter, _created = create_chapter(
            ChapterWanted(name=name, hostname=host, languages=["en", "es"])
        )
        lead = UserFactory(first_name=f"Lead of {name}")
        lead.groups.add(chapter.leads)
        home = chapter.site.root_page
        page = StandardPageFactory(parent=home, title=f"{name} budget guide")
        image = Image.objects.create(
            title=f"{name} photo",
            file=get_test_image_file(),
            collection=chapter.collection,
        )
        document = DocumentFactory(
            title=f"{name} minutes", collection=chapter.collection
        )
        chapters[name] = {
            "chapter": chapter,
            "lead": lead,
            "home": home,
            "page": page,
            "image": image,
            "document": document,
        }
    task_backends["default"].run_pending()  # the search index's updates
    return chapters


def test_a_chapter_lead_reaches_nothing_of_another_chapter_in_the_admin(two_chapters):
    """The role-by-URL matrix across chapters: each chapter's lead, a network
    lead (superuser) and the other chapter's lead, on the admin's pages,
    choosers and search."""
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    network = UserFactory(is_superuser=True)

    def as_(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    theirs = {
        "page editor": reverse("wagtailadmin_pages:edit", args=[riverside["page"].pk]),
        "image editor": reverse("wagtailimages:edit", args=[riverside["image"].pk]),
        "document editor": reverse("wagtaildocs:edit", args=[riverside["document"].pk]),
    }
    for who, user, allowed in (
        ("Riverside's lead", riverside["lead"], True),
        ("network lead", network, True),
        ("LA's lead", la["lead"], False),
    ):
        client = as_(user)
        for name, url in theirs.items():
            answer = client.get(url)
            assert (answer.status_code == 200) == allowed, (
                who,
                name,
                answer.status_code,
            )

    # Listings, search and choosers: each lead sees their own chapter's only.
    listings = {
        "explorer": reverse("wagtailadmin_explore_root"),
        "page search": reverse("wagtailadmin_pages:search") + "?q=budget",
        "page chooser": reverse("wagtailadmin_choose_page"),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=budget",
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
    }
    for own, other in ((la, riverside), (riverside, la)):
        client = as_(own["lead"])
        for name, url in listings.items():
            html = client.get(url).content.decode()
            own_words = {
                own["page"].title,
                own["home"].title,
                own["image"].title,
                own["document"].title,
            }
            assert any(word in html for word in own_words), (name, own["home"].title)
            for word in (
                other["page"].title,
                other["image"].title,
                other["document"].title,
            ):
                assert word not in html, (name, own["home"].title, word)
        # The chooser's listing below the other chapter's home page is empty.
        below = client.get(
            reverse("wagtailadmin_choose_page_child", args=[other["home"].pk])
        )
        assert other["page"].title not in below.content.decode()
    network_client = as_(network)
    html = network_client.get(listings["page chooser search"]).content.decode()
    assert la["page"].title in html and riverside["page"].title in html


def test_each_chapter_lists_its_groups_and_the_network_every_chapter_s(
    two_chapters, home_page
):
    network_catalogue = home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )
    groups = {
        name: CohortPageFactory(
            parent=parts["home"], title=f"{name} budget circle", kind="circle"
        )
        for name, parts in two_chapters.items()
    }
    ours = CohortPageFactory(
        parent=home_page, title="Network-wide circle", kind="circle"
    )

    def listed(host: str, query: str = "") -> set[str]:
        answer = Client(HTTP_HOST=host).get(f"/find-a-group/{query}")
        assert answer.status_code == 200
        html = answer.content.decode()
        return {page.title for page in [*groups.values(), ours] if page.title in html}

    assert listed("la.localhost") == {"Los Angeles budget circle"}
    assert listed("riverside.localhost") == {"Riverside budget circle"}
    assert listed("localhost") == {
        "Los Angeles budget circle",
        "Riverside budget circle",
        "Network-wide circle",
    }
    # A page's address is written from its own site's root when shown there,
    # whole when shown on another site (and outside any request).
    la_group = groups["Los Angeles"]
    on_la = Client(HTTP_HOST="la.localhost").get("/find-a-group/").content.decode()
    assert f'href="/{la_group.slug}/"' in on_la
    on_network = Client().get("/find-a-group/").content.decode()
    assert f'href="http://la.localhost/{la_group.slug}/"' in on_network
    assert f'href="/{ours.slug}/"' in on_network
    # There each chapter's group says whose it is; on the chapter's own, not.
    assert "Los Angeles · Learning circle" in on_network
    assert "Los Angeles · Learning circle" not in on_la
    assert la_group.url == f"http://la.localhost/{la_group.slug}/"
    # So do views and templates that write `page.url`: a member leaving on
    # the chapter's host is offered the group's page at that host, in the
    # same session.
    member = UserFactory()
    MembershipFactory(cohort=la_group, user=member)
    leaving = Client(HTTP_HOST="la.localhost")
    leaving.force_login(member)
    html = leaving.get(reverse("cohorts:leave", args=[la_group.pk])).content.decode()
    assert f'href="/{la_group.slug}/">' in html
    riverside_site = two_chapters["Riverside"]["chapter"].site_id
    assert listed("localhost", f"?chapter={riverside_site}") == {
        "Riverside budget circle"
    }
    # Asked twice (the second from the kept listing), each site keeps its own.
    assert listed("la.localhost", "?kind=circle") == {"Los Angeles budget circle"}
    assert listed("riverside.localhost", "?kind=circle") == {"Riverside budget circle"}
    # A chapter's catalogue offers no chapter choice; a wrong one is a message.
    assert (
        'name="chapter"'
        not in Client(HTTP_HOST="la.localhost").get("/find-a-group/").content.decode()
    )
    wrong = Client().get(f"{network_catalogue.url}?chapter=999999")
    assert wrong.status_code == 200
    assert "Select a valid choice" in wrong.content.decode()


def test_queries_do_not_grow_with_the_number_of_chapters(two_chapters, home_page):
    home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )
    lead = two_chapters["Los Angeles"]["lead"]
    admin = Client()
    admin.force_login(lead)
    network = Program.objects.create(name="Budget advocacy", slug="budget-advocacy")
    model = LogicModel.objects.create(program=network, period="All along")
    Indicator.objects.create(
        logic_model=model, measure="core.people_attended", target=1
    )
    for chapter in two_chapters.values():
        SessionFactory(
            cohort=CohortPageFactory(parent=chapter["home"], program=network)
        )
    network_lead = Client()
    network_lead.force_login(program_lead(network))
    asked = [
        (network_lead, reverse("cohorts:logic_model", args=[network.slug, model.pk])),
        (admin, reverse("shared_courses:index")),
        (Client(), "/find-a-group/"),
        (
            Client(),
            "/find-a-group/?chapter="
            + str(two_chapters["Riverside"]["chapter"].site_id),
        ),
        (Client(HTTP_HOST="la.localhost"), "/find-a-group/"),
        (admin, reverse("wagtailadmin_choose_page_search") + "?q=budget"),
        (admin, reverse("cohorts:programs")),
        (admin, reverse("cohorts:program_reports", args=[network.slug])),
        (admin, reverse("newsletter_subscribers:index")),
        (admin, reverse("wagtailadmin_home")),
        (admin, reverse("wagtailsnippets_cohorts_program:list")),
    ]

    def counted() -> list[int]:
        counts = []
        for client, url in asked:
            client.get(url)  # menus and settings kept
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    with_two = counted()
    for number in range(48):
        create_chapter(
            ChapterWanted(
                name=f"County {number}",
                hostname=f"c{number}.localhost",
                languages=["en"],
            )
        )
    assert Chapter.objects.count() == 50
    assert counted() == with_two


def test_a_chapter_lead_runs_the_groups_of_their_chapter_only(two_chapters, home_page):
    """Members, sessions and announcements of the groups below the chapter's
    pages (in any language), under any of the network's programs; nothing of
    the other chapter's groups or the network's own."""
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    network = Program.objects.create(name="Budget advocacy", slug="budget-advocacy")
    spanish_home = la["home"].get_translation(Locale.objects.get(language_code="es"))
    groups = {
        "LA": CohortPageFactory(parent=la["home"], program=network),
        "LA in Spanish": CohortPageFactory(parent=spanish_home, program=network),
        "Riverside": CohortPageFactory(parent=riverside["home"], program=network),
        "network": CohortPageFactory(parent=home_page, program=network),
    }
    members = {
        name: MembershipFactory(cohort=group, user__first_name=f"Member of {name}")
        for name, group in groups.items()
    }
    SessionFactory(cohort=groups["LA"], title="LA meeting")
    SessionFactory(cohort=groups["Riverside"], title="Riverside meeting")
    lead = la["lead"]
    assert set(permissions.managed_cohorts(lead)) == {
        groups["LA"],
        groups["LA in Spanish"],
    }
    assert permissions.leads_cohort(lead, groups["LA"])
    assert not permissions.leads_cohort(lead, groups["Riverside"])
    assert not permissions.leads_cohort(lead, groups["network"])
    # A chapter's lead files groups under the network's programs.
    assert network in Program.objects.for_groups_of(lead)
    assert not Program.objects.for_groups_of(UserFactory()).exists()

    client = Client()
    client.force_login(lead)
    listing = client.get("/admin/cohorts/memberships/").content.decode()
    for name, membership in members.items():
        shown = membership.user.email in listing
        assert shown == name.startswith("LA"), name
    theirs = members["Riverside"]
    assert (
        client.get(f"/admin/cohorts/memberships/edit/{theirs.pk}/").status_code == 404
    )
    sessions = client.get("/admin/cohorts/sessions/").content.decode()
    assert "LA meeting" in sessions and "Riverside meeting" not in sessions
    refused = client.post(
        "/admin/cohorts/announcements/new/",
        {"cohort": groups["Riverside"].pk, "subject": "Hi", "body": "Hello"},
    )
    assert refused.status_code == 200
    assert not groups["Riverside"].announcements.exists()
    made = client.post(
        "/admin/cohorts/announcements/new/",
        {"cohort": groups["LA"].pk, "subject": "Hi", "body": "Hello"},
    )
    assert made.status_code == 302 and groups["LA"].announcements.exists()
    chooser = client.get(reverse("wagtailsnippetchoosers_cohorts_program:choose"))
    assert "Budget advocacy" in chooser.content.decode()
    # Reports and their downloads: their own groups', not another chapter's,
    # and not the network program's whole report (its leads' and superusers').
    for name, allowed in (("LA", True), ("Riverside", False), ("network", False)):
        reports = reverse("cohorts:reports", args=[groups[name].pk])
        for asked in (reports, reports + "?download=xlsx"):
            answer = client.get(asked)
            assert (answer.status_code == 200) == allowed, (name, asked)
    # The network program's report: its rows of their chapter's groups only,
    # without the program's outcomes (counted over every chapter's).
    program_reports = reverse("cohorts:program_reports", args=[network.slug])
    download = client.get(program_reports + "?download=csv&report=" + network.slug)
    rows = download.content.decode()
    assert groups["LA"].title in rows and groups["LA in Spanish"].title in rows
    assert groups["Riverside"].title not in rows
    assert groups["network"].title not in rows
    page = client.get(program_reports).content.decode()
    assert "The groups of your chapter only" in page
    assert "logic-model" not in page
    assert network.slug in client.get(reverse("cohorts:programs")).content.decode()
    other = Program.objects.create(name="Riverside only", slug="riverside-only")
    CohortPageFactory(parent=riverside["home"], program=other)
    assert client.get(
        reverse("cohorts:program_reports", args=[other.slug])
    ).status_code in (403, 404)
    # The same through the API, with a token carrying the lead's staff rights.
    _token, plaintext = create_token(lead, "App", "read", 30, staff=True)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    for name, allowed in (("LA", True), ("Riverside", False), ("network", False)):
        answer = api.get(f"/api/v1/groups/{groups[name].pk}/reports")
        assert (answer.status_code == 200) == allowed, name
    tables = api.get(f"/api/v1/programs/{network.slug}/reports").json()
    assert sorted(row[0] for row in tables[0]["rows"]) == sorted(
        [groups["LA"].title, groups["LA in Spanish"].title]
    )
    assert "outcomes-against-targets" not in [table["slug"] for table in tables]
    assert api.get(f"/api/v1/programs/{other.slug}/reports").status_code == 404


def test_an_archived_chapter_keeps_its_history_and_its_leads_lose_their_rights(
    two_chapters,
):
    la = two_chapters["Los Angeles"]
    group = CohortPageFactory(parent=la["home"], title="LA circle")
    MembershipFactory(cohort=group)
    lead = Client()
    lead.force_login(la["lead"])
    editor = reverse("wagtailadmin_pages:edit", args=[la["page"].pk])
    assert lead.get(editor).status_code == 200
    assert permissions.leads_cohort(la["lead"], group)

    call_command("archive_chapter", "Los Angeles")
    call_command("archive_chapter", "Los Angeles")  # again: nothing more
    chapter = Chapter.objects.get(slug="los-angeles")
    assert chapter.archived_at is not None
    assert lead.get(editor).status_code != 200
    assert not permissions.leads_cohort(la["lead"], group)
    visitor = Client(HTTP_HOST="la.localhost")
    assert visitor.get(f"/{group.slug}/").status_code == 200  # its history stays
    assert group.memberships.exists()
    # The other chapter is untouched.
    riverside = Client()
    riverside.force_login(two_chapters["Riverside"]["lead"])
    theirs = reverse(
        "wagtailadmin_pages:edit", args=[two_chapters["Riverside"]["page"].pk]
    )
    assert riverside.get(theirs).status_code == 200

    call_command("archive_chapter", "Los Angeles", "--undo")
    assert lead.get(editor).status_code == 200
    assert permissions.leads_cohort(la["lead"], group)
    with pytest.raises(CommandError, match="No chapter is named"):
        call_command("archive_chapter", "Atlantis")


def test_a_network_program_s_indicators_are_counted_for_each_chapter_and_whole(
    two_chapters, home_page
):
    """Each chapter's groups (in any language) counted on their own beside
    the network's own groups and the whole: people once in the whole; a
    plugin's measure per chapter only when it adds up; entered results the
    network's only."""
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    network = Program.objects.create(name="Budget advocacy", slug="budget-advocacy")
    model = LogicModel.objects.create(program=network, period="All along")
    spanish_home = la["home"].get_translation(Locale.objects.get(language_code="es"))
    groups = {
        "LA": CohortPageFactory(
            parent=la["home"], program=network, plugins=["coaching"]
        ),
        "LA in Spanish": CohortPageFactory(parent=spanish_home, program=network),
        "Riverside": CohortPageFactory(
            parent=riverside["home"], program=network, plugins=["coaching"]
        ),
        "network": CohortPageFactory(parent=home_page, program=network),
        "other program": CohortPageFactory(parent=la["home"]),
    }
    a, b, c, d = (UserFactory() for _ in range(4))
    for group, people in (
        ("LA", [a, b]),
        ("LA in Spanish", [c]),
        ("Riverside", [a]),
        ("network", [d]),
        ("other program", [b]),
    ):
        for person in people:
            MembershipFactory(cohort=groups[group], user=person)
    for group, place, people in (
        ("LA", "Central Library", [a, b]),
        ("LA", "Central Library", [a, b]),
        ("LA in Spanish", " central library", [c]),
        ("Riverside", "Union Hall", [a]),
        ("other program", "Elsewhere", [b]),
    ):
        start = timezone.now() - timedelta(days=3)
        session = SessionFactory(
            cohort=groups[group], starts_at=start, ends_at=start + timedelta(hours=1)
        )
        Session.objects.filter(pk=session.pk).update(location_name=place)
        for person in people:
            Attendance.objects.create(session=session, user=person, status="present")
    for group, minutes in (("LA", 90), ("Riverside", 30)):
        CoachingSession.objects.create(
            cohort=groups[group],
            coach=UserFactory(),
            coachee=a,
            held_at=timezone.now() - timedelta(days=2),
            minutes=minutes,
        )
    indicators = {}
    for key, measure, per_place in (
        ("sessions", "core.sessions", False),
        ("places", "core.sessions", True),
        ("people", "core.people_attended", False),
        ("participants", "core.participants", False),
        ("hours", "coaching.hours", False),
        ("response rate", "surveys.response_rate", False),
        ("partners", "", False),
    ):
        indicators[key] = Indicator.objects.create(
            logic_model=model,
            name=key,
            measure=measure,
            per_place=per_place,
            target=1,
        )
    IndicatorResult.objects.create(indicator=indicators["partners"], value=12)

    by_site = indicators_by_site(model, actuals(model))
    names = [site.name for site in by_site.sites]
    assert set(names) == {"Los Angeles", "Riverside", default_site().site_name}
    table = {
        row.actual.indicator.name: (
            dict(zip(names, row.shown, strict=True)),
            row.actual.shown_value,
        )
        for row in by_site.rows
    }
    network_site = default_site().site_name

    def expect(key, los_angeles, riverside_, network_, whole):
        assert table[key] == (
            {
                "Los Angeles": los_angeles,
                "Riverside": riverside_,
                network_site: network_,
            },
            whole,
        ), key

    expect("sessions", 3, 1, 0, 4)
    expect("places", 1, 1, 0, 2)
    expect("people", 3, 1, 0, 3)  # a, in both chapters, once in the whole
    expect("participants", 3, 1, 1, 5)
    expect("hours", Decimal("1.5"), Decimal("0.5"), None, Decimal("2"))
    assert table["response rate"][0] == dict.fromkeys(names)
    expect("partners", None, None, None, 12)

    # The network's lead reads them on the logic model page and its report.
    client = Client()
    client.force_login(program_lead(network))
    url = reverse("cohorts:logic_model", args=[network.slug, model.pk])
    page = client.get(url).content.decode()
    assert "Indicators by chapter" in page and "Whole network" in page
    assert "counted once in the whole network" in page
    book = load_workbook(io.BytesIO(client.get(url + "?download=xlsx").content))
    sheet = book["3 Indicators by chapter"]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Indicator" and "Riverside" in header
    # A program running in one chapter only has no such table.
    for group in ("Riverside", "network"):
        groups[group].delete()
    assert indicators_by_site(model, actuals(model)) is None
    assert "Indicators by chapter" not in client.get(url).content.decode()


def test_a_chapter_adopts_a_network_course_and_hears_when_the_original_changes(
    two_chapters, home_page
):
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    original = course_with_lessons(home_page)
    theirs = course_with_lessons(riverside["home"])
    theirs.title = "Grantwriting in Riverside"
    theirs.save()
    private = course_with_lessons(home_page)
    private.title = "Members-only grantwriting"
    private.save()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    # A public course with a private lesson: its copy would make it public.
    part_private = course_with_lessons(home_page)
    part_private.title = "Grantwriting with a private lesson"
    part_private.save()
    PageViewRestriction.objects.create(
        page=part_private.lessons().first(), restriction_type=PageViewRestriction.LOGIN
    )
    task_backends["default"].run_pending()  # the search index's updates
    client = Client()
    client.force_login(la["lead"])
    index = reverse("shared_courses:index")
    adopt_url = reverse("shared_courses:adopt", args=[original.pk])
    listing = client.get(index).content.decode()
    # The network's courses only: a chapter's own is not the network's.
    assert original.title in listing and "Adopt for Los Angeles" in listing
    assert theirs.title not in listing
    # A course with a lesson that is an alias (of a page elsewhere, which
    # may be made private there): its copy would stand alone, public.
    with_alias = course_with_lessons(home_page)
    with_alias.title = "Grantwriting with a borrowed lesson"
    with_alias.save()
    lesson = original.lessons().first()
    lesson.create_alias(
        parent=with_alias.modules_only().first(), update_slug="borrowed-lesson"
    )
    listing = client.get(index).content.decode()
    # A private course, or one with a private part or an alias, is not
    # offered: its copy would be public.
    for refused in (private, part_private, with_alias):
        assert refused.title not in listing
        refused_adopt = reverse("shared_courses:adopt", args=[refused.pk])
        answer = client.post(refused_adopt, {"chapter": la["chapter"].pk})
        assert answer.status_code == 404
    # Used as it is: the page chooser offers it for a group, not another chapter's.
    chosen = client.get(reverse("wagtailadmin_choose_page_search") + "?q=Grantwriting")
    assert original.title in chosen.content.decode()
    assert theirs.title not in chosen.content.decode()

    assert client.post(adopt_url, {"chapter": la["chapter"].pk}).status_code == 302
    adoption = AdoptedCourse.objects.get()
    copy = adoption.course
    assert (adoption.original, adoption.chapter) == (original, la["chapter"])
    assert copy.get_parent().get_parent().pk == la["home"].pk  # its course library
    assert copy.live and copy.translation_key != original.translation_key
    lessons = [lesson.title for lesson in copy.lessons()]
    assert lessons == [lesson.title for lesson in original.lessons()]
    visitor = Client(HTTP_HOST="la.localhost")
    for page in (copy, copy.lessons().first()):
        assert visitor.get(page.get_url_parts()[2]).status_code == 200

    # Once per chapter; bad input and other chapters are refused with a word.
    assert "Adopt for Los Angeles" not in client.get(index).content.decode()
    again = client.post(adopt_url, {"chapter": la["chapter"].pk}, follow=True)
    assert "has adopted this course already" in again.content.decode()
    for chapter in ("not a number", riverside["chapter"].pk):
        answer = client.post(adopt_url, {"chapter": chapter}, follow=True)
        assert "Choose one of your chapters." in answer.content.decode()
    assert AdoptedCourse.objects.count() == 1
    other = Client()
    other.force_login(riverside["lead"])
    their_adopt = reverse("shared_courses:adopt", args=[theirs.pk])
    assert (
        other.post(their_adopt, {"chapter": riverside["chapter"].pk}).status_code == 404
    )
    reviewed = reverse("shared_courses:reviewed", args=[adoption.pk])
    assert other.post(reviewed).status_code == 404
    participant = Client()
    participant.force_login(UserFactory())
    assert participant.get(index).status_code in (302, 403)

    # The original changes (a lesson of it published): the copy's leads hear.
    lesson = original.lessons().first()
    lesson.title = "Lesson 1.1, revised"
    lesson.save_revision().publish()
    adoption.refresh_from_db()
    assert adoption.original_changed
    home = reverse("wagtailadmin_home")
    assert "Courses whose original changed" in client.get(home).content.decode()
    assert "Courses whose original changed" not in other.get(home).content.decode()
    assert "I have looked at it" in client.get(index).content.decode()
    assert client.post(reviewed).status_code == 302
    adoption.refresh_from_db()
    assert not adoption.original_changed
    assert "Courses whose original changed" not in client.get(home).content.decode()
    # Their own copy, adapted and published, is no change of the original.
    adapted = copy.lessons().first()
    adapted.title = "Lesson 1.1 for Los Angeles"
    adapted.save_revision().publish()
    adoption.refresh_from_db()
    assert not adoption.original_changed


def test_another_chapter_s_pages_are_not_in_the_explorer_by_their_id(two_chapters):
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    client = Client()
    client.force_login(la["lead"])
    for page in (riverside["home"], riverside["page"]):
        for name in ("wagtailadmin_explore", "wagtailadmin_explore_results"):
            answer = client.get(reverse(name, args=[page.pk]))
            assert answer.status_code == 302, (name, page.title)
            assert (
                riverside["page"].title
                not in client.get(answer["Location"]).content.decode()
            )
    # Their own chapter's pages, and the network lead every chapter's.
    own = client.get(reverse("wagtailadmin_explore", args=[la["home"].pk]))
    assert own.status_code == 200 and la["page"].title in own.content.decode()
    network = Client()
    network.force_login(UserFactory(is_superuser=True))
    theirs = network.get(reverse("wagtailadmin_explore", args=[riverside["home"].pk]))
    assert riverside["page"].title in theirs.content.decode()


def test_a_chapter_lead_s_admin_home_counts_their_chapter_s_pages(two_chapters):
    la = two_chapters["Los Angeles"]
    client = Client()
    client.force_login(la["lead"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    homes = Page.objects.filter(translation_key=la["home"].translation_key)
    theirs = sum(home.get_descendants(inclusive=True).count() for home in homes)
    assert theirs < Page.objects.count() - 1
    assert re.search(rf"\b{theirs} Pages?\b", home), theirs


def test_each_chapter_keeps_its_own_newsletter_list(
    two_chapters, home_page, django_capture_on_commit_callbacks
):
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]

    def sign_up(host: str, email: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            answer = Client(HTTP_HOST=host).post(
                "/newsletter/", {"email": email, "name": "", "language": "en"}
            )
        assert answer.status_code == 302

    sign_up("la.localhost", "rosa@example.org")
    sign_up("riverside.localhost", "rosa@example.org")  # another list
    sign_up("riverside.localhost", "sam@example.org")
    sign_up("la.localhost", "rosa@example.org")  # the same sign-up again
    sign_up("testserver", "network@example.org")
    lists = {
        site.hostname: sorted(
            Subscriber.objects.filter(site=site).values_list("email", flat=True)
        )
        for site in Site.objects.all()
    }
    assert lists["la.localhost"] == ["rosa@example.org"]
    assert lists["riverside.localhost"] == ["rosa@example.org", "sam@example.org"]

    client = Client()
    client.force_login(la["lead"])
    listing = client.get(reverse("newsletter_subscribers:index"))
    assert listing.status_code == 200
    shown = listing.content.decode()
    assert "rosa@example.org" in shown
    assert "sam@example.org" not in shown and "network@example.org" not in shown
    export = client.get(reverse("newsletter_subscribers:index") + "?export=csv")
    assert b"sam@example.org" not in b"".join(export.streaming_content)
    theirs = Subscriber.objects.get(email="sam@example.org")
    for name in ("edit", "delete", "history"):
        url = reverse(f"newsletter_subscribers:{name}", args=[theirs.pk])
        assert client.get(url).status_code == 404, name
    form = client.get(reverse("newsletter_subscribers:add")).content.decode()
    choices = re.findall(r'<option value="(\d+)"', form)
    assert choices == [str(la["chapter"].site_id)], choices
    assert str(riverside["chapter"].site_id) not in choices
    # The network's leads read every list.
    network = Client()
    network.force_login(UserFactory(is_superuser=True))
    everyone = network.get(reverse("newsletter_subscribers:index")).content.decode()
    assert "sam@example.org" in everyone and "network@example.org" in everyone


def test_a_chapter_made_before_an_upgrade_gets_what_its_leads_manage_now(
    two_chapters,
):
    leads = two_chapters["Los Angeles"]["chapter"].leads
    leads.permissions.filter(content_type__app_label="newsletter").delete()
    GroupSitePermission.objects.filter(group=leads).delete()
    call_command("migrate", verbosity=0)
    assert leads.permissions.filter(
        content_type__app_label="newsletter", codename="view_subscriber"
    ).exists()
    assert GroupSitePermission.objects.filter(group=leads).count() == 2


def test_a_chapter_lead_edits_their_own_site_s_settings_only(two_chapters):
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    client = Client()
    client.force_login(la["lead"])

    def settings_of(site_id: int, model: str = "programsettings") -> str:
        return reverse("wagtailsettings:edit", args=["content", model, site_id])

    own = settings_of(la["chapter"].site_id)
    assert client.get(own).status_code == 200
    assert (
        client.get(settings_of(la["chapter"].site_id, "brandsettings")).status_code
        == 200
    )
    form = {
        "organisation_name": "Budget Lab LA",
        "contact_name": "",
        "contact_email": "la@example.org",
        "contact_phone": "",
        "contact_address": "",
        "donate_url": "",
        "wordings-TOTAL_FORMS": "0",
        "wordings-INITIAL_FORMS": "0",
        "wordings-MIN_NUM_FORMS": "0",
        "wordings-MAX_NUM_FORMS": "1000",
    }
    # Another chapter's site, or the network's: refused (to the admin's home).
    for site_id in (riverside["chapter"].site_id, default_site().pk):
        assert client.get(settings_of(site_id)).status_code in (302, 403), site_id
        assert client.post(settings_of(site_id), form).status_code in (302, 403)
    assert client.post(own, form).status_code == 302
    assert (
        ProgramSettings.for_site(la["chapter"].site).contact_email == "la@example.org"
    )
    for other in (riverside["chapter"].site, default_site()):
        assert ProgramSettings.for_site(other).contact_email != "la@example.org"
    # Archived, the chapter's leads lose it with the rest.
    archive_chapter(la["chapter"])
    assert client.get(own).status_code in (302, 403)


FORMSET = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


def test_a_chapter_s_leads_start_and_lead_their_chapter_s_own_programs(
    two_chapters, home_page
):
    la, riverside = two_chapters["Los Angeles"], two_chapters["Riverside"]
    network = Program.objects.create(name="Budget advocacy", slug="budget-advocacy")
    theirs = Program.objects.create(
        name="Riverside youth", slug="riverside-youth", site=riverside["chapter"].site
    )
    client = Client()
    client.force_login(la["lead"])
    add = reverse("wagtailsnippets_cohorts_program:add")
    form = client.get(add).content.decode()
    select = form[form.index('name="site"') :]
    select = select[: select.index("</select>")]
    sites = re.findall(r'<option value="(\d+)"', select)
    assert sites == [str(la["chapter"].site_id)]
    assert f'<option value="{la["chapter"].site_id}" selected>' in select

    def made(site_id: int):
        return client.post(
            add,
            {
                "name": "LA tenants' school",
                "slug": "la-tenants",
                "description": "",
                "reminder_hours": "24",
                "site": site_id,
                **{f"names-{key}": value for key, value in FORMSET.items()},
            },
        )

    refused = made(riverside["chapter"].site_id)  # not theirs
    assert refused.status_code == 200
    assert not Program.objects.filter(slug="la-tenants").exists()
    assert made(la["chapter"].site_id).status_code == 302
    own = Program.objects.get(slug="la-tenants")
    # Every lead of the chapter leads it, as the program's named leads do.
    other_lead = UserFactory()
    other_lead.groups.add(la["chapter"].leads)
    for lead in (la["lead"], other_lead):
        assert set(permissions.led_programs(lead)) == {own}
        assert set(Program.objects.for_groups_of(lead)) == {network, own}
    assert theirs not in Program.objects.for_groups_of(la["lead"])
    assert not own.leads.exists()
    listing = client.get(reverse("wagtailsnippets_cohorts_program:list"))
    assert "LA tenants" in listing.content.decode()
    assert "Riverside youth" not in listing.content.decode()
    for view in ("edit", "history", "usage"):
        url = reverse(f"wagtailsnippets_cohorts_program:{view}", args=[theirs.pk])
        assert client.get(url).status_code == 404, view
    # Named among a network program's leads too, they edit it as the
    # network's: its place is not theirs to move.
    network.leads.add(la["lead"])
    edit = reverse("wagtailsnippets_cohorts_program:edit", args=[network.pk])
    assert 'name="site"' not in client.get(edit).content.decode()
    saved = client.post(
        edit,
        {
            "name": "Budget advocacy",
            "slug": "budget-advocacy",
            "description": "Statewide",
            "reminder_hours": "24",
            "site": la["chapter"].site_id,
            **{f"names-{key}": value for key, value in FORMSET.items()},
        },
    )
    assert saved.status_code == 302
    network.refresh_from_db()
    assert network.description == "Statewide" and network.site_id is None
    network.leads.remove(la["lead"])
    # Their program's reports whole, with its logic model; the network's
    # own admin (partners, surveys) is still not theirs.
    reports = client.get(reverse("cohorts:program_reports", args=[own.slug]))
    assert "logic-model" in reports.content.decode()
    logic_model = client.get(reverse("wagtailsnippets_insights_logicmodel:add"))
    chosen = logic_model.content.decode()
    select = chosen[chosen.index('name="program"') :]
    select = select[: select.index("</select>")]
    assert re.findall(r'<option value="(\d+)"', select) == [str(own.pk)]
    assert not permissions.ProgramLeadsPolicy(Program).user_has_permission(
        la["lead"], "change"
    )
    riverside_client = Client()
    riverside_client.force_login(riverside["lead"])
    assert (
        riverside_client.get(
            reverse("cohorts:program_reports", args=[own.slug])
        ).status_code
        == 404
    )


def test_the_explorer_s_own_addresses_keep_the_admin_s_guards(two_chapters):
    riverside = two_chapters["Riverside"]
    url = reverse("wagtailadmin_explore", args=[riverside["home"].pk])
    visitor = Client().get(url)
    assert visitor.status_code == 302 and "login" in visitor["Location"]
    lead = Client()
    lead.force_login(riverside["lead"])
    answer = lead.get(url)
    assert answer.status_code == 200
    assert "no-cache" in answer["Cache-Control"]


def test_the_page_types_report_is_not_a_chapter_lead_s_view_of_the_network(
    two_chapters,
):
    la = two_chapters["Los Angeles"]
    lead = Client()
    lead.force_login(la["lead"])
    for name in ("page_types_usage", "page_types_usage_results"):
        url = reverse(f"wagtailadmin_reports:{name}")
        refused = lead.get(url)  # the admin sends them home with a message
        assert (refused.status_code, refused.get("Location")) == (302, "/admin/"), name
    menu = lead.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_reports:page_types_usage") not in menu
    network = Client()
    network.force_login(UserFactory(is_superuser=True))
    report = network.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert report.status_code == 200


def test_a_chapter_s_site_is_not_deleted_but_explained(two_chapters, home_page):
    la = two_chapters["Los Angeles"]
    network = Client()
    network.force_login(UserFactory(is_superuser=True))
    delete = reverse("wagtailsites:delete", args=[la["chapter"].site_id])
    answer = network.post(delete, follow=True)
    assert answer.status_code == 200
    assert "archive the chapter" in answer.content.decode()
    assert Site.objects.filter(pk=la["chapter"].site_id).exists()
    # Any other site is Wagtail's to delete.
    other = Site.objects.create(hostname="other.localhost", root_page=home_page)
    gone = network.post(reverse("wagtailsites:delete", args=[other.pk]))
    assert gone.status_code == 302 and not Site.objects.filter(pk=other.pk).exists()

"""The coalition view for leads (plugins/partners, lms_partners.coalition):
which sectors have a core partner and which are missing, partners by status
at the end of each recent quarter (from the partnership's history), and what
each partner's people did on the site; as XLSX and CSV."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lms_coaching.models import CoachingSession
from lms_partners import coalition
from lms_partners.agreements import PartnershipAgreement
from lms_partners.directory import PartnerDirectoryPage
from lms_partners.models import Partner, StatusChange
from lms_partners.sectors import ensure_default_sectors
from lms_toolkits.models import ToolkitIndexPage
from openpyxl import load_workbook

from cohorts.models import Program
from lms.hookspecs import Period
from lms.plugins import collect
from organisations.models import Affiliation, Organisation
from scheduling.co_hosts import set_co_hosts
from sdk.demo import ensure_locales
from sdk.testing import group_with_people
from tests.factories import CohortPageFactory, UserFactory
from tests.test_logic_models import held
from tests.test_toolkits import make_toolkit

pytestmark = pytest.mark.django_db


@pytest.fixture
def sectors():
    return ensure_default_sectors(ensure_locales())


def partner(name, status, since, sectors=()) -> Partner:
    found = Partner.objects.create(
        organisation=Organisation.objects.create(name=name),
        status=status,
        status_since=since,
    )
    found.sectors.set(sectors)
    found.save()
    return found


def test_quarters_end_on_their_last_days():
    assert coalition.quarter_ends(date(2026, 12, 6)) == [
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 6),
    ]
    assert coalition.quarter_ends(date(2026, 1, 1), 2) == [
        date(2025, 9, 30),
        date(2025, 12, 31),
        date(2026, 1, 1),
    ]


def test_partners_by_status_over_time_follow_the_history(sectors):
    school = partner("School", "invited", date(2026, 2, 1), [sectors["education"]])
    school.status, school.status_since = "core", date(2026, 8, 15)
    school.save()
    school.save()  # no change: no new history
    partner("Church", "prospect", date(2026, 5, 1), [sectors["faith"]])
    assert list(
        StatusChange.objects.filter(partner=school).values_list("status", "on")
    ) == [("invited", date(2026, 2, 1)), ("core", date(2026, 8, 15))]
    days = [date(2026, 1, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    found = [(day, dict(counts)) for day, counts in coalition.status_over_time(days)]
    assert found == [
        (date(2026, 1, 31), {}),
        (date(2026, 3, 31), {"invited": 1}),
        (date(2026, 6, 30), {"invited": 1, "prospect": 1}),
        (date(2026, 9, 30), {"core": 1, "prospect": 1}),
    ]


def test_sector_coverage_shows_what_is_missing_in_the_visitors_language(
    sectors, client
):
    partner("School", "core", None, [sectors["education"], sectors["youth"]])
    partner("Youth club", "invited", None, [sectors["youth"]])
    covered = {each.sector.slug: each for each in coalition.sector_coverage()}
    assert covered["education"].represented
    assert covered["youth"].by_status == {"core": 1, "invited": 1}
    assert not covered["faith"].represented and covered["faith"].by_status == {}
    people = group_with_people()
    lead = people.client("program_lead")
    page = lead.get(reverse("partners:coalition")).content.decode()
    assert "2 of 12 sectors have a core partner." in page
    assert "Faith groups" in page
    spanish = lead.get("/es" + reverse("partners:coalition")).content.decode()
    assert "Grupos religiosos" in spanish


def test_participation_counts_confirmed_members_and_what_they_attended(
    sectors, home_page
):
    school = partner("School", "core", None, [sectors["education"]])
    church = partner("Church", "invited", None)
    ana, ben, cy = (UserFactory() for _ in range(3))
    now = timezone.now()
    for person, organisation, confirmed in (
        (ana, school.organisation, now),
        (ben, school.organisation, now),
        (cy, church.organisation, None),  # not confirmed: not theirs
    ):
        Affiliation.objects.create(
            organisation=organisation, user=person, confirmed_at=confirmed
        )
    people = group_with_people()
    lately = held(people.group, 10, "Hall", ana, cy)
    held(people.group, 20, "Hall", ana)
    long_ago = held(people.group, 400, "Hall", ben)  # over a year ago
    set_co_hosts(lately, ["school"])  # as a facilitator typed it
    set_co_hosts(long_ago, ["School"])
    today = timezone.localdate()
    period = Period.of_days(today - timedelta(days=364), today)
    CoachingSession.objects.create(
        cohort=people.group,
        coach=people.people["facilitator"],
        organisation_name=" school ",  # as a coach typed it
        held_at=now - timedelta(days=5),
        minutes=60,
    )
    taking_part = coalition.participation(period)
    found = {str(each): done for each, done in taking_part.partners}
    assert found["School"].members == 2
    assert (found["School"].people_attended, found["School"].attendances) == (1, 2)
    assert found["School"].sessions == 2
    assert found["School"].co_hosted == 1 and found["Church"].co_hosted == 0
    assert found["Church"].members == 0 and found["Church"].attendances == 0
    lead = people.client("program_lead")
    url = reverse("partners:coalition")
    rows = list(
        csv.reader(io.StringIO(lead.get(url + "?download=csv").content.decode()))
    )
    assert rows[0][0] == "Partner"
    assert rows[0][6] == "Sessions co-hosted"
    coached = rows[0].index("Coaching sessions")
    by_name = {row[0]: [*row[1:7], row[coached]] for row in rows[1:]}
    assert by_name["Church"] == ["Invited", "0", "0", "0", "0", "0", "0"]
    assert by_name["School"] == ["Core partner", "2", "1", "2", "2", "1", "1"]
    book = load_workbook(io.BytesIO(lead.get(url + "?download=xlsx").content))
    assert [sheet.title for sheet in book.worksheets] == [
        "1 Sector coverage",
        "2 Partners by status",
        "3 Participation",
        "4 Partnership agreements",
    ]


def test_a_lead_picks_the_days_counted_and_bad_dates_say_why(sectors, home_page):
    school = partner("School", "core", None)
    ana = UserFactory()
    Affiliation.objects.create(
        organisation=school.organisation, user=ana, confirmed_at=timezone.now()
    )
    people = group_with_people()
    held(people.group, 10, "Hall", ana)
    held(people.group, 400, "Hall", ana)  # over a year ago
    lead = people.client("program_lead")
    url = reverse("partners:coalition")
    today = timezone.localdate()

    def school_row(query: str) -> list[str]:
        answer = lead.get(url + query + "&download=csv")
        assert answer.status_code == 200, answer.content
        rows = list(csv.reader(io.StringIO(answer.content.decode())))
        return next(row[1:6] for row in rows if row[0] == "School")

    assert school_row("?")[2:4] == ["1", "1"]  # the last twelve months
    longer = f"?since={today - timedelta(days=500)}&until={today}"
    assert school_row(longer)[2:4] == ["1", "2"]
    before = f"?since={today - timedelta(days=500)}&until={today - timedelta(days=100)}"
    assert school_row(before)[2:4] == ["1", "1"]
    answer = lead.get(url + before + "&download=xlsx")
    assert f"coalition-{today - timedelta(days=500)}-" in answer["Content-Disposition"]
    page = lead.get(url + before).content.decode()
    assert "download=xlsx" in page and "since=" in page  # downloads keep the days
    for bad, message in (
        (f"?since={today}&until={today - timedelta(days=1)}", "must not come after"),
        ("?since=2026-02-30", "Enter a valid date"),
        ("?until=0001-01-01", "Enter a date between"),
        ("?since=" + "9" * 40, "Enter a valid date"),
    ):
        for download in ("", "&download=csv"):
            answer = lead.get(url + bad + download)
            assert answer.status_code == 400, bad
            assert message in answer.content.decode()
            assert "Download all three tables" not in answer.content.decode()
    spanish = lead.get("/es" + url + before).content.decode()
    assert "Contar en estos días" in spanish


def test_partners_attending_counts_partners_whose_people_came_to_the_program(
    sectors, home_page
):
    """The logic model's "partners attending": a partner whose confirmed
    members attended a held session of the program's groups in the period."""
    civic, other = (
        Program.objects.create(name=name, slug=name) for name in ("civic", "other")
    )
    ours = CohortPageFactory(parent=home_page, program=civic)
    theirs = CohortPageFactory(parent=home_page, program=other)
    people = {}
    for name, confirmed in (
        ("School", True),
        ("Church", True),
        ("Clinic", True),
        ("Library", False),
        ("Union", True),
    ):
        found = partner(name, "core", None)
        people[name] = UserFactory()
        Affiliation.objects.create(
            organisation=found.organisation,
            user=people[name],
            confirmed_at=timezone.now() if confirmed else None,
        )
    held(ours, 10, "Hall", people["School"], people["Library"])
    held(ours, 200, "Hall", people["Church"])  # before the period
    held(theirs, 10, "Hall", people["Clinic"])  # another program's group
    Organisation.objects.create(name="Not a partner")
    period = Period(starts=timezone.now() - timedelta(days=90))

    def attending(program, during=period):
        measures = collect("lms_measures", program=program, period=during)
        return next(m.value for m in measures if m.key == "partners.attending")

    assert attending(civic) == 1
    assert attending(civic, during=None) == 2
    assert attending(other) == 1
    assert attending(None) == 0  # the target form's list: nothing counted


def test_only_leads_see_it_and_its_queries_do_not_grow(sectors):
    people = group_with_people()
    for role in ("participant", "facilitator", "group_lead"):
        assert people.client(role).get(reverse("partners:coalition")).status_code == 403
    lead = people.client("program_lead")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert lead.get(reverse("partners:coalition")).status_code == 200
        return len(captured)

    def grow(count):
        for _each in range(count):
            name = f"Org {Partner.objects.count()}"
            partner(name, "core", date(2026, 1, 1), [sectors["youth"]])

    grow(3)
    queries()  # the site's own lookups, kept for both
    few = queries()
    grow(30)
    assert queries() == few


def test_partnership_agreements_link_the_toolkit_step_and_stay_internal(
    sectors, home_page
):
    """A lead adds an agreement with its partner in the admin, guided by a
    step of a toolkit (a step the toolkit has); the coalition lists it with
    a link to that step, those to renew soonest first; the directory never
    shows it."""
    library = home_page.add_child(
        instance=ToolkitIndexPage(title="Toolkits", slug="toolkits")
    )
    toolkit = make_toolkit(library, "Partnership agreements")  # one step
    assert 'id="step-1"' in Client().get(toolkit.url).content.decode()
    school = partner("School", "core", None, [sectors["education"]])
    school.listed = True
    school.save()
    people = group_with_people()
    lead = people.client("program_lead")
    edit = reverse("wagtailsnippets_partners_partner:edit", args=[school.pk])
    data = {
        "name": "School",
        "status": "core",
        "listed": "on",
        "languages": ["en"],
        "sectors": [sectors["education"].pk],
        **{
            f"{kind}-{field}": "0"
            for kind in ("services", "locations")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
        },
        "services-MAX_NUM_FORMS": "1000",
        "locations-MAX_NUM_FORMS": "1000",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        "agreements-0-title": "Memorandum of understanding",
        "agreements-0-signed_on": "2026-01-10",
        "agreements-0-renew_by": "2025-12-31",  # before signing
        "agreements-0-guide": str(toolkit.pk),
        "agreements-0-step": "2",  # the toolkit has one
        "agreements-0-id": "",
        "agreements-0-ORDER": "1",
        "agreements-0-DELETE": "",
    }
    refused = lead.post(edit, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "That page has no step 2: it has 1." in text
    assert "Renewal comes after signing." in text
    assert not PartnershipAgreement.objects.exists()
    data.update({"agreements-0-step": "1", "agreements-0-renew_by": "2027-01-10"})
    assert lead.post(edit, data).status_code == 302
    PartnershipAgreement.objects.create(
        partner=partner("Church", "invited", None), title="Not yet", guide=None
    )
    page = lead.get(reverse("partners:coalition")).content.decode()
    assert "Memorandum of understanding" in page and "In force" in page
    assert f'href="{toolkit.url}#step-1"' in page  # the site's own link
    assert "Partnership agreements, step 1" in page
    assert page.index("Memorandum of understanding") < page.index("Not yet")
    assert "Not signed yet" in page
    url = reverse("partners:coalition")
    book = load_workbook(io.BytesIO(lead.get(url + "?download=xlsx").content))
    sheet = book.worksheets[3]
    assert sheet.title == "4 Partnership agreements"
    assert [cell.value for cell in sheet[2]] == [
        "School",
        "Memorandum of understanding",
        "In force",
        "2026-01-10",
        "2027-01-10",
        "Partnership agreements, step 1",
        f"{toolkit.full_url}#step-1",  # in full, read away from the site
    ]
    rows = list(
        csv.reader(io.StringIO(lead.get(url + "?download=csv").content.decode()))
    )
    assert rows[0][0] == "Partner" and rows[0][1] == "Partnership"  # participation
    directory = home_page.add_child(
        instance=PartnerDirectoryPage(title="Partners", slug="partners")
    )
    public = Client().get(directory.url + school.organisation.slug + "/")
    assert public.status_code == 200
    assert "Memorandum" not in public.content.decode()

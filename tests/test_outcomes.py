import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from api.tokens import create_token
from cohorts.models import Membership, Program
from insights import outcomes
from insights.models import Indicator, LogicModel
from learning.progress import complete
from lms.hookspecs import Report
from lms.roles import PROGRAM_LEADS
from scheduling.models import Attendance
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
    indicator_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return Program.objects.create(name="Learning Community 2026", slug="lc-2026")


@pytest.fixture
def circle(home_page, program):
    circle = CohortPageFactory(
        parent=home_page,
        program=program,
        course=course_with_lessons(home_page, modules=1, lessons=1),
    )
    ana = MembershipFactory(
        cohort=circle,
        user=UserFactory(first_name="Ana", last_name="A"),
        goal="=HYPERLINK()",
        goal_met=True,
    ).user
    ben = MembershipFactory(
        cohort=circle, user=UserFactory(first_name="Ben", last_name="B")
    ).user
    for days in (14, 7):
        start = timezone.now() - timedelta(days=days)
        session = SessionFactory(
            cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1)
        )
        Attendance.objects.create(session=session, user=ana, status="present")
        Attendance.objects.create(session=session, user=ben, status="absent")
    complete(ana, circle, circle.course.lessons().first())
    return circle


def lead(program):
    """A lead of `program` (Program.leads), nothing else."""
    person = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    program.leads.add(person)
    return person


def test_facilitators_and_leads_see_cohort_reports_with_a_chart(client, circle):
    url = f"/cohorts/{circle.pk}/reports/"
    client.force_login(Membership.objects.filter(cohort=circle).first().user)
    assert client.get(url).status_code == 403
    for person in (
        MembershipFactory(cohort=circle, role="facilitator").user,
        lead(circle.program),
    ):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert '<table class="bar-chart"' in html
        assert '<table class="table">' in html and "Ana A" in html


def test_attendance_per_session_counts_those_on_its_register(client, circle):
    """Ana present, Ben absent at both; Cy joined since: still 50%, not 33%."""
    MembershipFactory(cohort=circle, user=UserFactory(first_name="Cy"))
    client.force_login(lead(circle.program))
    html = client.get(f"/cohorts/{circle.pk}/reports/").content.decode()
    chart = html[html.index('<table class="bar-chart"') :]
    chart = chart[: chart.index("</table>")]
    assert chart.count(">50%<") == 2 and "33%" not in chart


def test_csv_and_xlsx_downloads(client, circle):
    client.force_login(lead(circle.program))
    url = f"/cohorts/{circle.pk}/reports/"
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url + "?download=csv&report=participants").content.decode()
            )
        )
    )
    assert rows[0][:5] == [
        "Name",
        "Status",
        "Sessions attended",
        "Attendance (%)",
        "Lessons completed",
    ]
    assert rows[1] == [
        "Ana A",
        "Active",
        "2",
        "100",
        "1",
        "yes",
        "'=HYPERLINK()",
        "yes",
    ]
    assert rows[2][:6] == ["Ben B", "Active", "0", "0", "0", ""]

    book = load_workbook(io.BytesIO(client.get(url + "?download=xlsx").content))
    assert book.sheetnames[:2] == ["1 Participants", "2 Sessions"]
    assert [c.value for c in book["2 Sessions"][2]][2:] == [1, 0, 1]
    assert client.get(url + "?download=pdf").status_code == 404
    assert client.get(url + "?download=csv&report=nope").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "download=pdf",
        "download=csv",
        "download=csv&report=Participants",
        "download=\x00",
    ],
)
def test_a_download_no_report_can_answer_builds_no_report(
    client, circle, monkeypatch, query
):
    """Checked first: an address that can only be a 404 costs no report (the
    program's report is the dearest page a lead opens)."""
    client.force_login(lead(circle.program))
    for name in ("cohort_reports", "program_report", "program_measures"):
        monkeypatch.setattr(outcomes, name, _never_built)
    for url in (
        f"/cohorts/{circle.pk}/reports/",
        f"/cohorts/programs/{circle.program.slug}/reports/",
    ):
        assert client.get(f"{url}?{query}").status_code == 404


def _never_built(*args, **kwargs):
    raise AssertionError("a report was built for a download that cannot be")


def test_program_report_is_for_leads_and_its_queries_do_not_grow(
    client, home_page, program, circle
):
    url = f"/cohorts/programs/{program.slug}/reports/"
    client.force_login(MembershipFactory(cohort=circle, role="facilitator").user)
    assert client.get(url).status_code == 403
    client.force_login(lead(program))
    download = url + "?download=csv&report=" + slugify(program.name)
    counts = []
    for _ in range(2):
        client.get(download)  # caches refilled after the pages were added
        with CaptureQueriesContext(connection) as queries:
            response = client.get(download)
        assert response.status_code == 200
        counts.append(len(queries))
        for _ in range(3):
            CohortPageFactory(parent=home_page, program=program)
    assert counts[0] == counts[1]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    circle_row = next(row for row in rows if row[0] == circle.title)
    # 2 participants x 2 sessions, 2 present; 1 of 2 has the certificate; 1 goal met
    assert circle_row[2:] == ["2", "2", "50", "50", "100"]
    html = client.get(url).content.decode()
    assert f"<h1>{program.name}</h1>" in html
    # Each chart names each group whole, a row to each, with its value.
    chart = html[html.index('<figure class="chart">') : html.index("</figure>")]
    assert f'<th scope="row">{circle.title}</th>' in chart and ">50%<" in chart
    assert "style=" not in chart  # the CSP would drop it


def test_leads_find_program_reports_from_the_admin(client, program):
    client.force_login(lead(program))
    admin = client.get("/admin/").content.decode()
    assert "/cohorts/programs/" in admin
    page = client.get("/cohorts/programs/").content.decode()
    assert f"/cohorts/programs/{program.slug}/reports/" in page
    client.force_login(UserFactory())
    assert client.get("/cohorts/programs/").status_code == 403


def test_program_outcomes_are_measured_against_the_leads_targets(
    client, program, circle
):
    from lms_example_plugin.models import ReadingNote

    indicator_of(program, measure="core.participants", target=8)
    indicator_of(program, measure="core.goals_met", target=1)
    indicator_of(program, measure="example.notes", target=4)
    indicator_of(  # a range, as funders write them
        program, measure="core.sessions", target=1, maximum=Decimal("1.5")
    )
    indicator_of(program, measure="core.certificates", maximum=3)
    ReadingNote.objects.create(user=UserFactory(), text="A note")
    client.force_login(lead(program))
    url = f"/cohorts/programs/{program.slug}/reports/"
    download = url + "?download=csv&report=outcomes-against-targets"
    rows = list(csv.reader(io.StringIO(client.get(download).content.decode())))
    assert rows[0] == [
        "Measure", "Result", "Unit", "Target", "Of the target (%)", "Where it stands"
    ]  # fmt: skip
    results = {row[0]: row[1:] for row in rows[1:]}
    below, on, above = "Below the target", "On target", "Above the target"
    assert results["People taking part"] == ["2", "", "at least 8", "25", below]
    assert results["Sessions held"] == ["2", "", "1\u20131.50", "200", above]
    assert results["Attendances (present or late)"] == ["2", "", "", "", ""]  # none
    assert results["Course certificates earned"] == ["1", "", "at most 3", "33", on]
    assert results["People who met their goal"] == ["1", "", "at least 1", "100", on]
    assert results["Reading notes written"] == [  # a plugin's
        "1", "notes", "at least 4", "25", below
    ]  # fmt: skip
    html = client.get(url).content.decode()
    assert "Outcomes: share of the target reached (%)" in html
    workbook = load_workbook(io.BytesIO(client.get(url + "?download=xlsx").content))
    assert "2 Outcomes against targets" in workbook.sheetnames


def test_plugins_measures_are_broken_down_by_group_with_their_units(
    client, home_page, program, circle
):
    from lms_coaching.models import CoachingSession

    other = CohortPageFactory(parent=home_page, program=program, title="Second circle")
    elsewhere = CohortPageFactory(
        parent=home_page,
        program=Program.objects.create(name="Elsewhere", slug="elsewhere"),
    )
    for group, minutes in ((circle, 60), (circle, 30), (other, 45), (elsewhere, 600)):
        membership = MembershipFactory(cohort=group)
        CoachingSession.objects.create(
            cohort=group,
            coach=MembershipFactory(cohort=group, role="facilitator").user,
            coachee=membership.user,
            held_at=timezone.now() - timedelta(days=1),
            minutes=minutes,
        )
    silent = CohortPageFactory(parent=home_page, program=program, title="No coaching")
    client.force_login(lead(program))
    url = f"/cohorts/programs/{program.slug}/reports/"
    download = url + "?download=csv&report=measures-by-group"
    rows = list(csv.reader(io.StringIO(client.get(download).content.decode())))
    assert rows[0] == ["Cohort", "Coaching hours (hours)", "Coaching goals met (goals)"]
    by_title = {row[0]: row[1:] for row in rows[1:]}
    assert by_title[circle.title] == ["1.5", "0"]
    assert by_title["Second circle"] == ["0.8", "0"]  # 45 minutes, rounded
    assert by_title[silent.title] == ["", ""]
    assert elsewhere.title not in by_title
    outcomes = url + "?download=csv&report=outcomes-against-targets"
    rows = list(csv.reader(io.StringIO(client.get(outcomes).content.decode())))
    results = {row[0]: row[1:] for row in rows[1:]}
    assert results["Coaching hours"][:2] == ["2.2", "hours"]  # 135 minutes
    html = client.get(url).content.decode()
    assert "Measures by group" in html and "Coaching hours (hours)" in html


def test_an_indicator_must_name_a_measure_that_exists(program):
    model = LogicModel.objects.create(program=program, period="2026")
    target = Indicator(logic_model=model, measure="core.happiness", target=5)
    with pytest.raises(ValidationError, match="Choose one of the measures"):
        target.full_clean()
    target.measure = "example.notes"
    target.full_clean()


def test_an_indicator_has_an_end_and_its_ends_in_order(program):
    """Refused with a message in the form; the database refuses it too."""
    model = LogicModel.objects.create(program=program, period="2026")
    target = Indicator(logic_model=model, measure="core.sessions")
    with pytest.raises(ValidationError, match="Give the least, the most, or both"):
        target.full_clean()
    target.target, target.maximum = 8, 5
    with pytest.raises(ValidationError, match="The most cannot be less than"):
        target.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()
    target.maximum = 12
    target.full_clean()
    assert target.describe() == "8\u201312"
    assert [target.standing(Decimal(n)) for n in (7, 8, 12, 13)] == [
        "below", "within", "within", "above"
    ]  # fmt: skip
    assert target.standing(None) == "not_started"


def test_leads_set_targets_in_a_logic_model_in_the_admin(client, program):
    """A lead of the program builds its logic model in the admin; the form
    offers only the programs they lead and says what is wrong with a target."""
    other = Program.objects.create(name="Not theirs", slug="not-theirs")
    client.force_login(lead(program))
    url = "/admin/snippets/insights/logicmodel/add/"
    html = client.get(url).content.decode()
    assert 'value="core.participants"' in html and 'value="example.notes"' in html
    assert program.name in html and other.name not in html

    def save(program_id, measure: str, target: str, maximum: str = "", name=""):
        data = nested_form_data(
            {
                "program": program_id,
                "period": "2026",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "summary": "",
                "parts": inline_formset(
                    [{"stage": "activities", "text": "Budget trainings"}]
                ),
                "indicators": inline_formset(
                    [
                        {
                            "stage": "outputs",
                            "name": name,
                            "measure": measure,
                            "group_kind": "",
                            "topic": "",
                            "baseline": "",
                            "target": target,
                            "maximum": maximum,
                            "unit": "",
                        }
                    ]
                ),
            }
        )
        return client.post(url, data)

    for measure, least, most, message in (
        ("core.participants", "-1", "", "greater than or equal to 0"),
        ("core.participants", "", "", "Give the least, the most, or both"),
        ("core.participants", "12", "8", "The most cannot be less than the least."),
        ("", "5", "", "Name what a lead will enter, or choose a measure."),
    ):
        refused = save(program.pk, measure, least, most)
        assert refused.status_code == 200  # the form, with errors
        assert message in refused.content.decode()
    assert save(other.pk, "core.sessions", "5").status_code == 200  # not theirs
    assert not LogicModel.objects.exists()
    assert save(program.pk, "core.sessions", "5", "8").status_code == 302
    indicator = Indicator.objects.get(logic_model__program=program)
    assert indicator.describe() == "5\u20138"
    assert indicator.logic_model.parts.get().text == "Budget trainings"


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_formulas_behind_a_tab_or_carriage_return_are_quoted_too(client, circle, start):
    goal = start + "=HYPERLINK()"
    Membership.objects.filter(cohort=circle, user__first_name="Ben").update(goal=goal)
    client.force_login(lead(circle.program))
    url = f"/cohorts/{circle.pk}/reports/"
    download = client.get(url + "?download=csv&report=participants")
    rows = list(csv.reader(io.StringIO(download.content.decode(), newline="")))
    assert rows[2][6] == "'" + goal
    book = load_workbook(io.BytesIO(client.get(url + "?download=xlsx").content))
    # openpyxl reads a stored carriage return back as a line feed.
    cell = book["1 Participants"][3][6].value.replace("\n", "\r")
    assert cell == "'" + goal


def test_a_reports_csv_quotes_formulas_in_its_headings_too():
    """A plugin's report may head a column with what a lead wrote."""
    report = Report(
        name="Plugin", columns=["=HYPERLINK()", "Count"], rows=[["@x", None]]
    )
    rows = list(csv.reader(io.StringIO(outcomes.as_csv(report))))
    assert rows == [["'=HYPERLINK()", "Count"], ["'@x", ""]]


def test_the_api_gives_the_reports_pages_tables_to_those_who_see_them(program, circle):
    leader = lead(program)
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = Membership.objects.filter(cohort=circle, role="participant").first().user

    def asked(person, url, staff=True):
        _token, plaintext = create_token(person, "App", "read", 30, staff=staff)
        return Client().get(f"/api/v1{url}", HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    programs = f"/programs/{program.slug}/reports"
    found = asked(leader, programs)
    assert found.status_code == 200
    tables = found.json()
    assert [table["slug"] for table in tables] == [
        outcomes.report_slug(report)
        for report in outcomes.reports_for(leader, program).tables
    ]
    first = tables[0]
    assert first["columns"] == list(outcomes.program_report(program).columns)
    circle_row = next(row for row in first["rows"] if row[0] == circle.title)
    assert circle_row[2:] == [2, 2, 50, 50, 100]  # as the CSV (above), as numbers
    # Only the program's leads, with staff rights; another program: not found.
    assert asked(facilitator, programs).status_code == 403
    assert asked(leader, programs, staff=False).status_code == 403
    other = Program.objects.create(name="Another", slug="another")
    assert asked(leader, f"/programs/{other.slug}/reports").status_code == 404

    groups = f"/groups/{circle.pk}/reports"
    for person in (facilitator, leader):
        shown = asked(person, groups).json()
        assert [table["name"] for table in shown] == [
            report.name for report in outcomes.cohort_reports(circle)
        ]
    participants = asked(facilitator, groups).json()[0]
    assert len(participants["rows"]) == 2
    assert all(
        isinstance(cell, str | int | float | None) for cell in participants["rows"][0]
    )
    assert asked(member, groups).status_code == 403
    assert asked(facilitator, groups, staff=False).status_code == 403
    assert Client().get(f"/api/v1{groups}").status_code == 401

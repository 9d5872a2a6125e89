"""A program's logic model: indicators counted from what the site records
over the period (narrowed to groups of a kind and topic, sessions counted by
place), results entered by leads with evidence and history, the page as a
diagram and a table, and the funder report as PDF and XLSX."""

import importlib
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts.models import CohortPage, Program
from content.site import ensure_locales
from insights.indicators import actuals, number_of
from insights.models import Indicator, IndicatorResult, LogicModel
from insights.outcomes import program_measures
from lms.pdf import html_to_pdf
from organisations.models import Affiliation, Organisation
from scheduling.models import Attendance
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
)
from tests.test_outcomes import lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return Program.objects.create(name="Civic Power 2026", slug="civic-power")


@pytest.fixture
def model(program):
    today = timezone.localdate()
    return LogicModel.objects.create(
        program=program,
        period="This year",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
    )


def held(group, days_ago: int, place: str, *people):
    start = timezone.now() - timedelta(days=days_ago)
    session = SessionFactory(
        cohort=group, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    session.location_name = place
    session.save(update_fields=["location_name"])
    for person in people:
        Attendance.objects.create(session=session, user=person, status="present")
    return session


def test_trainings_on_a_topic_are_counted_by_place_over_the_period(
    home_page, program, model
):
    budget = TopicFactory(name="Budget", slug="budget")
    spanish = budget.copy_for_translation(ensure_locales()["es"])
    spanish.name = "Presupuesto"
    spanish.save()
    training = CohortPage.Kind.TRAINING

    def group(topic=budget, kind=training, of=program):
        return CohortPageFactory(parent=home_page, program=of, kind=kind, topic=topic)

    ana, ben = UserFactory(), UserFactory()
    east, west, spanish_group = group(), group(), group(topic=spanish)
    held(east, 10, "Eastside Library", ana)
    held(east, 3, " eastside library ", ana, ben)  # the same place
    held(west, 5, "Westside Hall", ben)
    held(spanish_group, 4, "Centro Comunitario", ana)  # the topic in Spanish
    held(west, 90, "Old Mill")  # before the period
    held(west, 4, "")  # online: no place
    held(group(kind=CohortPage.Kind.LEARNING_CIRCLE), 4, "Circle Room", ana)
    held(group(topic=TopicFactory(slug="housing")), 4, "Housing Office", ana)
    other = Program.objects.create(name="Other", slug="other")
    held(group(of=other), 4, "Elsewhere", ana)

    def indicator(measure, **fields):
        return Indicator.objects.create(
            logic_model=model,
            measure=measure,
            group_kind=training,
            topic=budget,
            target=5,
            maximum=8,
            **fields,
        )

    places = indicator("core.sessions", per_place=True)
    sessions = indicator("core.sessions")
    people = indicator("core.people_attended")
    attendances = indicator("core.attendances")
    found = {actual.indicator.pk: actual for actual in actuals(model)}
    assert found[places.pk].value == 3  # Eastside, Westside, Centro
    assert found[places.pk].standing == "below"
    assert found[sessions.pk].value == 5  # 4 with a place, 1 online
    assert found[people.pk].value == 2
    assert found[attendances.pk].value == 5
    assert "each place once" in places.counting and "Budget" in places.counting


def test_organisations_represented_count_confirmed_members_who_attended(
    home_page, program, model
):
    """ "Have at least 10 core partners participate": the organisations of the
    people who attended the program's sessions in the period, each once, by
    affiliations a lead confirmed (anyone may say they belong anywhere)."""
    group = CohortPageFactory(parent=home_page, program=program)
    ana, ben, cy, dee = (UserFactory() for _ in range(4))
    parents, church, school, elsewhere = (
        Organisation.objects.create(name=name)
        for name in ("Parents", "Church", "School", "Elsewhere")
    )
    now = timezone.now()
    for person, organisation, confirmed in (
        (ana, parents, now),
        (ana, church, now),  # two organisations: both represented
        (ben, parents, now),  # the same organisation again: once
        (cy, school, None),  # not confirmed: not counted
        (dee, elsewhere, now),  # did not attend in the period
    ):
        Affiliation.objects.create(
            organisation=organisation, user=person, confirmed_at=confirmed
        )
    held(group, 5, "Hall", ana, ben, cy)
    held(group, 90, "Hall", dee)  # before the period
    indicator = Indicator.objects.create(
        logic_model=model, measure="core.organisations_attended", target=10
    )
    (actual,) = actuals(model)
    assert actual.indicator == indicator and actual.value == 2
    assert actual.standing == "below"
    measures = {m.key: m.value for m in program_measures(program)}
    assert measures["core.organisations_attended"] == 3  # all time: Elsewhere too
    assert measures["core.attendances"] == 4 and measures["core.people_attended"] == 4


def test_a_plugins_measure_counts_over_the_period_when_the_plugin_can(
    home_page, program, model
):
    from lms_coaching.models import CoachingSession

    group = CohortPageFactory(parent=home_page, program=program, plugins=["coaching"])
    coach = MembershipFactory(cohort=group, role="facilitator").user
    for days, minutes in ((5, 60), (200, 600)):  # the second before the period
        CoachingSession.objects.create(
            cohort=group,
            coach=coach,
            coachee=MembershipFactory(cohort=group).user,
            held_at=timezone.now() - timedelta(days=days),
            minutes=minutes,
        )
    hours = Indicator.objects.create(
        logic_model=model, measure="coaching.hours", target=1, maximum=2
    )
    (actual,) = actuals(model)
    assert actual.indicator == hours
    assert actual.value == 1 and actual.unit == "hours" and actual.standing == "within"


def test_a_lead_enters_results_with_evidence_and_keeps_their_history(
    client, program, model, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    officials = Indicator.objects.create(
        logic_model=model, name="Officials at the Poverty Hearing", target=8, maximum=12
    )
    person = lead(program)
    client.force_login(person)
    url = f"/cohorts/programs/{program.slug}/indicators/{officials.pk}/"
    page = client.get(url).content.decode()
    assert "No result entered yet." in page and "No result yet" in page

    def enter(value, note="", link="", file=None):
        data = {"value": value, "note": note, "link": link}
        if file is not None:
            data["file"] = file
        return client.post(url, data)

    # Bad input: a message, never a 500, nothing saved.
    for value, link, file, message in (
        ("-2", "", None, "greater than or equal to 0"),
        ("ten", "", None, "Enter a number."),
        ("9", "javascript:alert(1)", None, "Enter a valid URL."),
        ("9", "", SimpleUploadedFile("run.exe", b"MZ"), "File extension"),
        ("1" * 40, "", None, "digits"),
    ):
        refused = enter(value, link=link, file=file)
        assert refused.status_code == 400, value
        assert message in refused.content.decode(), value
    assert not IndicatorResult.objects.exists()

    assert enter("6", "RSVPs a week before.").status_code == 302
    sheet = SimpleUploadedFile("sign-in.pdf", b"%PDF-1.4 sign-in sheet")
    saved = enter("10", "Sign-in sheet", "https://example.org/sheet", sheet)
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    assert page.index("Sign-in sheet") < page.index("RSVPs a week before.")
    assert "10 (target 8\u201312)" in page and "On target" in page
    newest = IndicatorResult.objects.first()
    assert newest.value == 10 and newest.entered_by == person
    evidence = f"/cohorts/programs/{program.slug}/results/{newest.pk}/evidence/"
    assert evidence in page
    download = client.get(evidence)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sign-in sheet"
    assert download["Cache-Control"] == "private, no-store"
    # Another program's lead reaches none of it.
    client.force_login(lead(Program.objects.create(name="B", slug="b")))
    assert client.get(url).status_code == 404
    assert client.get(evidence).status_code == 404
    # A counted indicator takes no results.
    counted = Indicator.objects.create(
        logic_model=model, measure="core.sessions", target=1
    )
    client.force_login(person)
    counted_url = f"/cohorts/programs/{program.slug}/indicators/{counted.pk}/"
    assert client.post(counted_url, {"value": "3"}).status_code == 405
    assert "Counted by the site" in client.get(counted_url).content.decode()


def test_the_logic_model_page_and_the_funder_report(client, home_page, program, model):
    group = CohortPageFactory(
        parent=home_page, program=program, title="Budget training: Eastside"
    )
    held(group, 3, "Eastside Library", UserFactory(), UserFactory())
    model.parts.create(stage="activities", text="Budget trainings across the county")
    model.summary = "Residents shape the county budget."
    model.save()
    for name, low, high, value in (
        ("Trainings held", 5, 8, None),  # counted: 1, below
        ("Officials at the hearing", 8, 12, 10),  # within
        ("Personal testimonies", 2, 3, 4),  # above
        ("New partner organizations", 5, 7, None),  # not started
    ):
        indicator = Indicator.objects.create(
            logic_model=model,
            name=name,
            measure="core.sessions" if name == "Trainings held" else "",
            target=low,
            maximum=high,
        )
        if value is not None:
            IndicatorResult.objects.create(indicator=indicator, value=value)
    client.force_login(lead(program))
    current = client.get(f"/cohorts/programs/{program.slug}/logic-model/")
    url = f"/cohorts/programs/{program.slug}/logic-models/{model.pk}/"
    page = client.get(url).content.decode()

    def main(html: str) -> str:
        return html[html.index("<main") : html.index("</main>")]

    assert main(current.content.decode()) == main(page)  # the current period
    for text in (
        "Budget trainings across the county",
        "Below the target",
        "On target",
        "Above the target",
        "Not started",
        "1 (target 5\u20138)",
    ):
        assert text in page, text

    # The bars' numbers are SVG lengths in every language (never "53,3").
    spanish = client.get("/es" + url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    bars = r'<rect class="(?:band|reached)"[^>]*? width="([^"]+)"'
    lengths = re.findall(bars, spanish)
    assert len(lengths) == 8 and all(float(length) >= 0 for length in lengths)
    assert "Por encima de la meta" in spanish

    pdf = client.get(url + "?download=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    text = " ".join(text.split())
    for expected in (
        "Civic Power 2026",
        "Residents shape the county budget.",
        "Officials at the hearing",
        "8\u201312",
        "Above the target",
        "Budget training: Eastside",
    ):
        assert expected in text, expected
    book = load_workbook(io.BytesIO(client.get(url + "?download=xlsx").content))
    assert book.sheetnames == [
        "About", "1 Logic model", "2 Indicators", "3 Attendance",
        "4 Other measures", "5 Testimonies",
    ]  # fmt: skip
    # No group of the program uses a plugin: no plugin's zero reads as a result.
    assert list(book["4 Other measures"].values) == [("Measure", "Result", "Unit")]
    assert ("Program", "Civic Power 2026") in list(book["About"].values)
    assert book["2 Indicators"].freeze_panes == "A2"
    rows = list(book["2 Indicators"].values)
    assert rows[2][:2] == ("Outputs", "Officials at the hearing")
    assert rows[2][3:7] == ("8\u201312", 10, None, "On target")
    assert client.get(url + "?download=doc").status_code == 404


def test_a_program_with_no_logic_model_says_how_to_make_one(client, program):
    client.force_login(lead(program))
    page = client.get(f"/cohorts/programs/{program.slug}/logic-model/")
    assert page.status_code == 200
    assert "has no logic model yet" in page.content.decode()


def test_the_logic_model_page_costs_the_same_whatever_the_activity(
    client, home_page, program, model
):
    group = CohortPageFactory(parent=home_page, program=program)
    Indicator.objects.create(
        logic_model=model, measure="core.people_attended", target=1
    )
    entered = Indicator.objects.create(logic_model=model, name="Officials", target=1)
    client.force_login(lead(program))
    url = f"/cohorts/programs/{program.slug}/logic-models/{model.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the site's own first-visit work
    few = queries()
    for days in range(1, 30):
        held(group, days, f"Place {days}", UserFactory())
        IndicatorResult.objects.create(indicator=entered, value=days)
    assert queries() == few


def test_the_programs_targets_became_indicators(program):
    """The copy of cohorts' OutcomeTarget rows (insights 0002), run with the
    models of today standing in for the migration's (same fields)."""
    migration = importlib.import_module(
        "insights.migrations.0002_targets_to_indicators"
    )
    targets = [
        SimpleNamespace(
            program_id=program.pk,
            sort_order=order,
            measure=measure,
            target=least,
            maximum=most,
        )
        for order, (measure, least, most) in enumerate(
            (("core.participants", 12, None), ("core.sessions", 6, 10))
        )
    ]

    class Targets:
        objects = SimpleNamespace(order_by=lambda *fields: targets)

    models = {
        ("cohorts", "OutcomeTarget"): Targets,
        ("insights", "LogicModel"): LogicModel,
        ("insights", "Indicator"): Indicator,
    }
    apps = SimpleNamespace(get_model=lambda app, name: models[(app, name)])
    migration.targets_to_indicators(apps, None)
    model = LogicModel.objects.get(program=program)
    assert model.starts_on is None and model.ends_on is None  # all time, as before
    assert [
        (i.measure, i.target, i.maximum)
        for i in model.indicators.order_by("sort_order")
    ] == [
        ("core.participants", Decimal(12), None),
        ("core.sessions", Decimal(6), Decimal(10)),
    ]


def test_a_period_ending_before_it_starts_is_refused(program):
    model = LogicModel(
        program=program,
        period="2026",
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        model.full_clean()


def test_only_sessions_are_counted_by_place_and_only_core_measures_narrowed(model):
    indicator = Indicator(
        logic_model=model, measure="coaching.hours", target=1, per_place=True
    )
    with pytest.raises(ValidationError, match="Only sessions held"):
        indicator.full_clean()
    indicator.per_place, indicator.group_kind = False, CohortPage.Kind.TRAINING
    with pytest.raises(ValidationError, match="can be narrowed"):
        indicator.full_clean()


def test_a_lead_bulk_deletes_only_their_programs_logic_models_and_programs(
    client, program, model
):
    theirs = Program.objects.create(name="Another coalition", slug="another")
    other = LogicModel.objects.create(program=theirs, period="Their year")
    client.force_login(lead(program))
    url = "/admin/bulk/insights/logicmodel/delete/"
    assert client.get(f"{url}?id={other.pk}").status_code == 404
    page = client.get(f"{url}?id=all").content.decode()
    assert "This year" in page and "Their year" not in page
    client.post(f"{url}?id={other.pk}&id={model.pk}")
    client.post(f"{url}?id=all")
    assert list(LogicModel.objects.all()) == [other]
    programs = "/admin/bulk/cohorts/program/delete/"
    assert client.get(f"{programs}?id={theirs.pk}").status_code == 404
    assert "Another coalition" not in client.get(f"{programs}?id=all").content.decode()
    client.post(f"{programs}?id=all")
    assert list(Program.objects.all()) == [theirs]


def test_the_snippet_chooser_lists_only_the_leads_logic_models(client, program, model):
    other = LogicModel.objects.create(
        program=Program.objects.create(name="B", slug="b"), period="Their year"
    )
    client.force_login(lead(program))
    page = client.get("/admin/snippets/choose/insights/logicmodel/").content.decode()
    assert "This year" in page and "Their year" not in page
    chosen = f"/admin/snippets/choose/insights/logicmodel/chosen/{other.pk}/"
    assert client.get(chosen).status_code == 404


def test_a_period_far_in_the_future_is_refused_and_never_a_server_error(
    client, program, model
):
    client.force_login(lead(program))
    url = f"/admin/snippets/insights/logicmodel/edit/{model.pk}/"
    data = nested_form_data(
        {
            "program": program.pk,
            "period": "Forever",
            "starts_on": "2026-01-01",
            "ends_on": "9999-12-31",
            "summary": "",
            "parts": inline_formset([]),
            "indicators": inline_formset([]),
        }
    )
    refused = client.post(url, data)
    assert refused.status_code == 200 and "9999" in refused.content.decode()
    model.refresh_from_db()
    assert model.ends_on != date.max
    # Saved some other way: its pages still answer.
    LogicModel.objects.filter(pk=model.pk).update(ends_on=date.max)
    Indicator.objects.create(logic_model=model, measure="core.sessions", target=1)
    page = f"/cohorts/programs/{program.slug}/logic-models/{model.pk}/"
    assert client.get(page).status_code == 200
    assert client.get(f"/cohorts/programs/{program.slug}/reports/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_evidence_files_go_with_their_results(
    program, model, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    indicator = Indicator.objects.create(logic_model=model, name="Officials", target=8)
    result = IndicatorResult.objects.create(
        indicator=indicator,
        value=9,
        file=SimpleUploadedFile("sheet.pdf", b"%PDF-1.4"),
    )
    stored = tmp_path / result.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        indicator.delete()
    assert not stored.exists()


def test_a_plugins_value_that_is_no_number_is_no_actual():
    assert number_of("7.5") == Decimal("7.5")
    for value in ("many", float("nan"), float("inf"), None):
        assert number_of(value) is None


def test_pdfs_fetch_nothing(tmp_path):
    """A stylesheet or image by address is never read: the PDF is made, and
    what the address holds is not in it."""
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'SECRET-FROM-A-FILE'; }")
    html = (
        f'<link rel="stylesheet" href="file://{secret}">'
        f'<img src="file://{secret}"><p>Report</p>'
    )
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(html_to_pdf(html))).pages
    )
    assert "Report" in text and "SECRET-FROM-A-FILE" not in text


def test_a_result_entered_by_mistake_is_withdrawn_and_stays_in_the_history(
    client, program, model
):
    officials = Indicator.objects.create(
        logic_model=model, name="Officials", target=8, maximum=12
    )
    right = IndicatorResult.objects.create(indicator=officials, value=6)
    wrong = IndicatorResult.objects.create(indicator=officials, value=70)
    person = lead(program)
    client.force_login(person)
    page = f"/cohorts/programs/{program.slug}/indicators/{officials.pk}/"
    url = f"/cohorts/programs/{program.slug}/results/{wrong.pk}/withdraw/"
    assert "70 (target 8\u201312)" in client.get(page).content.decode()
    # No reason: refused, with the message.
    refused = client.post(url, {"reason": " "}, follow=True).content.decode()
    assert "This field is required." in refused
    wrong.refresh_from_db()
    assert wrong.withdrawn_at is None
    # Another program's lead reaches nothing.
    other = lead(Program.objects.create(name="B", slug="b"))
    client.force_login(other)
    assert client.post(url, {"reason": "Mine now"}).status_code == 404
    client.force_login(person)
    assert client.post(url, {"reason": "Typed 70 for 7."}).status_code == 302
    html = client.get(page).content.decode()
    assert "6 (target 8\u201312)" in html and "Typed 70 for 7." in html
    assert "<s>70" in html
    wrong.refresh_from_db()
    assert wrong.withdrawn_by == person and right.pk == actuals(model)[0].latest.pk

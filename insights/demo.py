"""Demo logic models: the county learning community's year, and the Civic
Power Coalition's campaign measured as its funder wrote the outcomes —
budget trainings across county sites counted by place, partners whose people
attended them, core partners kept and organisations invited (the partners
plugin's counts), officials at the Poverty Hearing entered with evidence —
indicators below their range, within, above and not started."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.demo import ZONE, member, name_program
from cohorts.models import CohortPage, Membership, Program
from content.demo import child_page
from content.models import StandardPage, Topic
from insights.models import (
    Indicator,
    IndicatorResult,
    LogicModel,
    LogicModelPart,
    Stage,
)
from lms.demo import DemoReport, register
from organisations import belonging
from organisations.models import Affiliation, Organisation
from scheduling.co_hosts import set_co_hosts
from scheduling.models import Attendance, Session

# Three county sites, each with a budget training held there.
SITES = [
    ("budget-training-eastside", "Eastside", "Eastside Library, community room"),
    ("budget-training-northside", "Northside", "Northside Union Hall"),
    ("budget-training-valley", "Valley", "Valley Grange Hall"),
]
# A partner that lent its hall and hosted the training with the coalition.
CO_HOSTS = {"budget-training-valley": "Iglesia Nueva Esperanza"}
PARTS = [
    (Stage.INPUTS, "Trainers, interpreters and childcare"),
    (Stage.INPUTS, "Meeting rooms at county sites lent by partners"),
    (Stage.ACTIVITIES, "Budget trainings across the county"),
    (Stage.ACTIVITIES, "The Poverty Hearing with elected officials"),
    (Stage.OUTPUTS, "Residents trained to read the county budget"),
    (Stage.SHORT_TERM, "Members give public comment at budget hearings"),
    (Stage.LONG_TERM, "A county budget that funds what families need"),
]


def _period() -> tuple[str, date, date]:
    """The campaign year around today, so the demo's sessions fall in it."""
    today = timezone.localdate()
    starts = date(today.year, 1, 1) if today.month > 2 else date(today.year - 1, 3, 1)
    ends = date(starts.year, 12, 31) if today.month > 2 else date(today.year, 2, 28)
    label = (
        str(starts.year) if starts.year == ends.year else f"{starts.year}-{ends.year}"
    )
    return label, starts, ends


def _this_year(program: Program, summary: str) -> LogicModel:
    label, starts, ends = _period()
    return LogicModel.objects.create(
        program=program,
        period=label,
        starts_on=starts,
        ends_on=ends,
        summary=summary,
    )


def _trainings(program: Program, report: DemoReport) -> None:
    """A training at each site, each with a session held a few weeks ago."""
    budgets = StandardPage.objects.get(slug="fair-budgets", locale__language_code="en")
    topic = Topic.objects.filter(slug="budget", locale=budgets.locale).first()
    people = get_user_model().objects.filter(
        email__in=["participant@example.org", "amara@example.org"]
    )
    for weeks, (slug, site, place) in enumerate(SITES, start=2):
        training = child_page(
            budgets,
            CohortPage,
            slug,
            report,
            title=f"Budget training: {site}",
            intro="One evening on reading the county budget and giving public comment.",
            program=program,
            kind=CohortPage.Kind.TRAINING,
            topic=topic,
            format=CohortPage.Format.IN_PERSON,
            area=site,
            time_zone=ZONE,
            signup_open=False,
        )
        member(training, "facilitator@example.org", Membership.Role.FACILITATOR)
        if training.sessions.exists():
            continue
        starts = timezone.now() - timedelta(weeks=weeks)
        session = Session.objects.create(
            cohort=training,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            location_name=place,
        )
        for person in people:
            member(training, person.email, Membership.Role.PARTICIPANT)
            Attendance.objects.create(session=session, user=person, status="present")
        report.made(f"civic power training {site}")


# Who of the trainings' participants belongs to which partner organisation
# (the partners plugin's demo lists the same organisations, by name).
AFFILIATIONS = [
    ("participant@example.org", "Eastside Parents United", "Parent leader"),
    ("amara@example.org", "Iglesia Nueva Esperanza", "Youth ministry volunteer"),
]


def _affiliations() -> None:
    """The participants' organisations, confirmed by the lead: the partners
    the trainings reached."""
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    for email, name, role in AFFILIATIONS:
        person = get_user_model().objects.filter(email=email).first()
        if person is None:
            continue
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=name)
        Affiliation.objects.get_or_create(
            organisation=organisation,
            user=person,
            defaults={
                "role": role,
                "confirmed_at": timezone.now(),
                "confirmed_by": lead,
            },
        )
    # Waiting for a lead: a name that matched no organisation as written.
    facilitator = get_user_model().objects.filter(email="facilitator@example.org")
    if facilitator.exists():
        belonging.ask_to_belong(
            facilitator.get(), "Inland Community Health", "Health educator"
        )


def _indicators(model: LogicModel, topic: Topic | None) -> None:
    made = [
        Indicator(
            stage=Stage.OUTPUTS,
            name="Host 5-8 budget trainings in various locations across the county",
            measure="core.sessions",
            group_kind=CohortPage.Kind.TRAINING,
            topic=topic,
            per_place=True,
            unit="places",
            baseline=Decimal(2),
            target=Decimal(5),
            maximum=Decimal(8),
        ),
        Indicator(
            stage=Stage.OUTPUTS,
            name="Residents attending a budget training",
            measure="core.people_attended",
            group_kind=CohortPage.Kind.TRAINING,
            unit="people",
            target=Decimal(2),
            maximum=Decimal(40),
        ),
        Indicator(
            stage=Stage.SHORT_TERM,
            name="Have 8-12 elected officials and their staffers attend our "
            "Poverty Hearing",
            unit="officials",
            target=Decimal(8),
            maximum=Decimal(12),
        ),
        Indicator(
            stage=Stage.SHORT_TERM,
            name="Have at least 10 core partners participate",
            measure="core.organisations_attended",
            unit="organizations",
            target=Decimal(10),
        ),
        Indicator(
            stage=Stage.OUTPUTS,
            # Entered: partner organisations host most of them, off the site.
            name="Host 5 community organizing trainings",
            unit="trainings",
            target=Decimal(5),
            maximum=Decimal(5),
        ),
        Indicator(
            stage=Stage.SHORT_TERM,
            name="Sustain relationships with 10-15 current core partners",
            # The partners plugin's (none when it is switched off).
            measure="partners.core",
            unit="organizations",
            target=Decimal(10),
            maximum=Decimal(15),
        ),
        Indicator(
            stage=Stage.SHORT_TERM,
            name="Collect 2-3 personal testimonies",
            unit="testimonies",
            target=Decimal(2),
            maximum=Decimal(3),
        ),
        Indicator(
            stage=Stage.LONG_TERM,
            name="Invite 5-7 new organizations to become core partners",
            measure="partners.joining",
            unit="organizations",
            target=Decimal(5),
            maximum=Decimal(7),
        ),
    ]
    for order, indicator in enumerate(made):
        indicator.logic_model, indicator.sort_order = model, order
        indicator.save()


def _results(model: LogicModel) -> None:
    """What the lead entered: the officials twice (the history), testimonies."""
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    officials = model.indicators.get(name__startswith="Have 8-12 elected")
    testimonies = model.indicators.get(name__startswith="Collect 2-3")
    for indicator, value, note, link in (
        (officials, 6, "RSVPs a week before the hearing.", ""),
        (
            officials,
            10,
            "Sign-in sheet of the hearing: 4 supervisors, 6 staffers.",
            "https://example.org/poverty-hearing/sign-in",
        ),
        (testimonies, 4, "Recorded with each speaker's written consent.", ""),
    ):
        IndicatorResult.objects.create(
            indicator=indicator, value=value, note=note, link=link, entered_by=lead
        )


# Who attended each chapter's budget training (chapters' demo): one person in
# both, so the network counts fewer people than its chapters added up.
CHAPTER_ATTENDANCE = {
    "Los Angeles": (["rosa@example.org", "participant@example.org"], 2),
    "Riverside": (["participant@example.org", "amara@example.org"], 1),
}


def _chapter_trainings(program: Program, report: DemoReport) -> None:
    """Sessions held in each chapter's training of the network program,
    with who attended."""
    for training in CohortPage.objects.filter(program=program).order_by("pk"):
        if training.sessions.exists() or training.area not in CHAPTER_ATTENDANCE:
            continue
        emails, held = CHAPTER_ATTENDANCE[training.area]
        people = get_user_model().objects.filter(email__in=emails)
        for weeks in range(held):
            starts = timezone.now() - timedelta(weeks=weeks + 1)
            session = Session.objects.create(
                cohort=training,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                location_name=f"{training.area} Public Library",
            )
            for person in people:
                member(training, person.email, Membership.Role.PARTICIPANT)
                Attendance.objects.create(
                    session=session, user=person, status="present"
                )
        report.made(f"chapter training sessions {training.area}")


def _network_model(report: DemoReport) -> None:
    """The network program's year, its chapters' trainings counted apart
    and together; lead@example.org leads it for the whole network."""
    program = Program.objects.filter(slug="budget-advocacy-2026").first()
    if program is None:
        return
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    if lead is not None:
        program.leads.add(lead)
    _chapter_trainings(program, report)
    if program.logic_models.exists():
        return
    model = _this_year(
        program, "Each chapter trains residents to read and change its county budget."
    )
    _outputs(
        model,
        [
            ("Recruit 10-15 core partners", "", "organizations", 10, 15),
            ("Hold 5-8 budget trainings across the chapters", "core.sessions",
             "sessions", 5, 8),
            ("Train 30 residents", "core.people_attended", "people", 30, None),
            ("Enroll 40 residents", "core.participants", "people", 40, None),
        ],
    )  # fmt: skip
    IndicatorResult.objects.create(
        indicator=model.indicators.get(name__startswith="Recruit"),
        value=7,
        note="Partners who signed the chapters' partnership letters.",
        entered_by=lead,
    )
    report.made("network logic model")


def _outputs(model: LogicModel, wanted: list[tuple]) -> None:
    """Output indicators of the model: (name, measure, unit, target, maximum)."""
    for order, (name, measure, unit, least, most) in enumerate(wanted):
        Indicator.objects.create(
            logic_model=model,
            sort_order=order,
            stage=Stage.OUTPUTS,
            name=name,
            measure=measure,
            unit=unit,
            target=least,
            maximum=most,
        )


# After the logic models (their trainings' sessions); a loader of its own:
# co-hosts came after the models moved out of cohorts
# (tests/test_moved_models_keep_rows.py loads the demo on the older tables).
@register(order=66)
def load_co_hosts(report: DemoReport) -> None:
    for slug, name in CO_HOSTS.items():
        session = Session.objects.filter(cohort__slug=slug).order_by("pk").first()
        if session is not None and not session.co_hosts.exists():
            set_co_hosts(session, [name])
            report.made("co-hosted session")


# Before the surveys (70): they ask the Civic Power trainings for testimonies.
@register(order=65)
def load_logic_models(report: DemoReport) -> None:
    county = Program.objects.filter(slug="learning-community-2026").first()
    if county is not None and not county.logic_models.exists():
        model = _this_year(county, "Grantees learn together and put it to work.")
        _outputs(
            model,
            [
                ("", "core.participants", "", 12, None),
                ("", "core.sessions", "", 6, 10),
                ("", "core.goals_met", "", 6, None),
            ],
        )
        report.made("county logic model")

    program, created = Program.objects.get_or_create(
        slug="civic-power-2026", defaults={"name": "Civic Power Coalition 2026"}
    )
    if created:
        report.made("program civic power")
    name_program(program, "es", "Coalición Poder Cívico 2026")
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    if lead is not None:
        program.leads.add(lead)
    _trainings(program, report)
    _affiliations()
    if program.logic_models.exists():
        return
    model = _this_year(program, "Residents across the county shape the county budget.")
    for order, (stage, text) in enumerate(PARTS):
        LogicModelPart.objects.create(
            logic_model=model, sort_order=order, stage=stage, text=text
        )
    budget = Topic.objects.filter(slug="budget", locale__language_code="en").first()
    _indicators(model, budget)
    _results(model)
    report.made("civic power logic model")


# After the chapters (48) and their trainings, before the surveys (70).
@register(order=67)
def load_network_logic_model(report: DemoReport) -> None:
    _network_model(report)

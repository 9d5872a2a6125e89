"""Demo cohorts: a learning circle, a speaker event and a county budget training
(their meetings are the scheduling app's demo)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.models import (
    CatalogueIndexPage,
    CohortPage,
    CohortResource,
    LearningPathPage,
    LearningPathStep,
    Membership,
    Program,
    Speaker,
)
from cohorts.program_names import ProgramName
from content.demo import child_page, translation_of
from content.models import CoursePage, ResourcePage, StandardPage, Topic
from content.site import ensure_locales
from lms.demo import DemoReport, register

ZONE = "America/Los_Angeles"


def next_weekday(weekday: int, hour: int) -> datetime:
    """The next given weekday (0 = Monday) at `hour` local time, from today."""
    today = timezone.now().astimezone(ZoneInfo(ZONE)).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(ZONE))


def member(cohort: CohortPage, email: str, role: str, goal: str = "") -> None:
    """Put the person with this address (if any) in `cohort` with `role`."""
    user = get_user_model().objects.filter(email=email).first()
    if user:
        Membership.objects.get_or_create(
            cohort=cohort, user=user, defaults={"role": role, "goal": goal}
        )


def name_program(program: Program, language: str, name: str) -> None:
    """The program's name in its other language, given once."""
    ProgramName.objects.get_or_create(
        program=program, language=language, defaults={"name": name}
    )


# After the people (30) and the site (20).
@register(order=40)
def load_cohorts(report: DemoReport) -> None:

    english = StandardPage.objects.filter(locale__language_code="en")
    county = english.get(slug="county-learning-community")
    budgets = english.get(slug="fair-budgets")
    program, created = Program.objects.get_or_create(
        slug="learning-community-2026",
        defaults={"name": "Riverside County Learning Community 2026"},
    )
    if created:
        report.made("program")
    name_program(
        program, "es", "Comunidad de Aprendizaje del Condado de Riverside 2026"
    )
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    if lead is not None:
        program.leads.add(lead)
    grantwriting = Topic.objects.filter(
        slug="grantwriting", locale=county.locale
    ).first()
    catalogue = child_page(
        county.get_parent(),
        CatalogueIndexPage,
        "find-a-group",
        report,
        title="Find a group",
        show_in_menus=True,
        intro="Learning circles, trainings and talks you can join now.",
    )
    translation_of(
        catalogue,
        "es",
        report,
        title="Buscar un grupo",
        intro="Círculos de aprendizaje, capacitaciones y charlas a los que "
        "puede unirse ahora.",
    )
    courses = CoursePage.objects.filter(
        slug__in=["grantwriting-basics", "budget-narratives"], locale=county.locale
    ).order_by("-slug")
    path = child_page(
        catalogue,
        LearningPathPage,
        "ready-to-apply",
        report,
        title="Ready to apply for a grant",
        intro="Two courses that take you from an idea to a proposal you can send.",
        steps=[
            LearningPathStep(course=course, note=note)
            for course, note in zip(
                courses,
                [
                    "Start here if you have never written a grant.",
                    "Once your proposal has a shape, make its budget speak.",
                ],
                strict=True,
            )
        ],
    )
    translation_of(
        path,
        "es",
        report,
        title="Listo para pedir una subvención",
        intro="Dos cursos que lo llevan de una idea a una propuesta que puede enviar.",
        # The same courses (the groups taking them are found by them); the
        # path shows each in Spanish.
        steps=[
            LearningPathStep(course=course, note=note)
            for course, note in zip(
                courses,
                [
                    "Empiece aquí si nunca ha escrito una propuesta.",
                    "Cuando su propuesta tenga forma, haga que su presupuesto hable.",
                ],
                strict=True,
            )
        ],
    )

    circle = child_page(
        county,
        CohortPage,
        "grantwriting-circle",
        report,
        title="Grantwriting learning circle",
        intro=(
            "Eight Thursday evenings working through a real grant application "
            "together, one section a week."
        ),
        program=program,
        kind=CohortPage.Kind.LEARNING_CIRCLE,
        topic=grantwriting,
        format=CohortPage.Format.IN_PERSON,
        area="Eastside, Riverside",
        time_zone=ZONE,
        capacity=12,
        goal_prompt="What do you hope to get out of this circle?",
    )
    member(circle, "facilitator@example.org", Membership.Role.FACILITATOR)
    member(
        circle,
        "participant@example.org",
        Membership.Role.PARTICIPANT,
        goal="Submit our first county grant with confidence.",
    )
    course = CoursePage.objects.filter(
        slug="grantwriting-basics", locale=county.locale
    ).first()
    if course and circle.course_id is None:
        circle.course = course
        circle.release = CohortPage.Release.BY_SESSION
        circle.save_revision().publish()
        report.made("grantwriting circle course")
    if not circle.resource_links.exists():
        for slug, note in [
            ("need-statement-guide", "Work through it before the second meeting."),
            ("logic-model-template", ""),
        ]:
            resource = ResourcePage.objects.filter(
                slug=slug, locale=county.locale
            ).first()
            if resource:
                CohortResource.objects.create(
                    cohort=circle, resource=resource, note=note
                )
        report.made("grantwriting circle resources")

    talk = child_page(
        county,
        CohortPage,
        "power-mapping-talk",
        report,
        title="Speaker evening: power mapping for coalitions",
        intro="An organiser from a statewide coalition on mapping who decides.",
        program=program,
        kind=CohortPage.Kind.SPEAKER_EVENT,
        format=CohortPage.Format.HYBRID,
        area="Riverside Community Hall and online",
        time_zone=ZONE,
    )
    if not talk.speakers.exists():
        Speaker.objects.create(
            cohort=talk,
            name="Marisol Vega",
            organisation="Statewide Civic Power Coalition",
            bio="Organiser for fifteen years; maps who decides county budgets.",
        )
        report.made("speaker")

    load_spanish_training(budgets, report)


def load_spanish_training(budgets: StandardPage, report: DemoReport) -> None:
    """A training that meets in Spanish: its page lives in the Spanish tree
    only (a group meets in one language; its members, sessions and answers
    hang off that one page), and the catalogue in English lists it as meeting
    in Spanish."""
    spanish_budgets = budgets.get_translation(ensure_locales()["es"])
    program, created = Program.objects.get_or_create(
        slug="fair-budgets-2026",
        defaults={"name": "Campaña por Presupuestos Justos 2026"},
    )
    if created:
        report.made("program fair budgets")
    name_program(program, "en", "Fair Budgets Campaign 2026")
    lead = get_user_model().objects.filter(email="lead@example.org").first()
    if lead is not None:
        program.leads.add(lead)
    training = child_page(
        spanish_budgets,
        CohortPage,
        "capacitacion-presupuesto-riverside",
        report,
        title="Capacitación sobre el presupuesto: sede Riverside",
        intro="Cuatro sábados para entender el presupuesto del condado y dar "
        "su comentario en la audiencia pública.",
        program=program,
        kind=CohortPage.Kind.TRAINING,
        topic=Topic.objects.filter(
            slug="budget", locale=spanish_budgets.locale
        ).first(),
        language="es",
        format=CohortPage.Format.IN_PERSON,
        area="Centro, Riverside",
        time_zone=ZONE,
        capacity=40,
        goal_prompt="¿Qué espera aprender en esta capacitación?",
    )
    member(training, "facilitator@example.org", Membership.Role.FACILITATOR)
    member(
        training,
        "participant@example.org",
        Membership.Role.PARTICIPANT,
        goal="Dar mi comentario en la audiencia de junio.",
    )
    course = CoursePage.objects.filter(
        slug="budget-hearings", locale=spanish_budgets.locale
    ).first()
    if course and training.course_id is None:
        training.course = course
        training.save_revision().publish()
        report.made("budget training course")

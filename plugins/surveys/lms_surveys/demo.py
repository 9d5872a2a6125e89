"""Demo: a pre/post survey on the Spanish budget training, with answers, and
an anonymous check-in after each session there and in the grantwriting
circle. Surveys are in English and Spanish."""

from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from lms_surveys import access, answering
from lms_surveys.forms import AnswerForm, field_name, quote_field_name
from lms_surveys.models import Moment, Reflection, Survey
from sdk import CohortPage, Membership, Session
from sdk.demo import DemoReport, demo_user, ensure_locales, in_spanish, member, register


def _id(name: str) -> str:
    # Block ids fixed, so a re-run and the translation share them.
    return str(uuid5(NAMESPACE_URL, f"lms-surveys-demo:{name}"))


CONFIDENCE = [
    {
        "type": "scale",
        "id": _id("confidence"),
        "value": {
            "text": "How confident are you giving public comment at a budget hearing?",
            "help": "",
            "required": True,
            "low_label": "Not confident",
            "high_label": "Very confident",
            "measure": True,
        },
    },
    {
        "type": "scale",
        "id": _id("understanding"),
        "value": {
            "text": "How well do you understand the county budget?",
            "help": "",
            "required": True,
            "low_label": "Not at all",
            "high_label": "Very well",
            "measure": False,
        },
    },
    {
        "type": "goal_met",
        "id": _id("goal"),
        "value": {
            "text": "Did you reach the goal you set when you joined?",
            "help": "",
            "required": False,
        },
    },
    {
        "type": "long_text",
        "id": _id("change"),
        "value": {"text": "What would you change?", "help": "", "required": False},
    },
    {
        "type": "long_text",
        "id": _id("testimony"),
        "value": {
            "text": "What would you tell a neighbour about this training?",
            "help": "",
            "required": False,
            "testimony": True,
        },
    },
]

CHECK_IN = [
    {
        "type": "scale",
        "id": _id("useful"),
        "value": {
            "text": "How useful was today's session?",
            "help": "",
            "required": True,
            "low_label": "Not useful",
            "high_label": "Very useful",
            "measure": False,
        },
    },
    {
        "type": "single_choice",
        "id": _id("pace"),
        "value": {
            "text": "The pace was…",
            "help": "",
            "required": False,
            "choices": ["Too slow", "About right", "Too fast"],
        },
    },
    {
        "type": "short_text",
        "id": _id("takeaway"),
        "value": {"text": "One thing you will use", "help": "", "required": False},
    },
]

SPANISH = {
    "Budget training: before and after": "Capacitación sobre el presupuesto: antes y después",  # noqa: E501
    "Five questions at the start and again at the end, to see what changed.": "Las mismas preguntas al principio y al final, para ver qué cambió.",  # noqa: E501
    "How confident are you giving public comment at a budget hearing?": "¿Cuánta confianza tiene para dar su comentario en una audiencia del presupuesto?",  # noqa: E501
    "Not confident": "Ninguna confianza",
    "Very confident": "Mucha confianza",
    "How well do you understand the county budget?": "¿Qué tan bien entiende el presupuesto del condado?",  # noqa: E501
    "Not at all": "Nada",
    "Very well": "Muy bien",
    "Did you reach the goal you set when you joined?": "¿Alcanzó la meta que se puso al inscribirse?",  # noqa: E501
    "What would you change?": "¿Qué cambiaría?",
    "What would you tell a neighbour about this training?": "¿Qué le diría a una vecina sobre esta capacitación?",  # noqa: E501
    "Session check-in": "Evaluación de la sesión",
    "Two minutes, anonymous: how did today go?": "Dos minutos, anónima: ¿cómo le fue hoy?",  # noqa: E501
    "How useful was today's session?": "¿Qué tan útil fue la sesión de hoy?",
    "Not useful": "Nada útil",
    "Very useful": "Muy útil",
    "The pace was…": "El ritmo fue…",
    "Too slow": "Demasiado lento",
    "About right": "Adecuado",
    "Too fast": "Demasiado rápido",
    "One thing you will use": "Una cosa que va a usar",
}

PEOPLE = [
    ("rosa.m@example.org", "Rosa", "Martínez"),
    ("jorge.l@example.org", "Jorge", "López"),
    ("carmen.r@example.org", "Carmen", "Ruiz"),
    ("pedro.g@example.org", "Pedro", "Gómez"),
    ("lucia.h@example.org", "Lucía", "Hernández"),
]


def _survey(slug, title, intro, stream, anonymous, report) -> Survey:
    locales = ensure_locales()
    english, created = Survey.objects.get_or_create(
        slug=slug,
        locale=locales["en"],
        defaults={
            "title": title,
            "intro": intro,
            "anonymous": anonymous,
            "questions": stream,
        },
    )
    if created:
        report.made(f"survey {title}")
    if not english.get_translation_or_none(locales["es"]):
        spanish = english.copy_for_translation(locales["es"])
        spanish.title = SPANISH[title]
        spanish.intro = SPANISH.get(intro, intro)
        spanish.questions = in_spanish(stream, SPANISH)
        spanish.save()
    return english


def _answer(moment, user, session, values: dict) -> None:
    questions = moment.survey.question_list()
    data = QueryDict(mutable=True)
    for question in questions:
        if question.key in values:
            value = values[question.key]
            data.setlist(
                field_name(question),
                [str(v) for v in (value if isinstance(value, list) else [value])],
            )
        if f"{question.key}-quote" in values:
            data[quote_field_name(question)] = values[f"{question.key}-quote"]
    may_name = access.names_testimonies(moment, moment.cohort)
    form = AnswerForm(data, questions=questions, may_name=may_name)
    if form.is_valid():
        answering.submit(moment, user, session, form)


TESTIMONIES_ES = [
    ("Ahora entiendo de dónde sale el dinero de la biblioteca.", "first_name"),
    ("Di mi primer comentario público y no tuve miedo.", "unnamed"),
]
TESTIMONIES_EN = [
    ("I read the budget table with my neighbours for the first time.", "first_name"),
    ("Now I know when the hearings are and how to sign up to speak.", "unnamed"),
]


def _testimony(number: int, given: list[tuple[str, str]]) -> dict:
    """The first people's testimony, quoted as each allowed."""
    if number >= len(given):
        return {}
    text, quote = given[number]
    return {_id("testimony"): text, f"{_id('testimony')}-quote": quote}


def _civic_power_training(confidence: Survey) -> None:
    """The Civic Power Coalition's Eastside training (insights' demo) asks
    what changed afterwards; its two participants answer, quotable."""
    training = CohortPage.objects.filter(slug="budget-training-eastside").first()
    if training is None or Moment.objects.filter(cohort=training).exists():
        return
    if "surveys" not in training.plugins:
        training.plugins = [*training.plugins, "surveys"]
        training.save_revision().publish()
    post = Moment.objects.create(
        cohort=training,
        survey=confidence,
        kind=Moment.Kind.POST,
        attached_at=timezone.now() - timedelta(weeks=3),
    )
    people = get_user_model().objects.filter(
        email__in=["participant@example.org", "amara@example.org"]
    )
    for number, person in enumerate(people.order_by("email")):
        _answer(
            post,
            person,
            None,
            {
                _id("confidence"): 4,
                _id("understanding"): 4,
                **_testimony(number, TESTIMONIES_EN),
            },
        )


@register(order=70)
def load_surveys(report: DemoReport) -> None:
    confidence = _survey(
        "budget-training-before-after",
        "Budget training: before and after",
        "Five questions at the start and again at the end, to see what changed.",
        CONFIDENCE,
        False,
        report,
    )
    check_in = _survey(
        "session-check-in",
        "Session check-in",
        "Two minutes, anonymous: how did today go?",
        CHECK_IN,
        True,
        report,
    )
    training = CohortPage.objects.filter(
        slug="capacitacion-presupuesto-riverside"
    ).first()
    circle = CohortPage.objects.filter(slug="grantwriting-circle").first()
    for group in (training, circle):
        if group is not None and "surveys" not in group.plugins:
            group.plugins = [*group.plugins, "surveys"]
            group.save_revision().publish()
    if circle is not None:
        Moment.objects.get_or_create(
            cohort=circle,
            kind=Moment.Kind.AFTER_SESSION,
            detached_at=None,
            defaults={
                "survey": check_in,
                "attached_at": timezone.now() - timedelta(weeks=6),
            },
        )
    _civic_power_training(confidence)
    if training is None or Moment.objects.filter(cohort=training).exists():
        return
    facilitator = (
        get_user_model().objects.filter(email="facilitator@example.org").first()
    )
    people = [demo_user(email, first, last, report) for email, first, last in PEOPLE]
    for person in people:
        member(training, person.email, Membership.Role.PARTICIPANT)
    # The training meets in Spanish: its facilitator attached the Spanish rows.
    spanish = ensure_locales()["es"]
    confidence = confidence.get_translation(spanish)
    check_in = check_in.get_translation(spanish)
    earlier = timezone.now() - timedelta(weeks=4)
    pre, post, after = (
        Moment.objects.create(
            cohort=training,
            survey=survey,
            kind=kind,
            attached_by=facilitator,
            attached_at=earlier,
        )
        for survey, kind in (
            (confidence, Moment.Kind.PRE),
            (confidence, Moment.Kind.POST),
            (check_in, Moment.Kind.AFTER_SESSION),
        )
    )
    for number, person in enumerate(people):
        _answer(
            pre,
            person,
            None,
            {_id("confidence"): 1 + number % 3, _id("understanding"): 2},
        )
        _answer(
            post,
            person,
            None,
            {
                _id("confidence"): min(5, 3 + number % 3),
                _id("understanding"): 4,
                _id("goal"): 2 if number % 2 == 0 else 1,
                _id("change"): "Más tiempo para practicar el comentario.",
                **_testimony(number, TESTIMONIES_ES),
            },
        )
    held = (
        Session.objects.filter(cohort=training, ends_at__lt=timezone.now())
        .filter(~Q(status=Session.Status.CANCELLED))
        .order_by("starts_at")
        .first()
    )
    if held is not None:
        for number, person in enumerate(people):
            _answer(
                after,
                person,
                held,
                {
                    _id("useful"): 4 + number % 2,
                    _id("pace"): 1,
                    _id("takeaway"): "Leer la tabla de gastos.",
                },
            )
        if facilitator is not None:
            Reflection.objects.create(
                session=held,
                author=facilitator,
                went_well="El ejercicio de leer la tabla de gastos en parejas.",
                to_change="Dejar más tiempo para ensayar el comentario público.",
            )
    report.made("survey answers on the budget training")

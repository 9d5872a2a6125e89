"""A moment's results: response rates and a summary per question.

Each function costs a fixed number of queries whatever the number of answers
(tests pin them). Per-person answers exist only for named surveys.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet

from lms_surveys import access
from lms_surveys.charts import bar_chart
from lms_surveys.models import Answer, Moment, Response, Submission
from lms_surveys.questions import (
    AVERAGED_KINDS,
    CHOICE_KINDS,
    TEXT_KINDS,
    Question,
)
from sdk import Membership, Testimony

TEXTS_SHOWN = 20
CHART_WIDTH = 300


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    width: int
    y: int = 0


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    average: float | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self):
        return bar_chart(self)


@dataclass
class Rate:
    label: object  # the session's start, for a check-in
    answered: int
    asked: int
    session_id: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0


def response_rates(moment: Moment) -> list[Rate]:
    """One rate for the moment, or one per session for a check-in. Those
    who answered and left since count as asked."""
    return rates_of([moment])[moment.pk]


def rates_of(moments: list[Moment]) -> dict[int, list[Rate]]:
    """`response_rates` of each moment, in three queries whatever their
    number."""
    cohorts = {moment.cohort_id for moment in moments}
    asked = dict(
        access.respondents_in(cohorts)
        .values("cohort")
        .annotate(n=Count("id"))
        .values_list("cohort", "n")
    )
    answered: dict[int, dict[int | None, int]] = {}
    for moment_id, session_id, count in (
        Response.objects.filter(moment__in=moments, submitted_at__isnull=False)
        .values("moment", "session")
        .annotate(n=Count("id"))
        .values_list("moment", "session", "n")
    ):
        answered.setdefault(moment_id, {})[session_id] = count
    checking_in = {moment.cohort_id for moment in moments if moment.per_session}
    held = list(
        access.held_sessions(checking_in)
        .only("cohort_id", "starts_at", "ends_at")
        .order_by("starts_at")
        if checking_in
        else []
    )
    rates = {}
    for moment in moments:
        of_group = asked.get(moment.cohort_id, 0)
        by_session = answered.get(moment.pk, {})
        if not moment.per_session:
            count = sum(by_session.values())
            rates[moment.pk] = [Rate("", count, max(of_group, count))]
            continue
        rates[moment.pk] = [
            Rate(
                session.starts_at,
                by_session.get(session.pk, 0),
                max(of_group, by_session.get(session.pk, 0)),
                session.pk,
            )
            for session in held
            if access.asks_about(moment, session)
        ]
    return rates


def submissions(moment: Moment, session_id: int | None = None) -> QuerySet:
    found = Submission.objects.filter(moment=moment)
    if session_id is not None:
        found = found.filter(session=session_id)
    return found


def withheld(moment: Moment, count: int) -> bool:
    """An anonymous survey's results stay hidden until enough answered."""
    return moment.survey.anonymous and count < access.setting("anonymous_threshold")


def not_withheld(moments: list[Moment]) -> list[Moment]:
    """The moments whose results may be shown, their answers counted in one
    query: an anonymous one's only once enough answered (a group's average
    of one answer is that person's answer)."""
    counts = dict(
        Submission.objects.filter(moment__in=moments)
        .values("moment")
        .annotate(n=Count("id"))
        .values_list("moment", "n")
    )
    return [
        moment for moment in moments if not withheld(moment, counts.get(moment.pk, 0))
    ]


def summaries(
    questions: list[Question], moment: Moment, session_id: int | None = None
) -> list[QuestionResult]:
    """Per question: how many answered, counts per choice, the average of a
    scale or number, and a sample of the texts (in no order that lines them
    up with the other answers of the same person)."""
    answers = Answer.objects.filter(submission__in=submissions(moment, session_id))
    results = {question.key: QuestionResult(question) for question in questions}
    for row in answers.values("question").annotate(
        people=Count("submission", distinct=True), average=Avg("number")
    ):
        if found := results.get(row["question"]):
            found.answered = row["people"]
            if found.question.kind in AVERAGED_KINDS and row["average"] is not None:
                # Databases give a Decimal or a float: one kind, two places.
                found.average = round(float(row["average"]), 2)
    counts = {
        (row["question"], int(row["number"])): row["n"]
        for row in answers.filter(number__isnull=False)
        .values("question", "number")
        .annotate(n=Count("id"))
    }
    for result in results.values():
        question = result.question
        if question.kind in CHOICE_KINDS:
            result.bars = _bars(question, counts, result.answered)
        elif question.kind in TEXT_KINDS:
            result.texts = list(
                answers.filter(question=question.key)
                .exclude(text="")
                .order_by("?")
                .values_list("text", flat=True)[:TEXTS_SHOWN]
            )
    return list(results.values())


def _bars(question: Question, counts: dict, answered: int) -> list[Bar]:
    values = [counts.get((question.key, value), 0) for value in question.values]
    most = max(values, default=0) or 1
    return [
        Bar(
            label=label,
            count=count,
            percent=round(100 * count / answered) if answered else 0,
            width=round(CHART_WIDTH * count / most),
            y=index * 32 + 4,
        )
        for index, (label, count) in enumerate(
            zip(question.labels, values, strict=True)
        )
    ]


def value_text(question: Question, answers: list[Answer]) -> str:
    """One person's answer to a question, as words."""
    if question.kind in TEXT_KINDS:
        return " ".join(answer.text for answer in answers)
    labels = dict(zip(question.values, question.labels, strict=True))
    if question.kind in CHOICE_KINDS:
        return "; ".join(str(labels.get(int(answer.number), "")) for answer in answers)
    return "; ".join(f"{answer.number.normalize():f}" for answer in answers)


def per_person(moment: Moment, responses: list[Response]) -> dict:
    """Named surveys only: each response's answers by question, one query."""
    if moment.survey.anonymous:
        return {}
    by_response: dict[int, dict[str, list[Answer]]] = {}
    for answer in Answer.objects.filter(
        submission__response__in=[response.pk for response in responses]
    ).select_related("submission"):
        by_response.setdefault(answer.submission.response_id, {}).setdefault(
            answer.question, []
        ).append(answer)
    return by_response


@dataclass
class Change:
    question: Question
    before: float | None = None
    after: float | None = None
    # Named surveys: the mean of each person's after minus before.
    mean_change: float | None = None
    pairs: int = 0


@dataclass
class PrePost:
    pre: Moment
    changes: list[Change]
    # Named surveys, for staff: (respondent id, {question key: (before, after)}).
    people: dict = field(default_factory=dict)


def pre_moment(moment: Moment) -> Moment | None:
    """The "before" of an "after" moment: the group's pre survey, attached
    or detached since, the latest."""
    if moment.kind != Moment.Kind.POST:
        return None
    return (
        Moment.objects.filter(cohort=moment.cohort_id, kind=Moment.Kind.PRE)
        .select_related("survey")
        .order_by("-attached_at")
        .first()
    )


def person_changes(pre: Moment, post: Moment, keys: list[str]) -> dict:
    """{person: {key: [before, after]}} of a named pre/post pair, one query."""
    found: dict[int, dict[str, list]] = {}
    rows = Answer.objects.filter(
        submission__response__moment__in=[pre, post], question__in=keys
    ).values_list(
        "submission__response__respondent", "submission__moment", "question", "number"
    )
    for person, moment_id, key, number in rows:
        pair = found.setdefault(person, {}).setdefault(key, [None, None])
        pair[0 if moment_id == pre.pk else 1] = float(number)
    return found


def pre_post(moment: Moment, questions: list[Question]) -> PrePost | None:
    """Scale and number questions before and after: averages, and for a
    named survey the mean change per person (those who answered both)."""
    pre = pre_moment(moment)
    if pre is None:
        return None
    compared = [question for question in questions if question.kind in AVERAGED_KINDS]
    keys = [question.key for question in compared]
    averages = {
        (row["submission__moment"], row["question"]): round(float(row["a"]), 2)
        for row in Answer.objects.filter(
            submission__moment__in=[pre, moment], question__in=keys
        )
        .values("submission__moment", "question")
        .annotate(a=Avg("number"))
    }
    # The before's answers are held back on their own page while too few:
    # shown here they would be there to read.
    held_back = withheld(pre, submissions(pre).count())
    changes = [
        Change(
            question,
            before=None if held_back else averages.get((pre.pk, question.key)),
            after=averages.get((moment.pk, question.key)),
        )
        for question in compared
    ]
    people = {}
    if not moment.survey.anonymous and not pre.survey.anonymous:
        people = person_changes(pre, moment, keys)
        for change in changes:
            both = [
                pair[1] - pair[0]
                for answers in people.values()
                if (pair := answers.get(change.question.key)) and None not in pair
            ]
            change.pairs = len(both)
            change.mean_change = round(sum(both) / len(both), 2) if both else None
    return PrePost(pre, changes, people)


def shared_with_group(cohort) -> list[tuple[Moment, int, list[QuestionResult]]]:
    """The moments a facilitator shared with the group, each with how many
    answered and its charts: choices, scales and numbers only (never text,
    which could say who wrote it), all sessions together, and none until as
    many answered as an anonymous survey needs (among a few, a chart tells
    the others what each one answered, named survey or not)."""
    moments = list(
        Moment.objects.filter(
            cohort=cohort, shared_with_group=True, detached_at__isnull=True
        ).select_related("survey")
    )
    shown = []
    for moment in moments:
        count = submissions(moment).count()
        # Named or not: among a few, a chart tells each one's answer.
        if count < access.setting("anonymous_threshold"):
            continue
        questions = [
            question
            for question in moment.survey.in_language().question_list()
            if question.kind not in TEXT_KINDS
        ]
        shown.append((moment, count, summaries(questions, moment)))
    return shown


def testimonies(program, period=None) -> list[Testimony]:
    """Answers their writers allowed to be quoted, of the program's groups,
    given within `period`, none of an anonymous moment held back under its
    threshold; named by the first word of their first name, only where they
    allowed it, in a named survey, and never a person in any youth group.
    A named answer counts from when it was sent; an anonymous one, which
    keeps no time, from when its survey was attached: never by its session,
    which a narrow period could single out (as the results page shows an
    anonymous check-in's sessions only together). Four queries."""
    moments = list(
        Moment.objects.filter(cohort__program=program).select_related(
            "survey", "cohort"
        )
    )
    shown = {moment.pk: moment for moment in not_withheld(moments)}
    quoted = list(
        Answer.objects.filter(submission__moment__in=list(shown))
        .exclude(quote="")
        .exclude(text="")
        .select_related("submission__response__respondent")
        .order_by("submission__moment", "question", "text")
    )
    named = {
        answer.submission.response.respondent_id
        for answer in quoted
        if answer.quote == Answer.Quote.FIRST_NAME and answer.submission.response
    }
    young = set(youth_members(named).values_list("user", flat=True) if named else ())
    found = []
    for answer in quoted:
        moment = shown[answer.submission.moment_id]
        response = answer.submission.response
        given = response.submitted_at if response is not None else moment.attached_at
        if period is not None and not period.contains(given):
            continue
        by = ""
        if (
            answer.quote == Answer.Quote.FIRST_NAME
            and response is not None
            and not moment.cohort.is_youth
            and response.respondent_id not in young
        ):
            by = (response.respondent.first_name.split() or [""])[0]
        found.append(Testimony(text=answer.text, by=by, group=moment.cohort.title))
    return found


def ran_within(period, moments: QuerySet) -> list[Moment]:
    """The moments attached before the period ended and not detached before
    it began: a period's measures count the surveys that ran in it, whole
    (an anonymous answer keeps no time of its own)."""
    if period is not None and period.ends is not None:
        moments = moments.filter(attached_at__lt=period.ends)
    if period is not None and period.starts is not None:
        moments = moments.filter(
            Q(detached_at__isnull=True) | Q(detached_at__gte=period.starts)
        )
    return list(moments)


def youth_members(user_ids) -> QuerySet:
    """Memberships of youth groups among these people, past ones too."""
    return Membership.objects.filter(user__in=user_ids, cohort__is_youth=True)

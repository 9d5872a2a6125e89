from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms_surveys import access, invitations, results
from lms_surveys.models import (
    Answer,
    Moment,
    Reflection,
    Response,
    Survey,
    dashboard_panels,
)
from lms_surveys.questions import GOAL_COMPLETELY, GOAL_MET, SCALE
from sdk import (
    Measure,
    MemberJoined,
    Panel,
    Report,
    SessionCancelled,
    SessionScheduled,
    Tab,
    hookimpl,
)


@hookimpl
def lms_cohort_tabs(cohort, user):
    if not user.is_authenticated:
        return []
    return [Tab(label=_("Surveys"), url=reverse("surveys:group", args=[cohort.pk]))]


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    if not user.is_authenticated:
        return []

    def context():
        return {"moments": access.waiting_surveys(user, cohort)[:5]}

    return [
        Panel(
            title=_("Surveys waiting for you"),
            template="lms_surveys/panel.html",
            context=context,
            cache=dashboard_panels,
            cache_key=f"{user.pk}:{cohort.pk if cohort else ''}",
            cache_scope=str(user.pk),
        )
    ]


@hookimpl
def lms_handle_event(event):
    if isinstance(event, SessionScheduled):
        invitations.session_scheduled(event.session_id, event.cohort_id)
    elif isinstance(event, SessionCancelled):
        invitations.sessions_changed(event.cohort_id)
    elif isinstance(event, MemberJoined):
        invitations.member_joined(event.cohort_id, event.user_id, event.role)


def _measured_keys(moments) -> set[str]:
    """The keys of the scale questions leads marked as the program's measure."""
    surveys = Survey.objects.filter(pk__in={moment.survey_id for moment in moments})
    return {
        question.key
        for survey in surveys
        for question in survey.question_list()
        if question.kind == SCALE and question.measure
    }


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@hookimpl
def lms_testimonies(program, period):
    return results.testimonies(program, period)


@hookimpl
def lms_measures(program, period):
    rate, scale, goal, change = 0.0, 0.0, 0.0, 0.0
    rate_by, scale_by, goal_by, change_by = {}, {}, {}, {}
    if program is not None:
        moments = results.ran_within(
            period,
            Moment.objects.filter(cohort__program=program).select_related("survey"),
        )
        asked: dict[int, int] = {}
        answered: dict[int, int] = {}
        done = dict(
            Response.objects.filter(moment__in=moments, submitted_at__isnull=False)
            .values("moment")
            .annotate(n=Count("id"))
            .values_list("moment", "n")
        )
        rates = results.rates_of(moments)
        for moment in moments:
            for found in rates[moment.pk]:
                asked[moment.cohort_id] = asked.get(moment.cohort_id, 0) + found.asked
            answered[moment.cohort_id] = answered.get(moment.cohort_id, 0) + done.get(
                moment.pk, 0
            )
        rate = _percent(sum(answered.values()), sum(asked.values()))
        rate_by = {key: _percent(answered[key], asked[key]) for key in asked}
        shown = results.not_withheld(moments)
        answers = Answer.objects.filter(submission__moment__in=shown)
        scales = answers.filter(question__in=_measured_keys(moments))
        scale = float(scales.aggregate(a=Avg("number"))["a"] or 0)
        scale_by = {
            row["submission__moment__cohort"]: round(float(row["a"]), 2)
            for row in scales.values("submission__moment__cohort").annotate(
                a=Avg("number")
            )
        }
        goals = answers.filter(question__in=_goal_keys(moments))
        goal_rows = goals.values("submission__moment__cohort").annotate(
            all=Count("id"), met=Count("id", filter=Q(number=GOAL_COMPLETELY))
        )
        goal_by = {
            row["submission__moment__cohort"]: _percent(row["met"], row["all"])
            for row in goal_rows
        }
        goal = _percent(
            sum(row["met"] for row in goal_rows), sum(row["all"] for row in goal_rows)
        )
        change, change_by = _pre_post_change(moments)
    quoted = 0 if program is None else len(results.testimonies(program, period))
    return [
        Measure(
            key="surveys.testimonies",
            label=_("Testimonies people allowed to be quoted"),
            value=quoted,
            unit=_("testimonies"),
        ),
        Measure(
            key="surveys.pre_post_change",
            label=_("Change per person from before to after (measured scale question)"),
            value=change,
            unit=_("points"),
            by_group=change_by,
        ),
        Measure(
            key="surveys.response_rate",
            label=_("Survey response rate"),
            value=rate,
            unit="%",
            by_group=rate_by,
        ),
        Measure(
            key="surveys.scale_average",
            label=_("Average of the measured scale question (1 to 5)"),
            value=round(scale, 2),
            unit=_("of 5"),
            by_group=scale_by,
        ),
        Measure(
            key="surveys.goal_met",
            label=_("Share who completely met their goal"),
            value=goal,
            unit="%",
            by_group=goal_by,
        ),
    ]


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0


def _pre_post_change(moments) -> tuple[float, dict]:
    """The mean of each person's after minus before on the measured scale
    questions of named pre/post pairs: overall and by group."""
    pres = {}
    for moment in sorted(moments, key=lambda moment: moment.attached_at):
        if moment.kind == Moment.Kind.PRE:
            pres[moment.cohort_id] = moment
    surveys = {
        survey.pk: survey
        for survey in Survey.objects.filter(
            pk__in={moment.survey_id for moment in moments}
        )
    }
    everyone, by_group = [], {}
    for post in moments:
        pre = pres.get(post.cohort_id)
        survey = surveys[post.survey_id]
        if post.kind != Moment.Kind.POST or pre is None or survey.anonymous:
            continue
        if surveys[pre.survey_id].anonymous:
            continue
        keys = [
            question.key
            for question in survey.question_list()
            if question.kind == SCALE and question.measure
        ]
        found = results.person_changes(pre, post, keys)
        differences = [
            pair[1] - pair[0]
            for answers in found.values()
            for pair in answers.values()
            if None not in pair
        ]
        everyone += differences
        by_group[post.cohort_id] = _mean(differences)
    return _mean(everyone), by_group


def _goal_keys(moments) -> set[str]:
    surveys = Survey.objects.filter(pk__in={moment.survey_id for moment in moments})
    return {
        question.key
        for survey in surveys
        for question in survey.question_list()
        if question.kind == GOAL_MET
    }


@hookimpl
def lms_reports(cohort):
    """Per moment and question, the counts and averages; anonymous surveys
    below the threshold are left out. No names: the per-person table of a
    named survey is on its results page, for the group's staff."""
    rows = []
    for moment in Moment.objects.filter(cohort=cohort).select_related("survey"):
        moment.cohort = cohort
        if results.withheld(moment, results.submissions(moment).count()):
            continue
        for summary in results.summaries(moment.survey.question_list(), moment):
            for bar in summary.bars:
                rows.append(
                    [
                        moment.survey.title,
                        moment.get_kind_display(),
                        summary.question.text,
                        bar.label,
                        bar.count,
                        "",
                    ]
                )
            if summary.average is not None:
                rows.append(
                    [
                        moment.survey.title,
                        moment.get_kind_display(),
                        summary.question.text,
                        "",
                        summary.answered,
                        summary.average,
                    ]
                )
    columns = [
        _("survey"),
        _("moment"),
        _("question"),
        pgettext("surveys", "answer"),
        _("people"),
        _("average"),
    ]
    return [Report(name=_("Survey results"), columns=columns, rows=rows)]


@hookimpl
def lms_export_user_data(user):
    """The person's own responses. A named survey's answers come with them;
    an anonymous one's cannot: they were stored with no link to anyone, so
    the export says that they answered, not what (their draft, if one is
    waiting, is theirs and is included)."""
    responses = (
        Response.objects.filter(respondent=user)
        .select_related("moment__survey", "session", "submission")
        .order_by("pk")
    )
    named = {
        response.pk: response
        for response in responses
        if not response.moment.survey.anonymous and response.submitted_at
    }
    answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(
        submission__response__in=list(named)
    ).select_related("submission"):
        answers.setdefault(answer.submission.response_id, []).append(answer)
    exported = []
    for response in responses:
        survey = response.moment.survey
        questions = {question.key: question for question in survey.question_list()}
        entry = {
            "survey": survey.title,
            "moment": response.moment.kind,
            "group_id": response.moment.cohort_id,
            "session": response.session.starts_at if response.session else None,
            "submitted_at": response.submitted_at,
            "anonymous": survey.anonymous,
        }
        if response.submitted_at is None:
            entry["draft"] = response.draft
        elif response.pk in named:
            entry["answers"] = [
                {
                    "question": questions[answer.question].text
                    if answer.question in questions
                    else answer.question,
                    "answer": results.value_text(questions[answer.question], [answer])
                    if answer.question in questions
                    else answer.text or str(answer.number),
                }
                for answer in answers.get(response.pk, [])
            ]
        exported.append(entry)
    attached = Moment.objects.filter(attached_by=user).select_related("survey")
    return {
        "survey_responses": exported,
        "surveys_attached": [
            {
                "survey": moment.survey.title,
                "moment": moment.kind,
                "group_id": moment.cohort_id,
                "attached_at": moment.attached_at,
            }
            for moment in attached
        ],
        "session_reflections": [
            {
                "session": reflection.session.starts_at,
                "group_id": reflection.session.cohort_id,
                "went_well": reflection.went_well,
                "to_change": reflection.to_change,
            }
            for reflection in Reflection.objects.filter(author=user).select_related(
                "session"
            )
        ],
    }


@hookimpl
def lms_erase_user_data(user):
    # Their responses and named answers go (the submission cascades with the
    # response); anonymous answers stay, counted in results, linked to no one.
    Response.objects.filter(respondent=user).delete()
    Reflection.objects.filter(author=user).delete()
    Moment.objects.filter(attached_by=user).update(attached_by=None)

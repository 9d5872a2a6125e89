"""Survey pages: a group's surveys, answering (signed in or from an e-mail
link), attaching and detaching, results and their CSV. Each asks `access`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Locale

from lms_surveys import access, answering, invitations, results, timing
from lms_surveys.forms import (
    GOAL_FIELD,
    AnswerForm,
    AttachForm,
    GroupSettingsForm,
    ReflectionForm,
    SessionFilter,
    ShareForm,
    StopQuotingForm,
)
from lms_surveys.models import (
    GroupSettings,
    Moment,
    Reflection,
    Response,
    Survey,
    dashboard_panels,
)
from sdk import (
    SafeCsvWriter,
    first_error,
    full_date,
    is_member,
    nav_context,
    private_download,
    record_goal,
    shown_name,
)

PEOPLE_PER_PAGE = 50


def _surveys_to_attach():
    return Survey.objects.filter(locale=Locale.get_active())


@login_required
@require_http_methods(["GET", "HEAD"])
def group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The group's surveys: what waits for the person; for its facilitators,
    the moments attached, their response rates and the form to attach one."""
    cohort, found = access.space(request.user, cohort_id, request)
    runs = access.runs(found)
    context = {
        **nav_context(cohort, request.user, runs),
        "tab_page": True,
        "runs": runs,
        "shared": results.shared_with_group(cohort),
        "waiting": access.waiting_for(request.user, cohort)
        if access.answers(found)
        else [],
    }
    if runs:
        moments = timing.with_openings(
            list(
                timing.with_spans(access.open_moments(cohort).select_related("survey"))
            )
        )
        rates = results.rates_of(moments)
        for moment in moments:
            moment.rates = rates[moment.pk]
        chosen = GroupSettings.objects.filter(cohort=cohort).first()
        context.update(
            moments=moments,
            now=timezone.now(),
            attach_form=AttachForm(surveys=_surveys_to_attach()),
            invitations_on=chosen is None or chosen.invitations,
            reminders_on=chosen is None or chosen.reminders,
            planned_emails=invitations.plan(cohort, moments, chosen),
        )
        context.update(
            invitations_switch="off" if context["invitations_on"] else "on",
            reminders_switch="off" if context["reminders_on"] else "on",
        )
        sessions = list(access.recent_sessions(cohort)[:10])
        reflected = set(
            Reflection.objects.filter(
                session__in=sessions, author=request.user
            ).values_list("session", flat=True)
        )
        context["reflections"] = [
            (session, session.pk in reflected) for session in sessions
        ]
    return render(request, "lms_surveys/group.html", context)


def _run_group(request: HttpRequest, cohort_id: int):
    cohort, found = access.space(request.user, cohort_id, request)
    if not access.runs(found):
        raise PermissionDenied(_("Only the group's facilitators attach surveys."))
    return cohort


@login_required
@require_POST
def attach(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _run_group(request, cohort_id)
    form = AttachForm(request.POST, surveys=_surveys_to_attach())
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("surveys:group", cohort.pk)
    try:
        with transaction.atomic():
            moment = Moment.objects.create(
                cohort=cohort,
                survey=form.cleaned_data["survey"],
                kind=form.cleaned_data["kind"],
                attached_by=request.user,
            )
    except IntegrityError:
        messages.error(
            request,
            _("This group already has a survey at that moment: detach it first."),
        )
        return redirect("surveys:group", cohort.pk)
    invitations.schedule_moment(moment)
    messages.success(
        request,
        _("“%(survey)s” attached: %(moment)s.")
        % {"survey": moment.survey.title, "moment": moment.get_kind_display()},
    )
    return redirect("surveys:group", cohort.pk)


@login_required
@require_POST
def detach(request: HttpRequest, moment_id: int) -> HttpResponse:
    """A moment nobody answered goes; one with answers keeps them."""
    moment = Moment.objects.filter(pk=moment_id, detached_at__isnull=True).first()
    if moment is None:
        raise Http404
    cohort = _run_group(request, moment.cohort_id)
    if Response.objects.filter(moment=moment).exists():
        Moment.objects.filter(pk=moment.pk).update(detached_at=timezone.now())
        dashboard_panels.invalidate()  # an update sends no signal
    else:
        moment.delete()
    messages.success(request, _("Survey detached. Answers given so far are kept."))
    return redirect("surveys:group", cohort.pk)


@login_required
@require_POST
def share(request: HttpRequest, moment_id: int) -> HttpResponse:
    """Show the moment's charts to the group's members, or stop."""
    moment = Moment.objects.filter(pk=moment_id).first()
    if moment is None:
        raise Http404
    _run_group(request, moment.cohort_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(first_error(form))
    on = form.cleaned_data["on"]
    Moment.objects.filter(pk=moment.pk).update(shared_with_group=on)
    if on:
        messages.success(
            request,
            _("The group's members now see these charts on its Surveys page."),
        )
    else:
        messages.success(request, _("The charts are no longer shown to the group."))
    return redirect("surveys:results", moment.pk)


@login_required
@require_POST
def group_settings(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _run_group(request, cohort_id)
    form = GroupSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("surveys:group", cohort.pk)
    GroupSettings.objects.update_or_create(cohort=cohort, defaults=form.chosen())
    if any(form.chosen().values()):
        invitations.switched_on(cohort)
    messages.success(request, _("Survey e-mail settings saved."))
    return redirect("surveys:group", cohort.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(
    request: HttpRequest, moment_id: int, session_id: int | None = None
) -> HttpResponse:
    moment, session, cohort = access.answerable(
        request.user, moment_id, session_id, request
    )
    return _answer_page(request, moment, session, cohort, request.user, via_link=False)


@require_http_methods(["GET", "HEAD", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Answer from an e-mail without logging in. The link stands for one
    person, moment and session; it works until the answers are in (then it
    says so) and expires after `link_days`. Saving a draft keeps it usable."""
    target = answering.read_answer_token(token)
    user = target and (
        get_user_model().objects.filter(pk=target.user_id, is_active=True).first()
    )
    if not target or not user:
        return _bad_link(request)
    try:
        moment, session, cohort = access.answerable(
            user, target.moment_id, target.session_id, request
        )
    except Http404:
        return _bad_link(request)
    return _answer_page(request, moment, session, cohort, user, via_link=True)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "lms_surveys/bad_link.html",
        {},
        status=400,
    )


def _answer_page(request, moment, session, cohort, user, *, via_link):
    survey = moment.survey.in_language()
    questions = survey.question_list()
    named = {
        "may_name": access.names_testimonies(moment, cohort),
        "anonymous": moment.survey.anonymous,
    }
    # The goal is kept with the person's name: asked in a named survey, and
    # only of the person signed in (an e-mailed link may have been forwarded).
    membership = None
    if asks_goal := (
        moment.kind == Moment.Kind.JOINING
        and cohort.goal_prompt
        and not moment.survey.anonymous
        and request.user == user
    ):
        named["goal_prompt"] = cohort.goal_prompt
        membership = is_member(user, cohort)
    response = answering.response_of(moment, user, session)
    context = {
        "page": cohort,
        "moment": moment,
        "survey": survey,
        # Stored as the attached survey says, whatever its translation says.
        "anonymous": moment.survey.anonymous,
        "session": session,
        "via_link": via_link,
    }
    if response and response.submitted_at:
        return _answered_page(request, response, questions, context, user)
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, questions=questions, **named)
        if request.POST.get("action") == "draft":
            form.is_valid()  # cleaned or not, what was typed is kept
            answering.save_draft(moment, user, session, form)
            messages.success(request, _("Draft saved. Come back to finish it."))
            return redirect(request.path)
        if form.is_valid():
            if answering.submit(moment, user, session, form):
                goal = form.cleaned_data.get(GOAL_FIELD, "").strip()
                if asks_goal and GOAL_FIELD in request.POST and goal != membership.goal:
                    record_goal(membership, goal)
                messages.success(request, _("Thank you: your answers are in."))
            return redirect(request.path)
        answering.save_draft(moment, user, session, form)
        status = 400
    elif response and response.draft:
        form = AnswerForm(questions=questions, **named)
        form.initial = form.initial_from(response.draft)
        if asks_goal:
            form.initial.setdefault(GOAL_FIELD, membership.goal)
        context["draft"] = True
    else:
        form = AnswerForm(questions=questions, **named)
        if asks_goal:
            form.initial = {GOAL_FIELD: membership.goal}
    context["form"] = form
    return render(request, "lms_surveys/answer.html", context, status=status)


def _answered_page(request, response, questions, context, user) -> HttpResponse:
    """Answers in: the ones the person allowed to be quoted, each of which
    they may stop being quoted (a named survey's; an anonymous one's are
    not linked to them). Only to the person signed in: an e-mailed link is
    a bearer token that anyone it was forwarded to could hold."""
    if request.user != user:
        context["sign_in_to_change"] = not context["anonymous"]
        context["log_in"] = (
            reverse("account_login")
            + "?"
            + urlencode({"next": _signed_in_answer_url(context)})
        )
        return render(request, "lms_surveys/answered.html", context)
    quoted = answering.quoted_answers(response)
    status = 200
    if request.method == "POST" and "answer" in request.POST:
        form = StopQuotingForm(request.POST, quoted=quoted)
        if form.is_valid():
            answering.stop_quoting(response, form.cleaned_data["answer"])
            messages.success(request, _("That answer will not be quoted."))
            return redirect(request.path)
        messages.error(request, _("That answer is not one you allowed to be quoted."))
        status = 400
    asked = {question.key: question.text for question in questions}
    context["quoted"] = [
        (answer, asked.get(answer.question, ""), answer.get_quote_display())
        for answer in quoted
    ]
    return render(request, "lms_surveys/answered.html", context, status=status)


def _signed_in_answer_url(context) -> str:
    moment, session = context["moment"], context["session"]
    if session:
        return reverse("surveys:answer_session", args=[moment.pk, session.pk])
    return reverse("surveys:answer", args=[moment.pk])


def _session_filter(request: HttpRequest, moment: Moment) -> int | None:
    """The session asked for (?session=), for a named check-in's results.
    An anonymous one shows all its sessions together: a session held back
    beside the total would be the total minus the others."""
    form = SessionFilter(request.GET)
    if not moment.per_session or moment.survey.anonymous or not form.is_valid():
        return None
    return form.cleaned_data["session"]


@login_required
@require_http_methods(["GET", "HEAD"])
def results_page(request: HttpRequest, moment_id: int) -> HttpResponse:
    moment = access.moment_for_results(request, moment_id)
    survey = moment.survey.in_language()
    session_id = _session_filter(request, moment)
    count = results.submissions(moment, session_id).count()
    hidden = results.withheld(moment, count)
    runs = access.runs(is_member(request.user, moment.cohort))
    context = {
        **nav_context(moment.cohort, request.user, True),
        "tab_page": True,
        "moment": moment,
        "survey": survey,
        "rates": results.response_rates(moment),
        "count": count,
        "withheld": hidden,
        "threshold": access.setting("anonymous_threshold"),
        "session_id": session_id,
        "can_share": runs,
    }
    questions = survey.question_list()
    if not hidden:
        context["summaries"] = results.summaries(questions, moment, session_id)
        context["pre_post"] = results.pre_post(moment, questions)
    if not moment.survey.anonymous:
        responses = Response.objects.filter(
            moment=moment, submitted_at__isnull=False
        ).select_related("respondent", "session")
        if session_id is not None:
            responses = responses.filter(session=session_id)
        people = Paginator(
            responses.order_by("submitted_at", "pk"), PEOPLE_PER_PAGE
        ).get_page(request.GET.get("page"))
        answers = results.per_person(moment, list(people))
        # Youth members' surnames are for the group's staff and superusers.
        to_staff = request.user.is_superuser or runs
        context["people"] = people
        context["people_rows"] = [
            (
                shown_name(response.respondent, moment.cohort, to_staff=to_staff),
                response.session,
                [
                    results.value_text(
                        question, answers.get(response.pk, {}).get(question.key, [])
                    )
                    for question in questions
                ],
            )
            for response in people
        ]
        context["questions"] = questions
        if changes := context.get("pre_post"):
            context["change_rows"] = [
                (
                    name,
                    [
                        _before_after(
                            changes.people.get(response.respondent_id, {}).get(
                                change.question.key
                            )
                        )
                        for change in changes.changes
                    ],
                )
                for response, (name, _session, _values) in zip(
                    people, context["people_rows"], strict=True
                )
            ]
    return render(request, "lms_surveys/results.html", context)


def _before_after(pair: list | None) -> str:
    if not pair:
        return ""
    return " → ".join("" if value is None else f"{value:g}" for value in pair)


@login_required
@require_http_methods(["GET", "HEAD"])
def results_csv(request: HttpRequest, moment_id: int) -> HttpResponse:
    """A named survey: one row per person. An anonymous one: the summary
    alone, and nothing below the threshold."""
    moment = access.moment_for_results(request, moment_id)
    survey = moment.survey.in_language()
    questions = survey.question_list()
    response = private_download(
        b"", f"survey-{moment.pk}-{moment.kind}.csv", "text/csv; charset=utf-8"
    )
    writer = SafeCsvWriter(response)
    if moment.survey.anonymous:
        count = results.submissions(moment).count()
        if results.withheld(moment, count):
            writer.writerow(
                [_("Fewer people answered than are needed to show results.")]
            )
            return response
        writer.writerow(
            [_("question"), pgettext("surveys", "answer"), _("people"), _("average")]
        )
        for summary in results.summaries(questions, moment):
            for bar in summary.bars:
                writer.writerow([summary.question.text, bar.label, bar.count, ""])
            if summary.average is not None:
                writer.writerow(
                    [
                        summary.question.text,
                        "",
                        summary.answered,
                        f"{summary.average:.2f}",
                    ]
                )
        return response
    writer.writerow(
        [pgettext("surveys", "person"), pgettext("surveys", "session"), _("answered")]
        + [question.text for question in questions]
    )
    responses = list(
        Response.objects.filter(moment=moment, submitted_at__isnull=False)
        .select_related("respondent", "session")
        .order_by("submitted_at", "pk")
    )
    answers = results.per_person(moment, responses)
    to_staff = request.user.is_superuser or access.runs(
        is_member(request.user, moment.cohort)
    )
    for found in responses:
        writer.writerow(
            [
                shown_name(found.respondent, moment.cohort, to_staff=to_staff),
                full_date(found.session.starts_at) if found.session else "",
                found.submitted_at.date().isoformat(),
                *[
                    results.value_text(
                        question, answers.get(found.pk, {}).get(question.key, [])
                    )
                    for question in questions
                ],
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflection(request: HttpRequest, session_id: int) -> HttpResponse:
    """A facilitator's reflection on a session of a group they run; the
    group's other staff read theirs beside it."""
    session = access.reflected_session(request.user, session_id, request)
    mine = Reflection.objects.filter(session=session, author=request.user).first()
    form = ReflectionForm(
        request.POST or None,
        initial={"went_well": mine.went_well, "to_change": mine.to_change}
        if mine
        else None,
    )
    if request.method == "POST" and form.is_valid():
        Reflection.objects.update_or_create(
            session=session,
            author=request.user,
            defaults={
                "went_well": form.cleaned_data["went_well"].strip(),
                "to_change": form.cleaned_data["to_change"].strip(),
            },
        )
        messages.success(request, _("Reflection saved."))
        return redirect("surveys:group", session.cohort.pk)
    others = Reflection.objects.filter(session=session).exclude(author=request.user)
    return render(
        request,
        "lms_surveys/reflection.html",
        {
            **nav_context(session.cohort, request.user, True),
            "tab_page": True,
            "session": session,
            "form": form,
            "others": [
                (shown_name(other.author, session.cohort, to_staff=True), other)
                for other in others.select_related("author")
            ],
        },
        status=400 if request.method == "POST" else 200,
    )

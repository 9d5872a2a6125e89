"""Who may do what with surveys: every view and hook asks here.

Members of a group that switched surveys on answer its surveys; its
facilitators and leads attach and detach them and read the results, as do
the leads of its program and superusers (who are not members: results only).
Nobody, whoever they are, sees who gave an anonymous answer.
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_surveys import timing
from lms_surveys.models import Moment, Response
from sdk import (
    CURRENT_MEMBER_STATUSES,
    CohortPage,
    Membership,
    Session,
    groups_using_plugin,
    is_member,
    leads_cohort,
    plugin_space,
    staff_role,
    viewable_cohort,
)

LABEL = "surveys"
# A check-in waits this long after its session, then no longer.
CHECK_IN_DAYS = 14


def setting(name: str):
    return apps.get_app_config(LABEL).plugin_settings[name]


def space(
    user: AbstractBaseUser, cohort_id: int, request: HttpRequest | None = None
) -> tuple[CohortPage, Membership]:
    """The group and the person's membership; 404 to anyone outside it."""
    return plugin_space(user, cohort_id, LABEL, request)


def runs(found: Membership | None) -> bool:
    """Facilitators and leads of the group attach surveys to it."""
    return staff_role(found)


def names_testimonies(moment, cohort: CohortPage) -> bool:
    """A testimony may carry a first name only where answers carry names,
    and never a youth member's."""
    return not moment.survey.anonymous and not cohort.is_youth


def reads_results(
    user: AbstractBaseUser, cohort: CohortPage, found: Membership | None
) -> bool:
    return staff_role(found) or leads_cohort(user, cohort)


def moment_for_results(request: HttpRequest, moment_id: int) -> Moment:
    """A moment whose results the visitor may read; 404 when the group is
    not theirs to see, 403 when they see it but do not run it."""
    moment = Moment.objects.select_related("survey").filter(pk=moment_id).first()
    if moment is None:
        raise Http404
    cohort = viewable_cohort(request, moment.cohort_id)
    if not cohort.uses_plugin(LABEL):
        raise Http404
    if not reads_results(request.user, cohort, is_member(request.user, cohort)):
        raise PermissionDenied(_("Survey results are for the group's facilitators."))
    moment.cohort = cohort
    return moment


def respondents(cohort: CohortPage) -> QuerySet[Membership]:
    """Who is asked: the group's current participants."""
    return respondents_in([cohort])


def respondents_in(cohorts) -> QuerySet[Membership]:
    return Membership.objects.filter(
        cohort__in=cohorts,
        role=Membership.Role.PARTICIPANT,
        status__in=CURRENT_MEMBER_STATUSES,
    )


def answers(found: Membership | None) -> bool:
    return found is not None and found.role == Membership.Role.PARTICIPANT


# A check-in attached the day after a session still asks about it.
CHECK_IN_LOOKS_BACK = timedelta(days=1)


def check_in_sessions(moment: Moment) -> QuerySet[Session]:
    """The sessions an after-each-session check-in asks about: those held
    (ended, not cancelled) since the day before it was attached."""
    return held_sessions([moment.cohort_id]).filter(
        ends_at__gte=moment.attached_at - CHECK_IN_LOOKS_BACK
    )


def held_sessions(cohorts) -> QuerySet[Session]:
    """The groups' sessions that have ended and were not cancelled."""
    return Session.objects.filter(
        cohort__in=cohorts, ends_at__lte=timezone.now()
    ).exclude(status=Session.Status.CANCELLED)


def asks_about(moment: Moment, session: Session) -> bool:
    """Whether the check-in asks about one of `held_sessions`: the test of
    `check_in_sessions`, for sessions already read."""
    return (
        session.cohort_id == moment.cohort_id
        and session.ends_at >= moment.attached_at - CHECK_IN_LOOKS_BACK
    )


def open_moments(cohort: CohortPage) -> QuerySet[Moment]:
    return Moment.objects.filter(cohort=cohort, detached_at__isnull=True)


def waiting_for(user: AbstractBaseUser, cohort: CohortPage) -> list[tuple]:
    """(moment, session or None) the person has not answered yet, of the
    moments open now (lms_surveys/timing.py): three queries whatever the
    number of moments."""
    now = timezone.now()
    moments = timing.open_now(
        list(timing.with_spans(open_moments(cohort).select_related("survey"))), now
    )
    done = set(
        Response.objects.filter(
            moment__in=moments, respondent=user, submitted_at__isnull=False
        ).values_list("moment_id", "session_id")
    )
    recent = now - timedelta(days=CHECK_IN_DAYS)
    sessions = []
    if any(moment.per_session for moment in moments):
        sessions = list(
            Session.objects.filter(cohort=cohort, ends_at__gte=recent, ends_at__lte=now)
            .exclude(status=Session.Status.CANCELLED)
            .order_by("-ends_at")
        )
    waiting = []
    for moment in moments:
        if not moment.per_session:
            if (moment.pk, None) not in done:
                waiting.append((moment, None))
            continue
        since = moment.attached_at - timedelta(days=1)
        waiting.extend(
            (moment, session)
            for session in sessions
            if session.ends_at >= since and (moment.pk, session.pk) not in done
        )
    return waiting


def session_of(moment: Moment, session_id: int | None) -> Session | None:
    """The session a check-in is answered for; 404 for any other."""
    if not moment.per_session:
        if session_id is not None:
            raise Http404
        return None
    found = check_in_sessions(moment).filter(pk=session_id).first()
    if found is None:
        raise Http404
    return found


def answerable(user: AbstractBaseUser, moment_id: int, session_id, request):
    """The moment, its session and the group, for a participant who may
    answer it; 404 to everyone else."""
    moment = (
        Moment.objects.select_related("survey")
        .filter(pk=moment_id, detached_at__isnull=True)
        .first()
    )
    if moment is None:
        raise Http404
    cohort, found = space(user, moment.cohort_id, request)
    if not answers(found) or not _opened_for(moment, user):
        raise Http404
    moment.cohort = cohort
    return moment, session_of(moment, session_id), cohort


def _opened_for(moment: Moment, user: AbstractBaseUser) -> bool:
    """Open now, or begun by the person already (sessions added to a group
    that had none can move a survey's opening later)."""
    return (
        timing.opening_of(moment) <= timezone.now()
        or Response.objects.filter(moment=moment, respondent=user).exists()
    )


def reflected_session(user: AbstractBaseUser, session_id: int, request) -> Session:
    """A session held by a group the user runs; 404 to anyone else."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    cohort, found = space(user, session.cohort_id, request)
    if not runs(found):
        raise Http404
    if session.status == Session.Status.CANCELLED or session.ends_at > timezone.now():
        raise Http404
    session.cohort = cohort
    return session


def recent_sessions(cohort: CohortPage) -> QuerySet[Session]:
    """Sessions held in the last weeks, for the facilitators' reflections."""
    return (
        Session.objects.filter(
            cohort=cohort,
            ends_at__lte=timezone.now(),
            ends_at__gte=timezone.now() - timedelta(days=4 * CHECK_IN_DAYS),
        )
        .exclude(status=Session.Status.CANCELLED)
        .order_by("-starts_at")
    )


def waiting_surveys(user: AbstractBaseUser, cohort: CohortPage | None) -> list[Moment]:
    """Surveys (not check-ins: those are listed in each group's tab) open
    and waiting for the person in the groups where they take part, in one
    query."""
    taking_part = Membership.objects.filter(
        user=user,
        role=Membership.Role.PARTICIPANT,
        status__in=CURRENT_MEMBER_STATUSES,
    ).values("cohort")
    groups = groups_using_plugin(user, LABEL) if cohort is None else [cohort.pk]
    answered = Response.objects.filter(
        respondent=user, submitted_at__isnull=False, session__isnull=True
    ).values("moment")
    waiting = (
        Moment.objects.filter(cohort__in=groups, detached_at__isnull=True)
        .filter(cohort__in=taking_part)
        .exclude(kind=Moment.Kind.AFTER_SESSION)
        .exclude(pk__in=answered)
        .select_related("survey", "cohort")
        .order_by("attached_at")
    )
    return timing.open_now(list(timing.with_spans(waiting)), timezone.now())

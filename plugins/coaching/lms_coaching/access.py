"""Who may see which coaching records: every view and hook asks here.

A session's coach sees all of it; its coachee sees all but the private notes
and private attachments; nobody else sees it at all, whatever their role
(superusers included, outside the admin listing, which never shows notes).
Leads see roll-ups of the programs they lead, with no names and no note text.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from lms_coaching.models import Attachment, CoachingSession
from sdk import (
    CohortPage,
    Membership,
    leads_cohort,
    led_programs,
    managed_cohorts,
    plugin_space,
    viewable_groups,
)

LABEL = "coaching"


def reads_group_rollup(
    user: AbstractBaseUser, cohort: CohortPage, found: Membership | None
) -> bool:
    """The group's lead, its program's leads and superusers: numbers only."""
    return (found is not None and found.role == Membership.Role.LEAD) or leads_cohort(
        user, cohort
    )


def reads_rollups(user: AbstractBaseUser) -> bool:
    """The program-wide numbers: for leads of a program and superusers."""
    return user.is_authenticated and (user.is_superuser or led_programs(user).exists())


def rollup_sessions(user: AbstractBaseUser) -> QuerySet[CoachingSession]:
    """The sessions of the groups of the programs `user` leads."""
    return CoachingSession.objects.filter(cohort__in=managed_cohorts(user))


def cohort_for(
    user: AbstractBaseUser, cohort_id: int, request: HttpRequest | None = None
) -> tuple[CohortPage, Membership]:
    """The group and the user's current membership; 404 for anyone outside it
    or when coaching is not switched on there (views pass their `request`, so
    a group's password typed in the browser counts: `plugin_space`)."""
    return plugin_space(user, cohort_id, LABEL, request)


def sessions_of(
    user: AbstractBaseUser, request: HttpRequest | None = None
) -> QuerySet[CoachingSession]:
    """Sessions the user coached or was coached in, in groups whose pages
    they may see: none of an unpublished group or of one whose privacy
    settings refuse them (views pass their `request`, so a group's password
    typed in the browser counts: `viewable_groups`)."""
    if not user.is_authenticated:
        return CoachingSession.objects.none()
    return CoachingSession.objects.filter(
        Q(coach=user) | Q(coachee=user), cohort__in=viewable_groups(user, request)
    )


def session_for(
    user: AbstractBaseUser, session_id: int, request: HttpRequest
) -> CoachingSession:
    """One of the user's sessions; 404 (not 403) so others learn nothing."""
    session = (
        sessions_of(user, request)
        .select_related("cohort", "coach", "coachee")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def sees_private(user: AbstractBaseUser, session: CoachingSession) -> bool:
    return session.coach_id is not None and session.coach_id == user.pk


def attachments_for(
    user: AbstractBaseUser, session: CoachingSession
) -> QuerySet[Attachment]:
    attachments = session.attachments.all()
    return (
        attachments if sees_private(user, session) else attachments.filter(shared=True)
    )

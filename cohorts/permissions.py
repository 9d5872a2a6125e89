"""Who may see and do what in a cohort: one rule per question.

The rules take a membership already looked up (`membership()`), so a page
that asks several questions queries once and answers them all the same way
the views that enforce them do.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    RSVP,
    CohortPage,
    Membership,
    Program,
    Session,
)

STAFF_ROLES = {Membership.Role.FACILITATOR, Membership.Role.LEAD}


def own_membership(user: AbstractBaseUser, cohort: CohortPage) -> Membership | None:
    """The user's membership in any state but "left" (waiting and invited too)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(cohort=cohort, user=user)
        .exclude(status=Membership.Status.LEFT)
        .first()
    )


def current(found: Membership | None) -> Membership | None:
    """Only a current (active or completed) membership makes someone a member."""
    return (
        found if found is not None and found.status in CURRENT_MEMBER_STATUSES else None
    )


def membership(user: AbstractBaseUser, cohort: CohortPage) -> Membership | None:
    """The user's current (active or completed) membership of the cohort."""
    return current(own_membership(user, cohort))


def staff_role(found: Membership | None) -> bool:
    """The membership is a facilitator's or a lead's."""
    return found is not None and found.role in STAFF_ROLES


def facilitates(user: AbstractBaseUser, found: Membership | None) -> bool:
    """Facilitators and leads of the cohort (and superusers) run it."""
    if user.is_authenticated and user.is_superuser:
        return True
    return staff_role(found)


def insider(user: AbstractBaseUser, found: Membership | None) -> bool:
    """Members and the people running the cohort see its member-only pages."""
    return found is not None or facilitates(user, found)


def sees_place(user: AbstractBaseUser, found: Membership | None, answer: str) -> bool:
    """The exact address and meeting link are for confirmed attendees (answer
    "going") and the people running the cohort."""
    return facilitates(user, found) or answer == RSVP.Status.GOING


def may_answer(
    user: AbstractBaseUser, cohort: CohortPage, found: Membership | None
) -> bool:
    """Members answer for their cohort's sessions; anyone signed in for events."""
    return user.is_authenticated and (found is not None or cohort.open_to_everyone)


def can_facilitate(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    return facilitates(user, membership(user, cohort))


def can_rsvp(user: AbstractBaseUser, session: Session) -> bool:
    cohort = session.cohort
    found = None if cohort.open_to_everyone else membership(user, cohort)
    return may_answer(user, cohort, found)


def led_programs(user: AbstractBaseUser) -> QuerySet[Program]:
    """The programs whose groups, reports and people `user` may manage as a
    program lead: those naming them a lead (Program.leads); all for superusers."""
    return Program.objects.led_by(user)


def leads_cohort(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    """A lead of the cohort's program (or a superuser); a lead of another
    program is no one here."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return led_programs(user).filter(pk=cohort.program_id).exists()


def managed_cohorts(user: AbstractBaseUser) -> QuerySet[CohortPage]:
    """The groups whose sessions, memberships and announcements `user`
    manages in the admin: those of the programs they lead."""
    if user.is_authenticated and user.is_superuser:
        return CohortPage.objects.all()
    return CohortPage.objects.filter(program__in=led_programs(user))

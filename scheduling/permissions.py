"""Who may answer for a session, and who is shown where it meets."""

from django.contrib.auth.base_user import AbstractBaseUser

from cohorts.models import Membership
from cohorts.permissions import facilitates, may_answer, membership
from scheduling.models import RSVP, Session


def sees_place(user: AbstractBaseUser, found: Membership | None, answer: str) -> bool:
    """The exact address and meeting link are for confirmed attendees (answer
    "going") and the people running the cohort."""
    return facilitates(user, found) or answer == RSVP.Status.GOING


def answers_of(user: AbstractBaseUser, sessions: list[Session]) -> dict[int, str]:
    """The person's answers to these sessions, by session id (one query;
    none for no one or no sessions)."""
    if not user.is_authenticated or not sessions:
        return {}
    return dict(
        RSVP.objects.filter(user=user, session__in=sessions).values_list(
            "session_id", "status"
        )
    )


def sees_session_place(user: AbstractBaseUser, session: Session) -> bool:
    """The person is shown where the session meets (its address and meeting
    link), as on the group's page: those running its group and those going."""
    if not user.is_authenticated:
        return False
    answer = (
        RSVP.objects.filter(session=session, user=user)
        .values_list("status", flat=True)
        .first()
    )
    return sees_place(user, membership(user, session.cohort), answer or "")


def can_rsvp(user: AbstractBaseUser, session: Session) -> bool:
    cohort = session.cohort
    found = None if cohort.open_to_everyone else membership(user, cohort)
    return may_answer(user, cohort, found)

"""Who may answer for a session, and who is shown where it meets."""

from django.contrib.auth.base_user import AbstractBaseUser

from cohorts.models import Membership
from cohorts.permissions import facilitates, may_answer, membership
from scheduling.models import RSVP, Session


def sees_place(user: AbstractBaseUser, found: Membership | None, answer: str) -> bool:
    """The exact address and meeting link are for confirmed attendees (answer
    "going") and the people running the cohort."""
    return facilitates(user, found) or answer == RSVP.Status.GOING


def can_rsvp(user: AbstractBaseUser, session: Session) -> bool:
    cohort = session.cohort
    found = None if cohort.open_to_everyone else membership(user, cohort)
    return may_answer(user, cohort, found)

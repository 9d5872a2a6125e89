"""Who may see and do what in a cohort: one helper per question."""

from django.contrib.auth.base_user import AbstractBaseUser

from cohorts.models import RSVP, CohortPage, Membership, Session

STAFF_ROLES = {Membership.Role.FACILITATOR, Membership.Role.LEAD}


def membership(user: AbstractBaseUser, cohort: CohortPage) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        cohort=cohort,
        user=user,
        status__in=[Membership.Status.ACTIVE, Membership.Status.COMPLETED],
    ).first()


def is_member(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    return membership(user, cohort) is not None


def can_facilitate(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    """Facilitators and leads of this cohort (and superusers) run it."""
    if user.is_authenticated and user.is_superuser:
        return True
    found = membership(user, cohort)
    return found is not None and found.role in STAFF_ROLES


def can_rsvp(user: AbstractBaseUser, session: Session) -> bool:
    """Members answer for their cohort's sessions; anyone signed in for events."""
    if not user.is_authenticated:
        return False
    cohort = session.cohort
    if cohort.kind == CohortPage.Kind.SPEAKER_EVENT and cohort.signup_open:
        return True
    return is_member(user, cohort)


def can_see_place(user: AbstractBaseUser, session: Session) -> bool:
    """The address and meeting link are for people confirmed as going."""
    if can_facilitate(user, session.cohort):
        return True
    return (
        user.is_authenticated
        and RSVP.objects.filter(
            session=session, user=user, status=RSVP.Status.GOING
        ).exists()
    )

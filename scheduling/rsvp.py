"""RSVPs with seat limits enforced under a row lock on the session.

Every change locks the session row (`select_for_update`) before counting
seats, so concurrent clicks queue up: 50 people answering "going" to a
20-seat session at once get exactly 20 seats and 30 waiting-list places.
On SQLite the immediate transactions serialise writers the same way.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from lms.events import RSVPChanged, emit
from scheduling.models import RSVP, Session
from scheduling.signals import seats_given

# What a person can answer; "waitlisted" is the site's answer, not theirs.
ANSWER_CHOICES = [
    (RSVP.Status.GOING, RSVP.Status.GOING.label),
    (RSVP.Status.MAYBE, RSVP.Status.MAYBE.label),
    (RSVP.Status.DECLINED, RSVP.Status.DECLINED.label),
]


class RSVPError(Exception):
    """The answer cannot be recorded; the message is for the participant."""


def respond(session: Session, user: AbstractBaseUser, answer: str) -> RSVP:
    """Record the user's answer; "going" beyond the seats means waitlisted."""
    if answer not in dict(ANSWER_CHOICES):
        raise RSVPError(_("Choose going, maybe or not going."))
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.CANCELLED:
            raise RSVPError(_("This session has been cancelled."))
        # Checked under the session's lock, which leaving (and removal in the
        # admin, which leaves first) takes too: an answer racing someone's
        # leaving is refused, or cancelled with their others.
        if answer != RSVP.Status.DECLINED and not _may_take_seat(session, user):
            raise RSVPError(_("You are no longer in this group."))
        rsvp = RSVP.objects.filter(session=session, user=user).first()
        previous = rsvp.status if rsvp else None
        status = answer
        wants_seat = answer == RSVP.Status.GOING and previous != RSVP.Status.GOING
        # Someone already waiting keeps their place rather than jumping the queue.
        if wants_seat and (
            previous == RSVP.Status.WAITLISTED or not _has_free_seat(session)
        ):
            status = RSVP.Status.WAITLISTED
        if status == previous:
            return rsvp  # keeps a waiting-list place where it is
        if rsvp is None:
            rsvp = RSVP.objects.create(session=session, user=user, status=status)
        else:
            rsvp.status = status
            rsvp.save(update_fields=["status", "updated_at"])
        emit(RSVPChanged(session_id=session.pk, user_id=user.pk, status=status))
        if previous == RSVP.Status.GOING:
            promote_waitlisted(session)
    return rsvp


def _may_take_seat(session: Session, user: AbstractBaseUser) -> bool:
    """A current member, or anyone for a speaker event open for sign-up.

    A current membership is required rather than the absence of a "left"
    one: a membership deleted in the admin leaves no row behind. Anyone may
    still decline, which only ever gives a seat back.
    """
    return session.cohort.open_to_everyone or (
        Membership.objects.filter(
            cohort=session.cohort_id, user=user.pk, status__in=CURRENT_MEMBER_STATUSES
        ).exists()
    )


def withdraw(cohort: CohortPage, user: AbstractBaseUser) -> None:
    """Cancel the user's answers to the cohort's coming sessions (they left,
    or are no longer a current member), giving their seats to the waiting list.

    The sessions are locked before the answers are read, so an answer given
    at the same moment is either seen here or refused by `respond`.
    """
    coming = Session.objects.filter(
        cohort=cohort, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
    )
    locked = list(coming.select_for_update().order_by("pk").values_list("pk"))
    answered = RSVP.objects.filter(
        user=user,
        session__in=[pk for (pk,) in locked],
        status__in=[RSVP.Status.GOING, RSVP.Status.MAYBE, RSVP.Status.WAITLISTED],
    ).select_related("session")
    for rsvp in answered:
        respond(rsvp.session, user, RSVP.Status.DECLINED)


def _has_free_seat(session: Session) -> bool:
    if session.capacity is None:
        return True
    going = session.rsvps.filter(status=RSVP.Status.GOING).count()
    return going < session.capacity


def promote_waitlisted(session: Session) -> list[RSVP]:
    """Give free seats to the waiting list, first come first served.

    Call inside a transaction holding the session's row lock.
    """
    waiting = session.rsvps.filter(status=RSVP.Status.WAITLISTED).order_by(
        "updated_at", "pk"
    )
    if session.capacity is not None:
        going = session.rsvps.filter(status=RSVP.Status.GOING).count()
        waiting = waiting[: max(session.capacity - going, 0)]
    promoted = list(waiting)
    for rsvp in promoted:
        rsvp.status = RSVP.Status.GOING
        rsvp.save(update_fields=["status", "updated_at"])
        emit(RSVPChanged(session_id=session.pk, user_id=rsvp.user_id, status="going"))
    if promoted:
        seats_given.send(
            sender=Session,
            session=session,
            user_ids=[rsvp.user_id for rsvp in promoted],
        )
    return promoted

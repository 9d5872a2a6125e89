"""Joining and leaving cohorts, with the cohort's places enforced under a lock."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cohorts.models import CohortPage, Membership
from lms.events import MemberJoined, MemberLeft, emit


class JoinError(Exception):
    """Joining is not possible; the message is for the person trying."""


def join(cohort: CohortPage, user: AbstractBaseUser, goal: str = "") -> Membership:
    """Make the user a participant, or waitlist them when the places are taken."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        cohort = CohortPage.objects.select_for_update().get(pk=cohort.pk)
        if not cohort.signup_open:
            raise JoinError(_("Sign-up for this group is closed."))
        existing = Membership.objects.filter(cohort=cohort, user=user).first()
        if existing and existing.status != Membership.Status.LEFT:
            return existing
        taken = Membership.objects.filter(
            cohort=cohort,
            role=Membership.Role.PARTICIPANT,
            status=Membership.Status.ACTIVE,
        ).count()
        full = cohort.capacity is not None and taken >= cohort.capacity
        status = Membership.Status.WAITLISTED if full else Membership.Status.ACTIVE
        if existing:
            existing.status, existing.goal = status, goal or existing.goal
            existing.save(update_fields=["status", "goal", "updated_at"])
            membership = existing
        else:
            membership = Membership.objects.create(
                cohort=cohort, user=user, status=status, goal=goal
            )
        if status == Membership.Status.ACTIVE:
            emit(MemberJoined(cohort_id=cohort.pk, user_id=user.pk, role="participant"))
    return membership


def leave(membership: Membership) -> None:
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.LEFT)
    emit(MemberLeft(cohort_id=membership.cohort_id, user_id=membership.user_id))

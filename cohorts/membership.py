"""Joining and leaving cohorts, with the cohort's places enforced under a lock."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from cohorts.calendar import feeds, person_scope
from cohorts.dashboard import standing_changed
from cohorts.models import CohortPage, Membership
from cohorts.notifications import tell_place_opened
from cohorts.paths import first_complete_message, missing_prerequisites
from cohorts.rsvp import withdraw
from lms.events import MemberJoined, MemberLeft, emit
from lms.mail import absolute_url, send_templated_email
from lms.tokens import make_token, read_token


class JoinError(Exception):
    """Joining is not possible; the message is for the person trying."""


def join(cohort: CohortPage, user: AbstractBaseUser, goal: str = "") -> Membership:
    """Make the user a participant, or waitlist them when the places are taken."""
    with transaction.atomic():
        cohort = CohortPage.objects.select_for_update().get(pk=cohort.pk)
        if not cohort.signup_open:
            raise JoinError(_("Sign-up for this group is closed."))
        missing = missing_prerequisites(user, cohort.course) if cohort.course else []
        if missing:
            raise JoinError(first_complete_message(missing))
        existing = Membership.objects.filter(cohort=cohort, user=user).first()
        # Someone invited, or who left, joins like anyone new.
        if existing and existing.status not in {
            Membership.Status.LEFT,
            Membership.Status.INVITED,
        }:
            return existing
        taken = Membership.objects.filter(
            cohort=cohort,
            role=Membership.Role.PARTICIPANT,
            status=Membership.Status.ACTIVE,
        ).count()
        full = cohort.capacity is not None and taken >= cohort.capacity
        status = Membership.Status.WAITLISTED if full else Membership.Status.ACTIVE
        if existing:
            # Roles are a lead's to give: someone who left comes back as a
            # participant; an invitation keeps the role the lead invited to.
            if existing.status == Membership.Status.LEFT:
                existing.role = Membership.Role.PARTICIPANT
            existing.status, existing.goal = status, goal or existing.goal
            existing.save(update_fields=["status", "role", "goal", "updated_at"])
            membership = existing
        else:
            membership = Membership.objects.create(
                cohort=cohort, user=user, status=status, goal=goal
            )
        if status == Membership.Status.ACTIVE:
            emit(MemberJoined(cohort_id=cohort.pk, user_id=user.pk, role="participant"))
    return membership


def leave(membership: Membership) -> Membership | None:
    """Leave the cohort; a participant's place goes to the first on the waiting
    list, and their seats at coming sessions to those sessions' waiting lists.
    Returns the membership promoted, if any."""
    with transaction.atomic():
        cohort = CohortPage.objects.select_for_update().get(pk=membership.cohort_id)
        left = Membership.objects.filter(pk=membership.pk).exclude(
            status=Membership.Status.LEFT
        )
        was_active = left.filter(status=Membership.Status.ACTIVE).exists()
        if not left.update(status=Membership.Status.LEFT):
            return None  # already gone: nothing changes, nobody is promoted
        withdraw(cohort, membership.user)
        # A conditional update sends no signal to the caches that listen.
        feeds.invalidate_scope(person_scope(membership.user_id))
        standing_changed(cohort.pk)
        emit(MemberLeft(cohort_id=cohort.pk, user_id=membership.user_id))
        if not was_active or membership.role != Membership.Role.PARTICIPANT:
            return None
        promoted = (
            Membership.objects.filter(
                cohort=cohort, status=Membership.Status.WAITLISTED
            )
            .order_by("joined_at", "pk")
            .first()
        )
        if promoted is not None:
            promoted.status = Membership.Status.ACTIVE
            promoted.save(update_fields=["status", "updated_at"])
            emit(
                MemberJoined(
                    cohort_id=cohort.pk, user_id=promoted.user_id, role="participant"
                )
            )
            tell_place_opened(promoted)
    return promoted


JOIN_SALT = "cohorts.join"
JOIN_LINK_MAX_AGE = timedelta(days=3)


def send_join_link(
    cohort: CohortPage, name: str, email: str, goal: str, language: str
) -> None:
    """E-mail a link that creates the account (if needed) and joins the cohort.

    Nothing is stored until the link is used, and the answer is the same
    whether or not the address already has an account.
    """
    send_join_link_task.enqueue(
        cohort_id=cohort.pk, name=name, email=email, goal=goal, language=language
    )


@task()
def send_join_link_task(
    cohort_id: int, name: str, email: str, goal: str, language: str
) -> None:
    cohort = CohortPage.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return
    token = make_token({"c": cohort_id, "e": email, "n": name, "g": goal}, JOIN_SALT)
    with translation.override(language):
        link = absolute_url(reverse("cohorts:confirm_join", args=[token]))
    send_templated_email(
        "cohorts/email/join_link",
        {"cohort": cohort, "name": name, "link": link},
        to=email,
        language=language,
    )


def read_join_token(token: str) -> dict | None:
    payload = read_token(token, JOIN_SALT, JOIN_LINK_MAX_AGE)
    if not isinstance(payload, dict) or not {"c", "e", "n", "g"} <= payload.keys():
        return None
    return payload


def account_for_email(email: str, name: str) -> AbstractBaseUser:
    """The account for a proven e-mail address, created on first use."""
    from allauth.account.models import EmailAddress

    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": name[:150]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user

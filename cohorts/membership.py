"""Joining and leaving cohorts, with the cohort's places enforced under a lock."""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from cohorts.joining import JOIN_LINK_MAX_AGE, account_state, hash_token, new_token
from cohorts.models import CohortPage, Membership, PendingJoin
from cohorts.signals import membership_left, membership_promoted
from lms.audit import record
from lms.events import CohortCompleted, MemberJoined, MemberLeft, emit
from lms.mail import absolute_url, send_templated_email
from lms.task_queues import EMAIL_QUEUE


class JoinError(Exception):
    """Joining is not possible; the message is for the person trying."""


# What a person must have done before joining a group, asked by the apps above
# (the learning app's prerequisite courses), added in their AppConfig.ready():
# name -> check(user, cohort), which says what is missing, or "" for nothing.
join_requirements: dict[str, Callable[[AbstractBaseUser, CohortPage], str]] = {}


def unmet_requirement(user: AbstractBaseUser, cohort: CohortPage) -> str:
    """Why `user` may not join `cohort` yet, or "" when nothing stops them."""
    for check in join_requirements.values():
        missing = check(user, cohort)
        if missing:
            return missing
    return ""


def join(cohort: CohortPage, user: AbstractBaseUser, goal: str = "") -> Membership:
    """Make the user a participant, or waitlist them when the places are taken."""
    with transaction.atomic():
        cohort = CohortPage.objects.select_for_update().get(pk=cohort.pk)
        existing = Membership.objects.filter(cohort=cohort, user=user).first()
        # Someone already in stays as they are, sign-up open or not; someone
        # invited, or who left, joins like anyone new.
        if existing and existing.status not in {
            Membership.Status.LEFT,
            Membership.Status.INVITED,
        }:
            return existing
        if not cohort.signup_open:
            raise JoinError(_("Sign-up for this group is closed."))
        missing = unmet_requirement(user, cohort)
        if missing:
            raise JoinError(missing)
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


def record_goal(membership: Membership, goal: str) -> None:
    """What the participant hopes to get out of the group, as they put it
    again later (a plugin's joining survey asks it)."""
    membership.goal = goal
    membership.save(update_fields=["goal", "updated_at"])


def record_wrap_up(membership: Membership, *, goal_met: bool, reflection: str) -> None:
    """The participant's word at the end: whether they met their goal, and
    the group completed. Answering again changes the answer only."""
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(
            goal_met=goal_met, goal_reflection=reflection
        )
        completing = Membership.objects.filter(pk=membership.pk).exclude(
            status=Membership.Status.COMPLETED
        )
        if completing.update(
            status=Membership.Status.COMPLETED, updated_at=timezone.now()
        ):
            announce_completed(membership)


def announce_completed(membership: Membership) -> None:
    """Tell plugins a member completed the group (once the change commits)."""
    emit(CohortCompleted(cohort_id=membership.cohort_id, user_id=membership.user_id))


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
        # Scheduling gives up their seats at coming sessions.
        membership_left.send(sender=Membership, membership=membership)
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
            membership_promoted.send(sender=Membership, membership=promoted)
    return promoted


def send_join_link(
    cohort: CohortPage, name: str, email: str, goal: str, language: str
) -> None:
    """E-mail a link that creates the account (if needed) and joins the cohort.

    The request waits server-side; the answer is the same whether or not the
    address already has an account.
    """
    now = timezone.now()
    PendingJoin.objects.purge()
    # The request and its task together: no request the mail never goes out for.
    with transaction.atomic():
        pending = PendingJoin.objects.create(
            cohort=cohort,
            email=email,
            name=name,
            goal=goal,
            language=language,
            created_at=now,
            expires_at=now + JOIN_LINK_MAX_AGE,
        )
        send_join_link_task.enqueue(pending_join_id=pending.pk)


def account_of(email: str) -> AbstractBaseUser | None:
    return get_user_model().objects.filter(email__iexact=email).first()


def may_join_by_link(user: AbstractBaseUser | None) -> bool:
    """Staff log in with their password: a link in a mailbox must never open
    the admin. Leads and facilitators reach it through their groups without
    `is_staff`, and only staff have groups (lms.roles), so any group counts.
    Deactivated accounts are not signed in either."""
    if user is None:
        return True
    if not user.is_active or user.is_staff or user.is_superuser:
        return False
    return not user.has_perm("wagtailadmin.access_admin") and not (user.groups.exists())


@task(queue_name=EMAIL_QUEUE)
def send_join_link_task(pending_join_id: int) -> None:
    pending = (
        PendingJoin.objects.usable()
        .select_related("cohort")
        .filter(pk=pending_join_id, token_hash__isnull=True)
        .first()
    )
    if pending is None:
        return
    user = account_of(pending.email)
    context = {"cohort": pending.cohort, "name": pending.name}
    if not may_join_by_link(user):
        pending.delete()
        if user.is_active:
            with translation.override(pending.language):
                login = absolute_url(reverse("account_login"))
            send_templated_email(
                "cohorts/email/join_with_password",
                {**context, "link": login},
                to=pending.email,
                language=pending.language,
            )
        return
    token = new_token()
    pending.token_hash = hash_token(token)
    pending.account_state = account_state(user)
    pending.save(update_fields=["token_hash", "account_state"])
    with translation.override(pending.language):
        link = absolute_url(reverse("cohorts:confirm_join", args=[token]))
    send_templated_email(
        "cohorts/email/join_link",
        {**context, "link": link},
        to=pending.email,
        language=pending.language,
    )


def pending_join(token: str, *, use: bool = False) -> PendingJoin | None:
    """The request a join link stands for, while the link still works; with
    `use`, the link is spent (whatever happens next, it works only once)."""
    pending = PendingJoin.objects.usable().filter(token_hash=hash_token(token)).first()
    if pending is None:
        return None
    # Spent by a conditional update: of two clicks at once, one wins.
    spent = PendingJoin.objects.usable().filter(pk=pending.pk)
    if use:
        if not spent.update(used_at=timezone.now()):
            return None
        # Spent, it only holds an address and a name: gone (the caller keeps
        # the copy in hand).
        PendingJoin.objects.filter(pk=pending.pk).delete()
    user = account_of(pending.email)
    if account_state(user) != pending.account_state or not may_join_by_link(user):
        return None
    return pending


def account_for_email(email: str, name: str) -> AbstractBaseUser:
    """The account for an address just proven by a join link, created on
    first use.

    An account whose address was never verified may have been opened by
    someone else with a password of their own (pre-hijacking): proving the
    address removes that password, which also ends every session opened with
    it (Django checks each session against the password's hash).
    """
    # Addresses are compared ignoring case everywhere (account_of): an
    # account made as "Alice@Example.com" is the one for "alice@example.com".
    user, created = get_user_model().objects.get_or_create(
        email__iexact=email, defaults={"email": email, "first_name": name[:150]}
    )
    proven = EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True
    ).exists()
    if created or not proven:
        had_password = not created and user.has_usable_password()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if had_password:
            record(None, "user.password_removed", subject=user, target=user)
    # Kept as proven (allauth looks addresses up in lower case).
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=email,
        defaults={"email": email, "verified": True, "primary": True},
    )
    return user

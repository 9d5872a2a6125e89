"""The notifications inbox: one per person, for core and plugins alike.

Kinds are declared by core (below) and by plugins (`lms_notification_kinds`);
`notify` files one notification per recipient in one INSERT, skipping those
who turned the kind off. The text is made when it is shown (`entries`), in
the reader's language, and only when the reader may still see what it is
about. The unread count in the site's header is cached per person and
dropped whenever their notifications change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.shortcuts import get_object_or_404
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from cohorts.permissions import STAFF_ROLES, viewable_groups
from cohorts.privacy import shown_name
from lms import dates
from lms.hookspecs import Delivery, NotificationKind
from lms.plugins import call_each
from lms.versioned_cache import VersionedCache
from notifications.models import Notification, NotificationPreference
from scheduling.models import RSVP

# The unread count in the header: kept until the person's notifications change.
unread_cache = VersionedCache("inbox", ttl_seconds=60 * 60)

# A moment in `params`, kept as text and shown in the reader's language.
MOMENT = "moment"

# Sent by `notify` with the notifications just filed (in the caller's
# transaction): the e-mails react to it (notifications/inbox_emails.py).
notified = Signal()


class UnknownKind(ValueError):
    """`notify` was given a kind nobody declared."""


def _scope(user_id: int) -> str:
    return f"user:{user_id}"


def _group_members(user: AbstractBaseUser, notifications: Sequence) -> set[int]:
    """The notifications about a group the reader still belongs to (current
    member or staff, the group's page still theirs to see)."""
    groups = {n.cohort_id for n in notifications if n.cohort_id}
    if user.is_superuser:
        mine = groups
    else:
        mine = set(
            Membership.objects.filter(
                user=user,
                status__in=CURRENT_MEMBER_STATUSES,
                cohort__in=viewable_groups(user).filter(pk__in=groups),
            ).values_list("cohort_id", flat=True)
        )
    return {n.pk for n in notifications if n.cohort_id is None or n.cohort_id in mine}


def _coming_or_members(user: AbstractBaseUser, notifications: Sequence) -> set[int]:
    """About a session: the group's members, and whoever answered for it
    (an event open to everyone), while the group's page is theirs to see."""
    visible = _group_members(user, notifications)
    others = [n for n in notifications if n.pk not in visible]
    if not others:
        return visible
    answered = set(
        RSVP.objects.filter(
            user=user,
            session__in=[n.target_id for n in others],
            session__cohort__in=viewable_groups(user),
        ).values_list("session_id", flat=True)
    )
    return visible | {n.pk for n in others if n.target_id in answered}


ANNOUNCEMENT = NotificationKind(
    name="announcement",
    label=gettext_lazy("Announcements in your groups"),
    message=gettext_lazy("%(actor)s posted “%(subject)s” in %(group)s"),
    description=gettext_lazy(
        "Whether announcements are also e-mailed is chosen for each group in "
        "your e-mail settings."
    ),
    deliveries=(Delivery.INBOX, Delivery.OFF),
    visible=_group_members,
)
SESSION_CANCELLED = NotificationKind(
    name="session_cancelled",
    label=gettext_lazy("A session you are going to is cancelled"),
    message=gettext_lazy("%(session)s on %(when)s is cancelled"),
    description=gettext_lazy(
        "Cancellation e-mails follow your choice of session reminders in your "
        "e-mail settings."
    ),
    deliveries=(Delivery.INBOX, Delivery.OFF),
    visible=_coming_or_members,
)
SESSION_MOVED = NotificationKind(
    name="session_moved",
    label=gettext_lazy("A session you are going to moves"),
    message=gettext_lazy("%(session)s moved to %(when)s"),
    description=gettext_lazy("Session reminders are e-mailed for the new time."),
    deliveries=(Delivery.INBOX, Delivery.OFF),
    visible=_coming_or_members,
)
SEAT_GIVEN = NotificationKind(
    name="seat_given",
    label=gettext_lazy("A seat opens for you at a session you wait for"),
    message=gettext_lazy("A seat opened: you are going to %(session)s on %(when)s"),
    default_delivery=Delivery.EMAIL,
    visible=_coming_or_members,
)
CORE_KINDS = (ANNOUNCEMENT, SESSION_CANCELLED, SESSION_MOVED, SEAT_GIVEN)


def kinds() -> dict[str, NotificationKind]:
    """Every kind by name: core's, then the plugins' (a kind named like an
    earlier one is left out)."""
    found = {kind.name: kind for kind in CORE_KINDS}
    for result in call_each("lms_notification_kinds"):
        for kind in result.value or ():
            found.setdefault(kind.name, kind)
    return found


def choices_of(user: AbstractBaseUser) -> dict[str, str]:
    """The person's delivery for every kind: their choice, else the default."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
    )
    return {
        name: chosen.get(name, kind.default_delivery) for name, kind in kinds().items()
    }


def _stored(value: object) -> object:
    if isinstance(value, datetime):
        return {MOMENT: value.isoformat()}
    return value


def local_path(url: str) -> bool:
    """A path on this site (never another site's address)."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts=None
    )


def notify(
    recipients: Iterable[AbstractBaseUser | int] | models.QuerySet,
    kind: str,
    *,
    actor: AbstractBaseUser | None = None,
    cohort: CohortPage | None = None,
    url: str = "",
    target: models.Model | None = None,
    params: dict | None = None,
) -> int:
    """Tell each recipient, in their inbox, as they chose for `kind`;
    returns how many were told.

    One query reads the recipients' choices and one INSERT files them all,
    however many they are. The actor is never told of what they did
    themselves. `url` is a path on this site (without a language prefix:
    it is opened in the reader's language); `target` a row the reader is
    sent to (its `get_absolute_url()` or `url`) when there is no `url`;
    without either, the group's page.
    `params` fill the kind's message: text, numbers, or datetimes (shown
    in the reader's language, in the group's time zone).
    """
    declared = kinds().get(kind)
    if declared is None:
        raise UnknownKind(kind)
    if url and not local_path(url):
        raise ValueError(f"Not a path on this site: {url!r}")
    if actor is not None and cohort is None:
        # How a person is named (a youth member's full name to staff only)
        # depends on the group it happened in.
        raise ValueError("A notification with an actor needs its group (cohort=)")
    if isinstance(recipients, models.QuerySet):
        ids = set(recipients.values_list("pk", flat=True))
    else:
        ids = {getattr(person, "pk", person) for person in recipients}
    ids.discard(getattr(actor, "pk", None))
    if not ids:
        return 0
    chosen = dict(
        NotificationPreference.objects.filter(user__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    common = {
        "kind": kind,
        "actor": actor,
        "cohort": cohort,
        "url": url,
        "target_type": target and ContentType.objects.get_for_model(target),
        "target_id": target and target.pk,
        "params": {key: _stored(value) for key, value in (params or {}).items()},
        "created_at": timezone.now(),
    }
    rows = [
        Notification(recipient_id=user_id, delivery=delivery, **common)
        for user_id in sorted(ids)
        if (delivery := chosen.get(user_id, declared.default_delivery)) != Delivery.OFF
    ]
    Notification.objects.bulk_create(rows)
    unread_cache.invalidate_scope(*(_scope(row.recipient_id) for row in rows))
    notified.send(sender=Notification, notifications=rows)
    return len(rows)


def unread_count(user: AbstractBaseUser) -> int:
    """For the header's bell: one query, or none while cached."""
    return unread_cache.get(
        "unread",
        lambda: Notification.objects.filter(recipient=user, read_at=None).count(),
        scope=_scope(user.pk),
    )


def mark_read(user: AbstractBaseUser, notifications: models.QuerySet) -> int:
    """Mark the person's unread among `notifications` read."""
    changed = notifications.filter(recipient=user, read_at=None).update(
        read_at=timezone.now()
    )
    if changed:
        unread_cache.invalidate_scope(_scope(user.pk))
    return changed


def read_one(user: AbstractBaseUser, notification_id: int) -> Notification:
    """The person's notification, marked read (404 if it is not theirs),
    with what its entry names read with it."""
    found = get_object_or_404(
        Notification.objects.select_related("actor", "cohort"),
        pk=notification_id,
        recipient=user,
    )
    if mark_read(user, Notification.objects.filter(pk=found.pk)):
        found.refresh_from_db(fields=["read_at"])
    return found


@dataclass(frozen=True)
class Entry:
    """A notification as its reader sees it: `text` and `url` are empty when
    its kind is gone or the reader may no longer see what it is about."""

    notification: Notification
    text: str
    url: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def _param(value: object, zone: str) -> object:
    if isinstance(value, dict) and MOMENT in value:
        moment = datetime.fromisoformat(value[MOMENT])
        return dates.day_and_time(moment.astimezone(ZoneInfo(zone)))
    return value


def _text(kind: NotificationKind, notification: Notification, to_staff: bool) -> str:
    cohort = notification.cohort
    zone = cohort.time_zone if cohort else settings.TIME_ZONE
    try:
        # A plugin's parameters are its own: one that does not fit its
        # message (or a moment that is not one) shows the kind's label.
        values = {
            key: _param(value, zone) for key, value in notification.params.items()
        }
        values["actor"] = (
            shown_name(notification.actor, cohort, to_staff=to_staff)
            if notification.actor
            else _("Someone")
        )
        return str(kind.message) % values
    except (KeyError, TypeError, ValueError, OverflowError):
        return str(kind.label)


def _link(notification: Notification) -> str:
    url = notification.url
    if not url and notification.target is not None:
        target = notification.target
        url = (
            target.get_absolute_url()
            if hasattr(target, "get_absolute_url")
            else getattr(target, "url", "") or ""
        )
    if url and local_path(url):
        # Stored in the default language, whose addresses have no prefix:
        # read as such, then given in the reader's.
        language = translation.get_language()
        with translation.override(settings.LANGUAGE_CODE):
            return translate_url(url, language)
    # Otherwise the group's own page, wherever Wagtail serves it.
    return (notification.cohort and notification.cohort.url) or ""


def entries(
    user: AbstractBaseUser,
    notifications: Sequence[Notification],
    *,
    staff_rights: bool = True,
) -> list:
    """The reader's notifications as they may see them now, in their language.
    Without `staff_rights` (an API token made without them) a member's name
    is shown as to a member, in the groups the reader runs too."""
    declared = kinds()
    visible: set[int] = set()
    by_kind: dict[str, list[Notification]] = {}
    for notification in notifications:
        by_kind.setdefault(notification.kind, []).append(notification)
    for name, group in by_kind.items():
        kind = declared.get(name)
        if kind is not None:
            check = kind.visible or _group_members
            # A kind's own check speaks for its notifications only.
            visible |= set(check(user, group)) & {n.pk for n in group}
    staff_in = _staff_groups(user, notifications) if staff_rights else set()
    shown = []
    for notification in notifications:
        kind = declared.get(notification.kind)
        # What it was about is gone (a deleted announcement or session): its
        # words go with it.
        target_gone = notification.target_id is not None and notification.target is None
        if kind is None or notification.pk not in visible or target_gone:
            shown.append(Entry(notification, "", ""))
            continue
        to_staff = staff_rights and (
            user.is_superuser or notification.cohort_id in staff_in
        )
        shown.append(
            Entry(
                notification, _text(kind, notification, to_staff), _link(notification)
            )
        )
    return shown


def _staff_groups(user: AbstractBaseUser, notifications: Sequence) -> Collection[int]:
    """The groups among the notifications' that the reader runs (they see
    members' full names there), in one query when any name is shown."""
    groups = {n.cohort_id for n in notifications if n.cohort_id and n.actor_id}
    if not groups or user.is_superuser:
        return set()
    return set(
        Membership.objects.filter(
            Q(user=user, cohort__in=groups, role__in=STAFF_ROLES),
            status__in=CURRENT_MEMBER_STATUSES,
        ).values_list("cohort_id", flat=True)
    )

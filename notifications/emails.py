"""Reminders, cancellation notices and announcements, sent by the task worker.

Reminders are tasks deferred until their time (`run_after`), one per session
and offset, enqueued whenever a session is created or moved. A reminder task
whose session has since moved or been cancelled does nothing, so a moved
session's new reminders are simply the ones enqueued by the move. Every
e-mail goes through `deliver_once`, so a second worker, a duplicate task or a
re-run never sends the same message to the same person twice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from calendars.ics import place_revealed, session_calendar, sessions_for
from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    CohortPage,
    EmailFrequency,
    Membership,
)
from cohorts.permissions import STAFF_ROLES, admitted_by_privacy
from cohorts.reminders import DEFAULT_REMINDER_HOURS, reminder_offsets
from lms import dates
from lms.delivery import deliver_once
from lms.hookspecs import Delivery, NotificationKind
from lms.mail import absolute_url, send_templated_email
from lms.task_queues import EMAIL_QUEUE
from lms.timezones import zone_name
from lms.tokens import make_token, read_token
from notifications import inbox
from notifications.models import Announcement, NotificationPreference
from scheduling.models import RSVP, Session

ANSWER_SALT = "cohorts.answer"
ANSWER_LINK_MAX_AGE = timedelta(days=60)
UNSUBSCRIBE_SALT = "cohorts.unsubscribe"
# An unsubscribe link's `what` for inbox kinds: this, then their names.
STOP_KINDS = "kinds:"
DIGEST_TIME = time(7, 0)  # local to settings.TIME_ZONE


def email_language(user: AbstractBaseUser, cohort: CohortPage) -> str:
    """The person's chosen language, else the cohort's, else the site's."""
    languages = {code for code, _name in settings.LANGUAGES}
    for language in (user.preferred_language, cohort.language):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


def link(name: str, *args: object, language: str) -> str:
    """The full address of URL `name` (with `args`) in `language`, for e-mail."""
    with translation.override(language):
        return absolute_url(reverse(name, args=args))


def reverse_language_free(name: str, *args: object) -> str:
    """The path of URL `name` in the site's default language, which has no
    prefix: a stored link is opened in the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def unsubscribe_url(what: str, subject_id: int, language: str) -> str:
    """A link that stops one kind of e-mail without logging in.

    `what` is "reminders" or "digest" (subject: the user), "announcements"
    (subject: the membership), or STOP_KINDS followed by inbox kinds'
    names, comma-separated (subject: the user).
    """
    token = make_token({"w": what, "id": subject_id}, UNSUBSCRIBE_SALT)
    return link("cohorts:unsubscribe", token, language=language)


def read_unsubscribe_token(token: str) -> tuple[str, int] | None:
    payload = read_token(token, UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict):
        return None
    what = payload.get("w")
    if what not in {"reminders", "digest", "announcements"} and not (
        isinstance(what, str) and what.startswith(STOP_KINDS)
    ):
        return None
    return what, payload["id"]


def stopped_kinds(what: str) -> list:
    """The inbox kinds an unsubscribe link of STOP_KINDS names, still declared."""
    declared = inbox.kinds()
    names = what.removeprefix(STOP_KINDS).split(",")
    return [declared[name] for name in names if name in declared]


def answer_token(session: Session, user: AbstractBaseUser) -> str:
    return make_token({"s": session.pk, "u": user.pk}, ANSWER_SALT)


def read_answer_token(token: str) -> tuple[int, int] | None:
    payload = read_token(token, ANSWER_SALT, ANSWER_LINK_MAX_AGE)
    if not isinstance(payload, dict) or not {"s", "u"} <= payload.keys():
        return None
    return payload["s"], payload["u"]


# Reminders and cancellations


def offsets_for(cohort: CohortPage) -> list[timedelta]:
    hours = cohort.program.reminder_hours if cohort.program else DEFAULT_REMINDER_HOURS
    try:
        return reminder_offsets(hours)
    except ValueError:
        return []


def schedule_reminders(session: Session) -> None:
    """Enqueue the session's reminders, once the current transaction commits."""
    if not send_reminders.get_backend().supports_defer:
        return  # the cohorts.W001 check says so at start-up
    now = timezone.now()
    for offset in offsets_for(session.cohort):
        due = session.starts_at - offset
        if due <= now or session.status != Session.Status.SCHEDULED:
            continue
        transaction.on_commit(
            partial(
                send_reminders.using(run_after=due).enqueue,
                session_id=session.pk,
                minutes=int(offset.total_seconds() // 60),
                starts_at=session.starts_at.isoformat(),
            )
        )


def recipients(session: Session, *, wanting_emails: bool = True) -> QuerySet:
    """Active members and people who answered going or maybe, minus those who
    declined or wait for a seat, and minus anyone who turned reminders off
    (unless `wanting_emails` is False: the inbox tells them all).

    Only those who may see the group's page hear of its sessions: none whose
    page privacy refuses them (judged as for a link opened away from their
    browser, so nobody for a password-protected group), and for an
    unpublished group only its staff, who prepare it (as in calendar feeds).
    """
    cohort = session.cohort
    members = Membership.objects.filter(
        cohort=cohort.pk, status=Membership.Status.ACTIVE
    ).values("user")
    answers = RSVP.objects.filter(session=session)
    coming = answers.filter(status__in=[RSVP.Status.GOING, RSVP.Status.MAYBE])
    not_coming = answers.filter(
        status__in=[RSVP.Status.DECLINED, RSVP.Status.WAITLISTED]
    )
    people = (
        get_user_model()
        .objects.filter(
            Q(pk__in=members) | Q(pk__in=coming.values("user")),
            admitted_by_privacy(cohort),
            Q(session_reminders=True) if wanting_emails else Q(),
            is_active=True,
        )
        .exclude(pk__in=not_coming.values("user"))
        .order_by("pk")
    )
    if not cohort.live:
        staff = Membership.objects.filter(
            cohort=cohort.pk, status__in=CURRENT_MEMBER_STATUSES, role__in=STAFF_ROLES
        )
        people = people.filter(pk__in=staff.values("user"))
    return people


@task(queue_name=EMAIL_QUEUE)
def send_reminders(session_id: int, minutes: int, starts_at: str) -> int:
    """E-mail everyone coming to the session; returns how many were sent."""
    session = _upcoming(session_id, Session.Status.SCHEDULED)
    if session is None or session.starts_at.isoformat() != starts_at:
        return 0  # gone, cancelled, started, or moved (the move queued new ones)
    return _tell_everyone_coming(
        session, "reminder", f"reminder:{session.pk}:{minutes}:{starts_at}"
    )


def notify_cancellation(session: Session) -> None:
    _tell_inboxes(session, inbox.SESSION_CANCELLED)
    transaction.on_commit(partial(send_cancellation_notices.enqueue, session.pk))


def notify_move(session: Session) -> None:
    """Tell those coming that a session has a new time (its reminders are
    enqueued again by `schedule_reminders`)."""
    if (
        session.status != Session.Status.SCHEDULED
        or session.starts_at <= timezone.now()
    ):
        return
    _tell_inboxes(session, inbox.SESSION_MOVED)


def tell_seats_given(session: Session, user_ids: list[int]) -> None:
    """Those the waiting list gave a seat: they are going now."""
    _tell_inboxes(
        session,
        inbox.SEAT_GIVEN,
        get_user_model().objects.filter(pk__in=user_ids, is_active=True),
    )


def _tell_inboxes(
    session: Session, kind: NotificationKind, people: QuerySet | None = None
) -> None:
    """`people` (by default everyone coming, whether or not they get
    reminder e-mails) of the session, in their inboxes."""
    inbox.notify(
        recipients(session, wanting_emails=False) if people is None else people,
        kind.name,
        cohort=session.cohort,
        target=session,
        params={"session": session.display_title, "when": session.starts_at},
    )


@task(queue_name=EMAIL_QUEUE)
def send_cancellation_notices(session_id: int) -> int:
    session = _upcoming(session_id, Session.Status.CANCELLED)
    if session is None:
        return 0
    return _tell_everyone_coming(session, "cancelled", f"cancelled:{session.pk}")


def _upcoming(session_id: int, status: str) -> Session | None:
    return (
        Session.objects.select_related("cohort__program")
        .filter(pk=session_id, status=status, starts_at__gt=timezone.now())
        .first()
    )


def _tell_everyone_coming(session: Session, kind: str, key: str) -> int:
    return sum(
        deliver_once(user, key, partial(_session_email, kind, session, user))
        for user in recipients(session)
    )


def email_member(
    template: str,
    user: AbstractBaseUser,
    cohort: CohortPage | None,
    context: dict,
    *,
    language: str,
    unsubscribe: tuple[str, int] | None = None,
    headers: dict | None = None,
    attachments: list = (),
) -> None:
    """One e-mail to one person, with the links every member e-mail carries:
    the group, the person's e-mail choices and, for optional e-mail, a link
    that stops it without logging in (also as a List-Unsubscribe header).

    `template` is a prefix as for `lms.mail.send_templated_email`; plugins
    e-mail members through this too.
    """
    headers = dict(headers or {})
    context = {
        "user": user,
        "cohort": cohort,
        "cohort_url": cohort and absolute_url(cohort.url or "/"),
        "settings_url": link("cohorts:email_settings", language=language),
        **context,
    }
    if unsubscribe is not None:
        context["unsubscribe_url"] = unsubscribe_url(*unsubscribe, language)
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    send_templated_email(
        template,
        context,
        to=user.email,
        language=language,
        headers=headers,
        attachments=attachments,
    )


def _local_time(moment: datetime, cohort: CohortPage, language: str) -> str:
    with translation.override(language):
        return dates.day_and_time(moment.astimezone(ZoneInfo(cohort.time_zone)))


def _session_email(kind: str, session: Session, user: AbstractBaseUser) -> None:
    cohort = session.cohort
    language = email_language(user, cohort)
    mine = sessions_for(user, cohort).get(pk=session.pk)
    email_member(
        f"cohorts/email/{kind}",
        user,
        cohort,
        {
            "session": mine,
            "when": _local_time(session.starts_at, cohort, language),
            "time_zone": zone_name(cohort.time_zone),
            "show_place": place_revealed(user, mine),
            "answer_url": link(
                "cohorts:answer_by_link", answer_token(session, user), language=language
            ),
        },
        language=language,
        unsubscribe=("reminders", user.pk),
        attachments=[
            (f"session-{session.pk}.ics", session_calendar(user, mine), "text/calendar")
        ],
    )


def tell_place_opened(membership: Membership) -> None:
    transaction.on_commit(partial(send_place_opened.enqueue, membership.pk))


@task(queue_name=EMAIL_QUEUE)
def send_place_opened(membership_id: int) -> int:
    """Someone left: tell the person who got their place on the waiting list."""
    membership = (
        Membership.objects.select_related("cohort", "user")
        .filter(pk=membership_id, status=Membership.Status.ACTIVE)
        .first()
    )
    if membership is None:
        return 0
    user, cohort = membership.user, membership.cohort
    send = partial(
        email_member,
        "cohorts/email/place_opened",
        user,
        cohort,
        {},
        language=email_language(user, cohort),
    )
    return int(deliver_once(user, f"place-opened:{membership.pk}", send))


# Announcements


def post_announcement(
    cohort: CohortPage, author: AbstractBaseUser, subject: str, body: str
) -> Announcement:
    """Save the announcement and tell members in their inboxes; they are
    e-mailed after the commit."""
    with transaction.atomic():
        announcement = Announcement.objects.create(
            cohort=cohort, author=author, subject=subject, body=body
        )
        inbox.notify(
            get_user_model().objects.filter(
                pk__in=Membership.objects.filter(
                    cohort=cohort, status=Membership.Status.ACTIVE
                ).values("user"),
                is_active=True,
            ),
            inbox.ANNOUNCEMENT.name,
            actor=author,
            cohort=cohort,
            url=reverse_language_free("cohorts:announcements", cohort.pk),
            target=announcement,
            params={"subject": subject, "group": cohort.title},
        )
        transaction.on_commit(partial(send_announcement.enqueue, announcement.pk))
    return announcement


def _readers(announcement: Announcement, frequency: str) -> QuerySet:
    """Active members who chose `frequency`; the author knows what they wrote."""
    return (
        Membership.objects.filter(
            cohort=announcement.cohort_id,
            status=Membership.Status.ACTIVE,
            announcement_emails=frequency,
            user__is_active=True,
        )
        .exclude(user=announcement.author_id)
        .select_related("user")
    )


@task(queue_name=EMAIL_QUEUE)
def send_announcement(announcement_id: int) -> int:
    """E-mail members who want each announcement; queue digests for the rest."""
    announcement = (
        Announcement.objects.select_related("cohort", "author")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None:
        return 0
    sent = 0
    key = f"announcement:{announcement.pk}"
    for membership in _readers(announcement, EmailFrequency.EACH):
        sent += deliver_once(
            membership.user,
            key,
            partial(_announcement_email, announcement, membership),
        )
    daily = _readers(announcement, EmailFrequency.DAILY)
    if daily.exists() and send_digest.get_backend().supports_defer:
        due = next_digest_time(timezone.now())
        for user_id in daily.values_list("user_id", flat=True):
            send_digest.using(run_after=due).enqueue(
                user_id=user_id, day=due.date().isoformat()
            )
    return sent


def _announcement_email(announcement: Announcement, membership: Membership) -> None:
    user, cohort = membership.user, announcement.cohort
    email_member(
        "cohorts/email/announcement",
        user,
        cohort,
        {"announcement": announcement},
        language=email_language(user, cohort),
        unsubscribe=("announcements", membership.pk),
    )


def next_digest_time(now: datetime) -> datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    due = datetime.combine(local.date(), DIGEST_TIME, tzinfo=zone)
    return due if due > local else due + timedelta(days=1)


@task(queue_name=EMAIL_QUEUE)
def send_digest(user_id: int, day: str) -> int:
    """One e-mail with the day's announcements from the user's digest cohorts.

    It covers the 24 hours before that day's digest time, so every
    announcement is in exactly one digest.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    end = datetime.combine(
        datetime.fromisoformat(day).date(),
        DIGEST_TIME,
        tzinfo=ZoneInfo(settings.TIME_ZONE),
    )
    announcements = list(
        Announcement.objects.filter(
            cohort__memberships__user=user,
            cohort__memberships__status=Membership.Status.ACTIVE,
            cohort__memberships__announcement_emails=EmailFrequency.DAILY,
            created_at__gte=end - timedelta(days=1),
            created_at__lt=end,
        )
        .select_related("cohort", "author")
        .order_by("cohort__title", "created_at")
    )
    if not announcements:
        return 0
    return int(
        deliver_once(user, f"digest:{day}", partial(_digest_email, user, announcements))
    )


def _digest_email(user: AbstractBaseUser, announcements: list[Announcement]) -> None:
    email_member(
        "cohorts/email/digest",
        user,
        None,
        {"announcements": announcements},
        language=email_language(user, announcements[0].cohort),
        unsubscribe=("digest", user.pk),
    )


def unsubscribe(what: str, subject_id: int) -> bool:
    """Stop one kind of e-mail; False when the person or membership is gone."""
    if what == "announcements":
        changed = Membership.objects.filter(pk=subject_id).update(
            announcement_emails=EmailFrequency.NONE
        )
    elif what.startswith(STOP_KINDS):
        # Their e-mails stop; the notifications stay in the inbox.
        changed = get_user_model().objects.filter(pk=subject_id).exists()
        for kind in stopped_kinds(what) if changed else ():
            quiet = (
                Delivery.INBOX if Delivery.INBOX in kind.deliveries else Delivery.OFF
            )
            NotificationPreference.objects.update_or_create(
                user_id=subject_id, kind=kind.name, defaults={"delivery": quiet}
            )
    elif what == "digest":
        changed = Membership.objects.filter(
            user=subject_id, announcement_emails=EmailFrequency.DAILY
        ).update(announcement_emails=EmailFrequency.NONE)
        changed = changed or get_user_model().objects.filter(pk=subject_id).exists()
    else:
        changed = (
            get_user_model()
            .objects.filter(pk=subject_id)
            .update(session_reminders=False)
        )
    return bool(changed)


def send_nudge(
    cohort: CohortPage, member: AbstractBaseUser, facilitator: AbstractBaseUser
) -> bool:
    """A friendly check-in from a facilitator, at most one a day per person."""
    language = email_language(member, cohort)

    def send() -> None:
        next_session = (
            cohort.sessions.filter(
                status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        email_member(
            "cohorts/email/nudge",
            member,
            cohort,
            {
                "facilitator": facilitator,
                "next_session": next_session,
                "when": next_session
                and _local_time(next_session.starts_at, cohort, language),
            },
            language=language,
            headers={"Reply-To": facilitator.email},
        )

    day = timezone.localdate().isoformat()
    return deliver_once(member, f"nudge:{cohort.pk}:{day}", send)

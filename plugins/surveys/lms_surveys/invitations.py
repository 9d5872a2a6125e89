"""E-mails with a link to answer, sent by the task worker: an invitation
when a moment opens (at once, at its point in the group's sessions:
lms_surveys/timing.py, or when a check-in's session ends) and at most two
reminders to those who have not answered, unless the group's facilitators
switched them off. Someone who joins a group later is invited to its
joining and "before" surveys when they join.

Each e-mail is a task run later; it checks, when it runs, that the moment is
still attached, the group live and the person still unanswered, and
`deliver_once` keeps a second worker or a retry from sending twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django_tasks import task

from lms_surveys import access, timing
from lms_surveys.answering import answer_token
from lms_surveys.models import GroupSettings, Moment, Response
from sdk import (
    EMAIL_QUEUE,
    CohortPage,
    Membership,
    Session,
    admitted_by_privacy,
    deliver_once,
    email_language,
    email_member,
    link,
    sent_counts,
)

# Days after the invitation: two reminders at most.
REMINDER_DAYS = (3, 7)
ROUND_DAYS = (0, *REMINDER_DAYS)


def schedule(
    moment: Moment,
    session: Session | None = None,
    person_id: int | None = None,
) -> None:
    """Queue the invitation and the reminders once the transaction commits:
    the group's, from when the moment opens (or the session ends); those of
    one person who joined after it opened (`person_id`), from now."""
    if not send_survey_emails.get_backend().supports_defer:
        return
    now = timezone.now()
    if person_id is not None:
        opens = now
    else:
        opens = session.ends_at if session else timing.opening_of(moment)
    for round_number, days in enumerate(ROUND_DAYS):
        transaction.on_commit(
            partial(
                send_survey_emails.using(
                    run_after=max(opens + timedelta(days=days), now)
                ).enqueue,
                moment_id=moment.pk,
                session_id=session.pk if session else None,
                round_number=round_number,
                person_id=person_id,
            )
        )


def schedule_moment(moment: Moment) -> None:
    """A moment just attached: its e-mails, or each coming session's."""
    if not moment.per_session:
        schedule(moment)
        return
    coming = Session.objects.filter(cohort=moment.cohort_id, ends_at__gt=timezone.now())
    for session in coming.exclude(status=Session.Status.CANCELLED):
        schedule(moment, session)


def session_scheduled(session_id: int, cohort_id: int | None) -> None:
    """A new session of a group with a check-in after each session."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None or cohort_id is None:
        return
    moments = Moment.objects.filter(
        cohort=cohort_id,
        kind=Moment.Kind.AFTER_SESSION,
        detached_at__isnull=True,
    )
    for moment in moments:
        schedule(moment, session)


@dataclass(frozen=True)
class PlannedEmail:
    """One of a moment's automated e-mails, as its group's facilitators see
    it: when it goes (None for a check-in's: after each session), how many
    people it went to so far, and whether the group switched it off."""

    moment: Moment
    round_number: int
    due: datetime | None
    sent: int
    switched_off: bool

    @property
    def days_after(self) -> int:
        return ROUND_DAYS[self.round_number]


def plan(
    cohort: CohortPage, moments: list[Moment], chosen: GroupSettings | None
) -> list[tuple[Moment, list[PlannedEmail]]]:
    """Every automated e-mail of the group's moments (given their
    `opens_at`: timing.with_openings), moment by moment, in one query."""
    sent = sent_counts(
        [f"surveys:{moment.pk}:" for moment in moments],
        people=Membership.objects.filter(cohort=cohort).values("user"),
    )
    return [
        (
            moment,
            [
                PlannedEmail(
                    moment=moment,
                    round_number=round_number,
                    due=None
                    if moment.per_session
                    else moment.opens_at + timedelta(days=days),
                    sent=sum(
                        people
                        for key, people in sent.items()
                        if key.startswith(f"surveys:{moment.pk}:")
                        and key.endswith(f":{round_number}")
                    ),
                    switched_off=chosen is not None and not chosen.sends(round_number),
                )
                for round_number, days in enumerate(ROUND_DAYS)
            ],
        )
        for moment in moments
    ]


def sessions_changed(cohort_id: int | None) -> None:
    """A session cancelled can bring a timed moment's opening forward: its
    e-mails are queued for the new time (those queued for the old one find
    them sent, or the moment not open yet)."""
    if cohort_id is None:
        return
    timed = Moment.objects.filter(
        cohort=cohort_id, kind__in=timing.TIMED, detached_at__isnull=True
    )
    for moment in timed:
        schedule(moment)


def member_joined(cohort_id: int, user_id: int, role: str) -> None:
    """Someone joined: their own invitation to each survey open now (the
    joining and "before" ones always), with reminders counted from now; a
    survey that opens later asks them with the group. Joining again sends
    nothing twice: each e-mail goes to a person once."""
    if role != Membership.Role.PARTICIPANT:
        return
    moments = timing.with_openings(
        list(
            timing.with_spans(
                Moment.objects.filter(cohort=cohort_id, detached_at__isnull=True)
            )
        )
    )
    now = timezone.now()
    for moment in moments:
        if not moment.per_session and moment.opens_at <= now:
            schedule(moment, person_id=user_id)


def switched_on(cohort: CohortPage) -> None:
    """The group's e-mails switched back on: what fell due meanwhile goes,
    the latest round of it only (see `_stale`)."""
    for moment in Moment.objects.filter(cohort=cohort, detached_at__isnull=True):
        if not moment.per_session:
            schedule(moment)


def unanswered(moment: Moment, session: Session | None):
    """Who is asked and has not answered, each with when they joined."""
    answered = Response.objects.filter(
        moment=moment, session=session, submitted_at__isnull=False
    ).values("respondent")
    joined = Membership.objects.filter(
        cohort=moment.cohort_id, user=OuterRef("pk")
    ).values("joined_at")[:1]
    return (
        get_user_model()
        .objects.filter(
            admitted_by_privacy(moment.cohort),
            pk__in=access.respondents(moment.cohort).values("user"),
            is_active=True,
            session_reminders=True,
        )
        .exclude(pk__in=answered)
        .annotate(joined=Subquery(joined))
    )


def _stale(round_number: int, since: datetime, now: datetime) -> bool:
    """A round whose next one is already due goes no more: an invitation
    and its reminders late together (e-mails switched back on, say) are
    one e-mail, not three."""
    later = ROUND_DAYS[round_number + 1 :]
    return bool(later) and since + timedelta(days=later[0]) <= now


@task(queue_name=EMAIL_QUEUE)
def send_survey_emails(
    moment_id: int,
    session_id: int | None,
    round_number: int,
    person_id: int | None = None,
) -> int:
    """E-mail the link to everyone not yet answered (or to one person who
    joined after the moment opened: the group's rounds leave them out);
    how many were sent."""
    moment = (
        Moment.objects.select_related("cohort", "survey")
        .filter(pk=moment_id, detached_at__isnull=True)
        .first()
    )
    if (
        moment is None
        or not moment.cohort.live
        or not moment.cohort.uses_plugin(access.LABEL)
    ):
        return 0
    chosen = GroupSettings.objects.filter(cohort=moment.cohort).first()
    if chosen is not None and not chosen.sends(round_number):
        return 0
    now = timezone.now()
    session = None
    if session_id is not None:
        session = access.check_in_sessions(moment).filter(pk=session_id).first()
        if session is None:  # cancelled, moved later, or not this group's
            return 0
        opens = session.ends_at
    else:
        opens = timing.opening_of(moment)
        if opens > now:  # its sessions moved later: so does this
            send_survey_emails.using(
                run_after=opens + timedelta(days=ROUND_DAYS[round_number])
            ).enqueue(
                moment_id=moment_id,
                session_id=None,
                round_number=round_number,
                person_id=person_id,
            )
            return 0
    people = unanswered(moment, session)
    if person_id is not None:
        people = people.filter(pk=person_id)
    key = f"surveys:{moment.pk}:{session_id or 0}:{round_number}"
    sent = 0
    for person in people:
        since = opens
        if session is None and person.joined is not None and person.joined > opens:
            if person_id is None:
                continue  # joined after it opened: asked by their own rounds
            since = person.joined
        if _stale(round_number, since, now):
            continue
        sent += deliver_once(
            person, key, partial(_email, moment, session, person, round_number)
        )
    return sent


def _email(
    moment: Moment, session: Session | None, person: AbstractBaseUser, round_number: int
) -> None:
    language = email_language(person, moment.cohort)
    with translation.override(language):
        survey = moment.survey.in_language()
        when = moment.get_kind_display()
    email_member(
        "lms_surveys/email/invitation",
        person,
        moment.cohort,
        {
            "survey": survey,
            "anonymous": moment.survey.anonymous,
            "moment": when,
            "session": session,
            "reminder": round_number > 0,
            "answer_url": link(
                "surveys:answer_by_link",
                answer_token(moment, person, session),
                language=language,
            ),
            "days": access.setting("link_days"),
        },
        language=language,
        unsubscribe=("reminders", person.pk),
    )

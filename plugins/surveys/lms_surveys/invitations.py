"""E-mails with a link to answer, sent by the task worker: an invitation
when a moment opens (at once, or when a check-in's session ends) and at most
two reminders to those who have not answered, unless the group's
facilitators switched reminders off.

Each e-mail is a task run later; it checks, when it runs, that the moment is
still attached, the group live and the person still unanswered, and
`deliver_once` keeps a second worker or a retry from sending twice.
"""

from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from lms_surveys import access
from lms_surveys.answering import answer_token
from lms_surveys.models import GroupSettings, Moment, Response
from sdk import (
    EMAIL_QUEUE,
    Session,
    admitted_by_privacy,
    deliver_once,
    email_language,
    email_member,
    link,
)

# Days after the invitation: two reminders at most.
REMINDER_DAYS = (3, 7)


def schedule(moment: Moment, session: Session | None = None) -> None:
    """Queue the invitation and the reminders once the transaction commits."""
    if not send_survey_emails.get_backend().supports_defer:
        return
    now = timezone.now()
    opens = session.ends_at if session else now
    for round_number, days in enumerate((0, *REMINDER_DAYS)):
        transaction.on_commit(
            partial(
                send_survey_emails.using(
                    run_after=max(opens + timedelta(days=days), now)
                ).enqueue,
                moment_id=moment.pk,
                session_id=session.pk if session else None,
                round_number=round_number,
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


def unanswered(moment: Moment, session: Session | None):
    answered = Response.objects.filter(
        moment=moment, session=session, submitted_at__isnull=False
    ).values("respondent")
    return (
        get_user_model()
        .objects.filter(
            admitted_by_privacy(moment.cohort),
            pk__in=access.respondents(moment.cohort).values("user"),
            is_active=True,
            session_reminders=True,
        )
        .exclude(pk__in=answered)
    )


@task(queue_name=EMAIL_QUEUE)
def send_survey_emails(
    moment_id: int, session_id: int | None, round_number: int
) -> int:
    """E-mail the link to everyone not yet answered; how many were sent."""
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
    if round_number > 0:
        chosen = GroupSettings.objects.filter(cohort=moment.cohort).first()
        if chosen is not None and not chosen.reminders:
            return 0
    session = None
    if session_id is not None:
        session = access.check_in_sessions(moment).filter(pk=session_id).first()
        if session is None:  # cancelled, moved later, or not this group's
            return 0
    key = f"surveys:{moment.pk}:{session_id or 0}:{round_number}"
    return sum(
        deliver_once(
            person, key, partial(_email, moment, session, person, round_number)
        )
        for person in unanswered(moment, session)
    )


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

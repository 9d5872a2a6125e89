"""Keeping drafts and recording answers: one submission per person and moment.

The `Response` row, unique per person, moment and session, is claimed with a
conditional update: of two submits at once, one records the answers and the
other is told they were already recorded.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms_surveys import access
from lms_surveys.forms import AnswerForm, draft_of, quotes_of
from lms_surveys.models import (
    Answer,
    Moment,
    Response,
    Submission,
    dashboard_panels,
)
from sdk import Session, make_token, read_token

LINK_SALT = "surveys.answer"


@dataclass(frozen=True)
class LinkTarget:
    moment_id: int
    user_id: int
    session_id: int | None


def answer_token(moment: Moment, user: AbstractBaseUser, session=None) -> str:
    """The link's token: who, which moment and session. A random part makes
    each e-mail's link differ; it works until the answers are in, then shows
    that they are (so it is used once), and expires after `link_days`."""
    return make_token(
        {
            "m": moment.pk,
            "u": user.pk,
            "s": session.pk if session else None,
            "n": secrets.token_hex(4),
        },
        LINK_SALT,
    )


def read_answer_token(token: str) -> LinkTarget | None:
    payload = read_token(token, LINK_SALT, timedelta(days=access.setting("link_days")))
    if not isinstance(payload, dict):
        return None
    moment, user, session = payload.get("m"), payload.get("u"), payload.get("s")
    if not isinstance(moment, int) or not isinstance(user, int):
        return None
    if session is not None and not isinstance(session, int):
        return None
    return LinkTarget(moment, user, session)


def response_of(
    moment: Moment, user: AbstractBaseUser, session: Session | None
) -> Response | None:
    return Response.objects.filter(
        moment=moment, respondent=user, session=session
    ).first()


def quoted_answers(response: Response) -> list[Answer]:
    """The answers of a named survey's response its writer allowed to be
    quoted (an anonymous one's answers are not linked to the response)."""
    return list(Answer.objects.filter(submission__response=response).exclude(quote=""))


def stop_quoting(response: Response, answer_id: str) -> bool:
    """The writer takes back their consent to quote one of their answers."""
    return bool(
        Answer.objects.filter(submission__response=response, pk=answer_id)
        .exclude(quote="")
        .update(quote=Answer.Quote.NOT)
    )


def _claim(moment, user, session) -> Response:
    try:
        with transaction.atomic():
            return Response.objects.get_or_create(
                moment=moment, respondent=user, session=session
            )[0]
    except IntegrityError:  # made at the same moment by another request
        return Response.objects.get(moment=moment, respondent=user, session=session)


def save_draft(moment, user, session, form: AnswerForm) -> bool:
    """Keep what was typed; False when the answers are already in."""
    response = _claim(moment, user, session)
    return bool(
        Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            draft=draft_of(form), updated_at=timezone.now()
        )
    )


@transaction.atomic
def submit(moment, user, session, form: AnswerForm) -> bool:
    """Record the answers of a valid form; False when they already were."""
    response = _claim(moment, user, session)
    claimed = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now(), draft={}, updated_at=timezone.now()
    )
    if not claimed:
        return False
    # An update sends no signal: the person's panels drop here.
    dashboard_panels.invalidate_scope(str(user.pk))
    submission = Submission.objects.create(
        moment=moment,
        session=session,
        # Anonymous answers keep no way back to the person.
        response=None if moment.survey.anonymous else response,
    )
    rows = []
    quotes = quotes_of(form)
    for question, values in form.answers():
        for value in values:
            if isinstance(value, str):
                rows.append(
                    Answer(
                        submission=submission,
                        question=question.key,
                        text=value,
                        quote=quotes.get(question.key, ""),
                    )
                )
            else:
                rows.append(
                    Answer(submission=submission, question=question.key, number=value)
                )
    Answer.objects.bulk_create(rows)
    return True

"""Submitting versions and giving feedback: views, demo and tests go through here."""

from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from lms_grantwriting.models import Assignment, Draft, Feedback, Version
from lms_grantwriting.notices import tell_author
from lms_grantwriting.reminders import schedule_deadline_reminder, send_feedback_notice


@transaction.atomic
def submit_version(
    assignment: Assignment,
    author: AbstractBaseUser,
    *,
    text: str,
    status: str,
    note: str = "",
    file: UploadedFile | None = None,
) -> Version:
    """Add the next version of the author's draft; earlier versions stay.

    The draft row is locked while numbering, so versions submitted at once
    get consecutive numbers (the unique constraint backs this up). Asking for
    feedback again after some was given marks the draft "revised".
    """
    Draft.objects.get_or_create(assignment=assignment, author=author)
    draft = Draft.objects.select_for_update().get(assignment=assignment, author=author)
    draft.versions_made += 1
    if status == Draft.Status.FEEDBACK_REQUESTED and draft.feedback.exists():
        status = Draft.Status.REVISED
    draft.status = status
    draft.save(update_fields=["versions_made", "status", "updated_at"])
    return Version.objects.create(
        draft=draft, number=draft.versions_made, text=text, note=note, file=file or ""
    )


def give_feedback(
    draft: Draft, author: AbstractBaseUser, text: str, version: Version | None = None
) -> Feedback:
    """Feedback on `version` (the latest when None); the draft's author is
    told in their inbox and by e-mail."""
    feedback = Feedback.objects.create(
        draft=draft,
        version=version or draft.versions.first(),
        author=author,
        text=text,
    )
    if author != draft.author:
        tell_author(feedback)
        transaction.on_commit(partial(send_feedback_notice.enqueue, feedback.pk))
    return feedback


def save_assignment(assignment: Assignment) -> Assignment:
    assignment.save()
    schedule_deadline_reminder(assignment)
    return assignment

"""Every change to discussions, each in one transaction, counters with F().

Views check who may do what (`access`) before calling these; these keep the
rows consistent when two people act at once (locks, constraints, F()).
"""

from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from lms_discussions.access import people_in, setting
from lms_discussions.mentions import mentioned
from lms_discussions.models import (
    Attachment,
    Flag,
    ModerationAction,
    Post,
    Reaction,
    Reader,
    Revision,
    Space,
    SpaceFollower,
    Thread,
    dashboard_panels,
)
from lms_discussions.notices import (
    tell_asker,
    tell_mentioned,
    tell_moderators,
    tell_space,
    tell_thread,
)
from sdk import CohortPage, Session

Action = ModerationAction.Action


def thread_url(thread: Thread, post: Post | None = None) -> str:
    url = reverse("discussions:thread", args=[thread.pk])
    return f"{url}#post-{post.pk}" if post else url


def _attach(post: Post, upload, description: str) -> None:
    if upload is not None:
        Attachment.objects.create(
            post=post,
            file=upload,
            name=PurePath(upload.name).name[:200],
            size=upload.size,
            description=description,
        )


@transaction.atomic
def start_thread(
    space: Space,
    author,
    kind: str,
    title: str,
    body: str,
    upload=None,
    description: str = "",
) -> Thread:
    """The thread and its opening post (with the file it carries, if any)."""
    space = _saved_space(space)  # the space's first thread makes its row
    thread = Thread.objects.create(
        space=space,
        kind=kind,
        title=title,
        author=author,
        last_activity_at=timezone.now(),
    )
    post = Post.objects.create(thread=thread, author=author, body=body, opening=True)
    _attach(post, upload, description)
    url = thread_url(thread)
    told = tell_mentioned(thread, post, set(mentioned(body)), space.cohort, url)
    tell_space(thread, url, told)
    return thread


def _saved_space(space: Space) -> Space:
    """The space's row, made if it has none yet (another request may be
    making it at the same moment)."""
    if space.pk is not None:
        return space
    return Space.objects.get_or_create(cohort=space.cohort, program=space.program)[0]


def follow_space(space: Space, user, on: bool) -> None:
    """Be told of every new thread in the space, or no longer."""
    if on:
        SpaceFollower.objects.get_or_create(space=_saved_space(space), user=user)
    elif space.pk is not None:
        SpaceFollower.objects.filter(space=space, user=user).delete()


def reply(
    thread: Thread,
    author,
    body: str,
    quoted: Post | None,
    cohort,
    upload=None,
    description: str = "",
) -> Post:
    with transaction.atomic():
        post = Post.objects.create(
            thread=thread, author=author, body=body, quoted=quoted
        )
        _attach(post, upload, description)
        Thread.objects.filter(pk=thread.pk).update(
            replies=F("replies") + 1, last_activity_at=post.created_at
        )
        threads_changed()
        url = thread_url(thread, post)
        told = tell_mentioned(thread, post, set(mentioned(body)), cohort, url)
        tell_thread(thread, post, cohort, url, told)
    return post


@transaction.atomic
def edit(post: Post, body: str, cohort) -> None:
    """The post's new text, its old one kept as a revision; the people it
    mentions for the first time in any of its versions are told, unless a
    moderator took it out of sight."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.body == body:
        return
    Revision.objects.create(post=locked, body=locked.body)
    Post.objects.filter(pk=post.pk).update(body=body, edited_at=timezone.now())
    added = set(mentioned(body)) - set(mentioned(all_versions(locked)))
    if added and not locked.removed:
        url = thread_url(post.thread, post)
        tell_mentioned(post.thread, locked, added, cohort, url)


@transaction.atomic
def delete(post: Post, moderator=None) -> None:
    """The author's or a moderator's: kept, shown as deleted (replies may
    quote it), its files gone; a deleted answer is no longer the answer."""
    changed = Post.objects.filter(pk=post.pk, deleted_at=None).update(
        deleted_at=timezone.now()
    )
    Attachment.objects.filter(post=post).delete()  # their stored files too
    if Thread.objects.filter(answer=post).update(answer=None):
        threads_changed()
    if changed and moderator is not None:
        _log(post.thread, moderator, Action.DELETE, post)


@transaction.atomic
def mark_answer(thread: Thread, post: Post, by, cohort) -> bool:
    """Make `post` the question's answer, or no longer the answer; True when
    it is the answer now."""
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    threads_changed()
    if locked.answer_id == post.pk:
        Thread.objects.filter(pk=thread.pk).update(answer=None)
        return False
    Thread.objects.filter(pk=thread.pk).update(answer=post)
    tell_asker(thread, post, by, cohort, thread_url(thread, post))
    return True


def flag(post: Post, flagger, reason: str, cohort) -> bool:
    """File the member's flag; False when they had flagged the post already.
    The post is held back once enough members flagged it."""
    try:
        with transaction.atomic():
            Flag.objects.create(post=post, flagger=flagger, reason=reason)
            Post.objects.filter(pk=post.pk).update(flags=F("flags") + 1)
            held = Post.objects.filter(
                pk=post.pk, held_for_review=False, flags__gte=setting("flags_to_hold")
            ).update(held_for_review=True)
            if held:
                _log(post.thread, None, Action.HELD, post)
            tell_moderators(post.thread, cohort, thread_url(post.thread, post))
    except IntegrityError:
        return False  # the constraint: one flag per member and post
    return True


@transaction.atomic
def set_hidden(post: Post, moderator, hidden: bool) -> None:
    """Hide a post, or show it again; either way a moderator has looked, so
    the flags on it are settled and it is no longer held back."""
    Post.objects.filter(pk=post.pk).update(
        hidden_at=timezone.now() if hidden else None, held_for_review=False, flags=0
    )
    Flag.objects.filter(post=post, resolved_at=None).update(resolved_at=timezone.now())
    if hidden and Thread.objects.filter(answer=post).update(answer=None):
        threads_changed()
    _log(post.thread, moderator, Action.HIDE if hidden else Action.SHOW, post)


@transaction.atomic
def set_pinned(thread: Thread, moderator, pinned: bool) -> None:
    Thread.objects.filter(pk=thread.pk).update(pinned=pinned)
    _log(thread, moderator, Action.PIN if pinned else Action.UNPIN)


@transaction.atomic
def set_locked(thread: Thread, moderator, locked: bool) -> None:
    Thread.objects.filter(pk=thread.pk).update(locked=locked)
    _log(thread, moderator, Action.LOCK if locked else Action.UNLOCK)


@transaction.atomic
def move(thread: Thread, to: Space, moderator) -> bool:
    """The thread (a session's stays with its group) into another space, if
    everyone who wrote in it is in that space too: their words go only where
    they may read them. Logged in both spaces."""
    if thread.session_id is not None:
        return False
    authors = Post.objects.filter(thread=thread).values("author_id")
    outside = (
        get_user_model().objects.filter(pk__in=authors).exclude(people_in(to)).exists()
    )
    if outside:
        return False
    _log(thread, moderator, Action.MOVE_AWAY)
    thread.space = _saved_space(to)
    thread.save(update_fields=["space"])
    _log(thread, moderator, Action.MOVE_HERE)
    return True


def all_versions(post: Post) -> str:
    """Every text the post has had, for what its mentions reached before."""
    earlier = Revision.objects.filter(post=post).values_list("body", flat=True)
    return "\n".join([post.body, *earlier])


def threads_changed() -> None:
    """Threads changed by update, which sends no signal: what My learning
    counts (activity, answers) may have changed for anyone."""
    dashboard_panels.invalidate()


def _log(thread: Thread, moderator, action: str, post: Post | None = None) -> None:
    ModerationAction.objects.create(
        space_id=thread.space_id,
        moderator=moderator,
        action=action,
        thread=thread,
        post=post,
    )


def mark_read(thread: Thread, user, reader: Reader | None = None) -> None:
    """One statement, whoever else writes the row at the same moment; none
    when `reader`, the person's row as read with the thread, was marked
    after the thread's last activity (a page read again writes nothing)."""
    read_at = reader.read_at if reader is not None else None
    if read_at is not None and read_at >= thread.last_activity_at:
        return
    Reader.objects.bulk_create(
        [Reader(thread=thread, user=user, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "thread"],
        update_fields=["read_at"],
    )
    dashboard_panels.invalidate_scope(str(user.pk))  # bulk_create sends no signal


def choose(thread: Thread, user, choice: str) -> None:
    """Follow the thread, mute it, or go back to being told of replies to
    one's own posts."""
    Reader.objects.bulk_create(
        [Reader(thread=thread, user=user, choice=choice)],
        update_conflicts=True,
        unique_fields=["user", "thread"],
        update_fields=["choice"],
    )
    dashboard_panels.invalidate_scope(str(user.pk))


def react(post: Post, user, kind: str) -> bool:
    """Add the person's reaction, or take it back; True when it is there now."""
    taken_back, _kinds = Reaction.objects.filter(
        post=post, user=user, kind=kind
    ).delete()
    if taken_back:
        return False
    Reaction.objects.get_or_create(post=post, user=user, kind=kind)
    return True


def open_session_threads(cohort: CohortPage) -> int:
    """A thread for each scheduled session of the group that has none yet."""
    sessions = list(
        Session.objects.filter(cohort=cohort, status=Session.Status.SCHEDULED)
        .exclude(
            pk__in=Thread.objects.filter(session__isnull=False).values("session_id")
        )
        .only("pk", "title")
    )
    if not sessions:
        return 0
    space, _created = Space.objects.get_or_create(cohort=cohort)
    now = timezone.now()
    threads = [
        Thread(
            space=space,
            kind=Thread.Kind.CONVERSATION,
            session=session,
            title=session.title,
            last_activity_at=now,
        )
        for session in sessions
    ]
    Thread.objects.bulk_create(threads, ignore_conflicts=True)
    return len(threads)

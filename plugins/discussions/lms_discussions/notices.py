"""The notifications discussions send, through core's inbox (`sdk.notify`).

In a group's space the actor is named as the reader may see them (core does
it with the group); in a program's space nobody is named ("Someone"), since
core names people only within a group.

Each notice about a post or thread carries it as its `target` (the `url`
is where it opens): what a reply by e-mail would answer, once there is
one (docs/architecture.md, "Replying by e-mail").
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy

from lms_discussions.access import mentionable, people_in
from lms_discussions.models import Post, Reader, SpaceFollower, Thread
from sdk import (
    CURRENT_MEMBER_STATUSES,
    Delivery,
    Membership,
    NotificationKind,
    Program,
    led_programs,
    notify,
    viewable_groups,
)


def _readers(user, notifications) -> set[int]:
    """Those whose space the reader is still in: a group's current members
    and the people running it from its program, while its page admits them;
    a program's space is its past members' too, so what it says (a title)
    stays theirs."""
    groups = {n.cohort_id for n in notifications if n.cohort_id}
    if user.is_superuser or not groups:
        return {n.pk for n in notifications}
    # Groups whose page the reader may still see (published, its privacy
    # settings admitting them), that they are in or lead.
    mine = set(
        viewable_groups(user)
        .filter(pk__in=groups)
        .filter(
            Q(
                pk__in=Membership.objects.filter(
                    user=user, status__in=CURRENT_MEMBER_STATUSES
                ).values("cohort_id")
            )
            | Q(program__in=led_programs(user))
        )
        .values_list("pk", flat=True)
    )
    return {n.pk for n in notifications if n.cohort_id is None or n.cohort_id in mine}


REPLY = NotificationKind(
    name="discussions.reply",
    label=gettext_lazy("Replies in discussions you started or were quoted in"),
    message=gettext_lazy("%(actor)s replied in “%(thread)s”"),
    visible=_readers,
)
ANSWERED = NotificationKind(
    name="discussions.answered",
    label=gettext_lazy("Your question is answered"),
    message=gettext_lazy("Your question “%(thread)s” has an answer"),
    visible=_readers,
)
FLAGGED = NotificationKind(
    name="discussions.flagged",
    label=gettext_lazy("A post is flagged in a discussion you moderate"),
    message=gettext_lazy("A post in “%(thread)s” was flagged"),
    default_delivery=Delivery.INBOX,
    visible=_readers,
)
NEW_THREAD = NotificationKind(
    name="discussions.new_thread",
    label=gettext_lazy("New threads in discussion spaces you follow"),
    message=gettext_lazy("%(actor)s started “%(thread)s”"),
    visible=_readers,
)
MENTION = NotificationKind(
    name="discussions.mention",
    label=gettext_lazy("Mentions of you in discussions"),
    message=gettext_lazy("%(actor)s mentioned you in “%(thread)s”"),
    visible=_readers,
)
KINDS = [REPLY, ANSWERED, FLAGGED, NEW_THREAD, MENTION]


def _title(thread: Thread) -> object:
    """A session's thread without a title of its own is named by its time
    (shown in the reader's language, in the group's time zone)."""
    if thread.title or thread.session is None:
        return thread.title
    return thread.session.starts_at


def tell_mentioned(
    thread: Thread, post: Post, people: set[int], cohort, url: str
) -> set[int]:
    """Those of `people` the post mentions who are still in the space, but
    its author and whoever muted the thread; the ones told."""
    muted = Reader.objects.filter(thread=thread, choice=Reader.Choice.MUTE)
    told = set(
        get_user_model()
        .objects.filter(pk__in=people)
        .filter(mentionable(thread.space, post.author))
        .exclude(pk=post.author_id)
        .exclude(pk__in=muted.values("user_id"))
        .values_list("pk", flat=True)
    )
    notify(
        told,
        MENTION.name,
        actor=post.author if cohort else None,
        cohort=cohort,
        url=url,
        target=post,
        params={"thread": _title(thread)},
    )
    return told


def tell_thread(
    thread: Thread, post: Post, cohort, url: str, told: set[int] = frozenset()
) -> None:
    """The thread's author, the author of the post the reply quotes, and
    the thread's followers; nobody who muted it, nor those `told` of the
    post already (its mentions)."""
    people = {thread.author_id, post.quoted.author_id if post.quoted else None}
    people.discard(None)
    for user_id, choice in (
        Reader.objects.filter(thread=thread)
        .exclude(choice=Reader.Choice.DEFAULT)
        .values_list("user_id", "choice")
    ):
        if choice == Reader.Choice.FOLLOW:
            people.add(user_id)
        else:
            people.discard(user_id)
    notify(
        people - told,
        REPLY.name,
        actor=post.author if cohort else None,
        cohort=cohort,
        url=url,
        target=post,
        params={"thread": _title(thread)},
    )


def tell_asker(thread: Thread, answer: Post, by, cohort, url: str) -> None:
    """The question's author; in a session's thread, the author of the
    reply the answer quotes (the question asked there)."""
    if thread.kind == Thread.Kind.QUESTION:
        asker = thread.author_id
    else:
        asker = answer.quoted.author_id if answer.quoted else None
    if asker is None:
        return
    notify(
        [asker],
        ANSWERED.name,
        actor=by if cohort else None,
        cohort=cohort,
        url=url,
        target=answer,
        params={"thread": _title(thread)},
    )


def tell_moderators(thread: Thread, cohort, url: str) -> None:
    space = thread.space
    program_id = space.program_id or (cohort.program_id if cohort else None)
    staff = Q(pk__in=Program.objects.filter(pk=program_id).values("leads"))
    if cohort is not None:
        staff |= Q(
            pk__in=Membership.objects.filter(
                cohort=cohort,
                status__in=CURRENT_MEMBER_STATUSES,
                role__in=[Membership.Role.FACILITATOR, Membership.Role.LEAD],
            ).values("user_id")
        )
    notify(
        get_user_model().objects.filter(staff, is_active=True),
        FLAGGED.name,
        cohort=cohort,
        url=url,
        params={"thread": _title(thread)},
    )


def tell_space(thread: Thread, url: str, told: set[int] = frozenset()) -> None:
    """The space's followers who are still in it, but its author and those
    `told` of the thread already (its mentions)."""
    space = thread.space
    followers = SpaceFollower.objects.filter(space=space).values("user_id")
    people = (
        get_user_model()
        .objects.filter(pk__in=followers, is_active=True)
        .filter(people_in(space))
        .exclude(pk=thread.author_id)
        .exclude(pk__in=told)
    )
    notify(
        people,
        NEW_THREAD.name,
        actor=thread.author if space.cohort_id else None,
        cohort=space.cohort,
        url=url,
        target=thread,
        params={"thread": _title(thread)},
    )

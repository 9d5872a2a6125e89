"""Discussion spaces, their threads and posts, and what moderators did.

A space belongs to one group (its members and staff talk there) or to one
program (everyone who is or was in one of its groups, and its leads). A
thread opens with a post by its author (a session's thread opens with none:
the plugin opened it) and takes replies one level deep; a reply may quote
another post of the thread, and mention people (`mentions`: a post keeps
their ids, never their names). Who may see and do what is decided in
`lms_discussions.access`, nowhere else.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdk import (
    SHARED_FILE_EXTENSIONS,
    MaxFileSize,
    PrivateStorage,
    Program,
    VersionedCache,
    delete_on_commit,
    drop_panels_with_memberships,
)

# Each person's My learning panel (new threads, answered questions per space),
# kept until a thread, space, group, program or membership changes, or the
# person reads or follows a thread; the records that change threads by
# update drop it themselves (`records`). Within the hour it is kept, a thread
# may stay "new" past its 30 days.
dashboard_panels = VersionedCache("discussions:dashboard-panels", ttl_seconds=3600)

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_REASON = 500
PICTURE_EXTENSIONS = {"png", "jpg", "jpeg"}
MAX_FILE_BYTES = 10 * 1024 * 1024


def names_a_picture(name: str) -> bool:
    """A file the post shows, by its name (its pixels are checked on upload)."""
    return PurePath(name).suffix.lower().lstrip(".") in PICTURE_EXTENSIONS


class Space(models.Model):
    """Where threads live: a group's space or a program's."""

    cohort = models.OneToOneField(
        "cohorts.CohortPage",
        verbose_name=pgettext_lazy("discussions", "group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.OneToOneField(
        "cohorts.Program",
        verbose_name=pgettext_lazy("discussions", "program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("discussion space")
        constraints = [
            models.CheckConstraint(
                name="discussions_space_of_one",
                condition=Q(cohort__isnull=False, program__isnull=True)
                | Q(cohort__isnull=True, program__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return str(self.cohort or self.program)


class SpaceFollower(models.Model):
    """A person told of every new thread in a space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("space follower")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"], name="discussions_follow_space_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.space_id}"


class Thread(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", pgettext_lazy("discussions", "Question")
        CONVERSATION = "conversation", _("Conversation")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(
        pgettext_lazy("discussions", "kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.CONVERSATION,
    )
    title = models.CharField(
        pgettext_lazy("discussions", "title"), max_length=MAX_TITLE, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # a session's thread, or its author's data erased
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The group meeting this thread is about (opened when it was scheduled).
    session = models.OneToOneField(
        "scheduling.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField()
    replies = models.PositiveIntegerField(default=0)  # kept with F()
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    answer = models.OneToOneField(
        "Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thread")
        indexes = [
            models.Index(
                fields=["space", "-pinned", "-last_activity_at", "-id"],
                name="discussions_thread_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # erased: shown as a former member
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The thread's first post, written with its title.
    opening = models.BooleanField(default=False)
    body = models.TextField(pgettext_lazy("discussions", "text"), max_length=MAX_BODY)
    quoted = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("discussions", "quoting"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator, or held back by members' flags until one looks.
    hidden_at = models.DateTimeField(null=True, blank=True)
    held_for_review = models.BooleanField(default=False)
    flags = models.PositiveIntegerField(default=0)  # open flags, kept with F()

    class Meta:
        verbose_name = _("post")
        indexes = [
            models.Index(
                fields=["thread", "created_at", "id"], name="discussions_post_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread}: {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.thread_id]) + f"#post-{self.pk}"

    @property
    def removed(self) -> bool:
        """Shown as deleted or hidden to all but moderators."""
        return bool(self.deleted_at or self.hidden_at or self.held_for_review)


class Attachment(models.Model):
    """A file a post carries: private, served only to those who may read
    the post (`views.attachment`); a picture is shown in the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        storage=PrivateStorage(),
        upload_to="discussions/%Y/%m/",
        validators=[
            FileExtensionValidator(SHARED_FILE_EXTENSIONS),
            MaxFileSize(MAX_FILE_BYTES),
        ],
    )
    # As it was uploaded (the storage may add to a name already taken).
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)  # read without the storage
    # What a picture shows, for those who cannot see it.
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attached file")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_picture(self) -> bool:
        return names_a_picture(self.file.name)


class Revision(models.Model):
    """The text a post had before an edit, for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=MAX_BODY)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.replaced_at}"


class Flag(models.Model):
    """A member's report of a post; one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=MAX_REASON)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator dealt with the post.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagger"], name="discussions_one_flag_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.flagger_id}"


class ModerationAction(models.Model):
    """One line of a space's moderation log."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        HIDE = "hide", _("Hid a post")
        SHOW = "show", _("Showed a post again")
        DELETE = "delete", _("Deleted a post")
        HELD = "held", _("Post held back by flags")
        MOVE_AWAY = "move_away", _("Moved a thread to another space")
        MOVE_HERE = "move_here", _("Moved a thread here")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # held back by members' flags; or erased
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    thread = models.ForeignKey(
        Thread, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at}"


class Reader(models.Model):
    """A person and a thread: when they last read it, and whether they
    follow it (told of every reply) or muted it (told of none)."""

    class Choice(models.TextChoices):
        DEFAULT = "", _("Told of replies to my posts")
        FOLLOW = "follow", _("Following")
        MUTE = "mute", _("Muted")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)

    class Meta:
        verbose_name = _("reader")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="discussions_one_reader_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.thread_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", _("Helpful")
        THANKS = "thanks", _("Thanks")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("reaction")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="discussions_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.post_id}"


def _delete_file(sender, instance: Attachment, **kwargs) -> None:
    # Cascades (a deleted thread, an erased author's post) remove rows only.
    delete_on_commit(instance.file)


def connect_signals() -> None:
    post_delete.connect(
        _delete_file, sender=Attachment, dispatch_uid="discussions-file"
    )
    dashboard_panels.invalidate_on(Thread, Space, Program)
    dashboard_panels.invalidate_on(Reader, scope=lambda read: str(read.user_id))
    drop_panels_with_memberships(dashboard_panels)

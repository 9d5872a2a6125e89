"""Assignments of a grantwriting workshop, the drafts people submit for them,
every version of each draft, and the feedback on them.

Who sees a draft (kept in `lms_grantwriting.access`): its author and the
workshop's facilitators always; the other participants once the author asks
for feedback (any status but "draft"); nobody outside the workshop.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

from sdk import (
    PrivateStorage,
    VersionedCache,
    delete_on_commit,
    drop_panels_with_memberships,
)

DRAFT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "txt", "xlsx", "ods"]

# Each person's "coming due" panels, kept until they submit, join or leave a
# group, or any assignment or group page changes (both change seldom).
dashboard_panels = VersionedCache("grantwriting:dashboard-panels", ttl_seconds=3600)


class Assignment(models.Model):
    class Kind(models.TextChoices):
        NEED_STATEMENT = "need_statement", _("Need statement")
        LOGIC_MODEL = "logic_model", _("Logic model")
        BUDGET_NARRATIVE = "budget_narrative", _("Budget narrative")
        OTHER = "other", _("Other")

    cohort = models.ForeignKey(
        "cohorts.CohortPage",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    session = models.ForeignKey(
        "scheduling.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The workshop session this assignment belongs to."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER
    )
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Draft(models.Model):
    """One person's work on one assignment, across all its versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FEEDBACK_REQUESTED = "feedback_requested", _("Feedback requested")
        REVISED = "revised", _("Revised")
        FINAL = "final", _("Final")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    versions_made = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "author"], name="one_draft_per_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.author_id})"


class Version(models.Model):
    """A submitted version; earlier ones are kept unchanged."""

    draft = models.ForeignKey(
        Draft,
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"),
        storage=PrivateStorage(),
        upload_to="grantwriting/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(DRAFT_EXTENSIONS)],
    )
    note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("A line for the people giving feedback."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="version_numbers_unique_per_draft"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class Feedback(models.Model):
    draft = models.ForeignKey(
        Draft,
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    version = models.ForeignKey(
        Version,
        verbose_name=_("on version"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,  # kept, unsigned, when its author's data is erased
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("feedback"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.created_at:%Y-%m-%d}"


def _delete_file(sender, instance: Version, **kwargs) -> None:
    delete_on_commit(instance.file)


def connect_signals() -> None:
    post_delete.connect(_delete_file, sender=Version, dispatch_uid="grantwriting-file")
    dashboard_panels.invalidate_on(Assignment)
    dashboard_panels.invalidate_on(Draft, scope=lambda draft: str(draft.author_id))
    # My learning's panel lists only the groups that use grantwriting.
    drop_panels_with_memberships(dashboard_panels)

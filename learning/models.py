"""A group's course as its members work through it: their progress on each
lesson, when each module opens, and the certificates they earn.

The course itself (its modules and lessons) is a tree of content pages; these
rows say what happened to it in one group.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel

from cohorts.models import CohortPage
from lms.models import InOrder


class LessonProgress(models.Model):
    """One person's work on one lesson in one cohort: answers and completion."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        "content.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.STARTED
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    quiz_score = models.PositiveSmallIntegerField(
        _("quiz score (%)"), null=True, blank=True
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)

    class Meta:
        # The table keeps the name it was made with: renaming gains nothing.
        db_table = "cohorts_lessonprogress"
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort", "lesson"], name="one_progress_per_lesson"
            )
        ]
        # The facilitator's dashboard counts completions per cohort.
        indexes = [
            models.Index(fields=["cohort", "status", "user"], name="progress_by_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.lesson_id} ({self.get_status_display()})"


class Certificate(models.Model):
    """Proof that someone completed a course in a cohort, checkable by its code.

    Names and titles are kept as they were on the day, so the certificate
    reads the same after pages are renamed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("cohort"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    name = models.CharField(_("name on the certificate"), max_length=300)
    course_title = models.CharField(_("course"), max_length=255)
    cohort_title = models.CharField(_("cohort"), max_length=255)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        # The table keeps the name it was made with: renaming gains nothing.
        db_table = "cohorts_certificate"
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort", "course"], name="one_certificate_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.course_title}"

    @staticmethod
    def new_code() -> str:
        return secrets.token_urlsafe(9)


class ModuleRelease(InOrder):
    """When a course module opens in this cohort (for "on set dates")."""

    cohort = ParentalKey(
        CohortPage, on_delete=models.CASCADE, related_name="module_releases"
    )
    module = models.ForeignKey(
        "content.ModulePage",
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("opens"))

    panels = [FieldPanel("module"), FieldPanel("opens_at")]

    class Meta(InOrder.Meta):
        # The table keeps the name it was made with: renaming gains nothing.
        db_table = "cohorts_modulerelease"
        verbose_name = _("module opening date")
        verbose_name_plural = _("module opening dates")

"""Surveys leads build, the moments groups attach them to, and the answers.

Anonymity is kept by the tables themselves: a `Response` says that a person
answered (or holds their draft) and is what makes one answer per person and
moment; the answers of an anonymous survey go into a `Submission` with no
link back to it, a random id and no time, so no query, export or admin
screen can join an anonymous answer to the person who gave it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, TranslatableMixin

from lms_surveys.questions import Question, QuestionsBlock, questions_of
from sdk import VersionedCache, drop_panels_with_memberships

# Each person's "surveys waiting for you" panels, kept until a moment, a
# survey, a group page or a membership changes, or the person answers.
dashboard_panels = VersionedCache("surveys:dashboard-panels", ttl_seconds=3600)


class Survey(TranslatableMixin, models.Model):
    """A survey leads build once and groups reuse; one row per language."""

    title = models.CharField(pgettext_lazy("surveys", "title"), max_length=200)
    slug = models.SlugField(
        pgettext_lazy("surveys", "slug"), max_length=100, allow_unicode=True
    )
    intro = models.TextField(
        pgettext_lazy("surveys", "introduction"),
        blank=True,
        help_text=_("Shown above the questions."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Nobody sees who gave which answer, and results appear only once "
            "enough people have answered. Cannot be changed once answered."
        ),
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("anonymous"),
        FieldPanel("questions"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["title"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Also when saved by code that never cleans it (a shell, an import).
        self.check_anonymity_kept()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.check_anonymity_kept()

    def check_anonymity_kept(self) -> None:
        """What anonymity promised (or did not) holds for the answers given:
        once anyone answered, `anonymous` no longer changes."""
        before = Survey.objects.filter(pk=self.pk).values_list("anonymous", flat=True)
        if (
            self.pk
            and before.first() not in (None, self.anonymous)
            and Response.objects.filter(moment__survey=self).exists()
        ):
            raise ValidationError(
                {
                    "anonymous": _(
                        "People have answered this survey: whether it is "
                        "anonymous can no longer change. Make a new survey instead."
                    )
                }
            )

    def in_language(self, locale: Locale | None = None) -> "Survey":
        """This survey in the active (or given) language, else as it is."""
        locale = locale or Locale.get_active()
        if self.locale_id == locale.pk:
            return self
        return self.get_translation_or_none(locale) or self

    def question_list(self) -> list[Question]:
        return questions_of(self.questions)


class Moment(models.Model):
    """A survey attached to a group at a moment of its life."""

    class Kind(models.TextChoices):
        JOINING = "joining", _("On joining")
        AFTER_SESSION = "after_session", _("After each session")
        MIDDLE = "middle", _("At the middle")
        END = "end", _("At the end")
        PRE = "pre", _("Before (pre)")
        POST = "post", _("After (post)")

    cohort = models.ForeignKey(
        "cohorts.CohortPage",
        verbose_name=pgettext_lazy("surveys", "group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The survey in the language it was written in; people answer it in theirs.
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attached_at = models.DateTimeField(default=timezone.now)
    # Detached moments keep their answers and results but wait for no one.
    detached_at = models.DateTimeField(null=True, blank=True)
    # Its charts shown to the group's members (a facilitator's choice), to
    # talk over at the next session: never anyone's words or who said what.
    shared_with_group = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey moment")
        ordering = ["attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "kind"],
                condition=Q(detached_at__isnull=True),
                name="surveys_one_survey_per_group_moment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def per_session(self) -> bool:
        return self.kind == self.Kind.AFTER_SESSION


class Response(models.Model):
    """That a person answered a moment (for one session, after each session),
    or their draft: never what an anonymous survey's answers were."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        "scheduling.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What was typed so far, as posted: a form bound to it shows it again.
    draft = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "respondent", "session"],
                condition=Q(session__isnull=False),
                name="surveys_one_response_per_person_and_session",
            ),
            models.UniqueConstraint(
                fields=["moment", "respondent"],
                condition=Q(session__isnull=True),
                name="surveys_one_response_per_person_and_moment",
            ),
        ]
        indexes = [models.Index(fields=["respondent"], name="surveys_by_respondent")]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Submission(models.Model):
    """One person's answers to one moment. For a named survey it points to
    its `Response`; for an anonymous one it points to nothing, and its random
    id and missing time keep it from being matched to one by order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        "scheduling.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    response = models.OneToOneField(
        Response,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submission",
    )

    class Meta:
        verbose_name = _("survey submission")

    def __str__(self) -> str:
        return f"Submission {self.pk}"


class Answer(models.Model):
    """The answer to one question. Choices and scale points are numbers (a
    choice's position); a multiple choice is one row per choice ticked."""

    # Random, as the submission's: an order of insertion would line
    # anonymous answers up with the order people answered in.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="answers"
    )

    class Quote(models.TextChoices):
        NOT = "", _("Not to be quoted")
        UNNAMED = "unnamed", _("Quoted without a name")
        FIRST_NAME = "first_name", _("Quoted with the first name")

    question = models.CharField(max_length=64)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    text = models.TextField(blank=True)
    # What the person allowed for a testimony question's answer.
    quote = models.CharField(max_length=12, choices=Quote.choices, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        indexes = [
            models.Index(fields=["submission", "question"], name="surveys_answer_q")
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class GroupSettings(models.Model):
    """What a group's facilitators chose about survey e-mails."""

    cohort = models.OneToOneField(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="+"
    )
    invitations = models.BooleanField(_("send invitations"), default=True)
    reminders = models.BooleanField(_("send reminders"), default=True)

    class Meta:
        verbose_name = _("group survey settings")

    def __str__(self) -> str:
        return f"GroupSettings {self.cohort_id}"

    def sends(self, round_number: int) -> bool:
        """Whether the e-mail of that round goes: a reminder only follows an
        invitation."""
        if round_number == 0:
            return self.invitations
        return self.invitations and self.reminders


class Reflection(models.Model):
    """A facilitator's few lines after a session they ran, for the group's
    staff: what went well, what to change."""

    session = models.ForeignKey(
        "scheduling.Session", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    went_well = models.TextField(_("what went well"), blank=True)
    to_change = models.TextField(_("what to change next time"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session reflection")
        ordering = ["-session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "author"], name="surveys_one_reflection_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Reflection {self.pk}"


def connect_signals() -> None:
    dashboard_panels.invalidate_on(Moment, Survey)
    dashboard_panels.invalidate_on(
        Response, scope=lambda found: str(found.respondent_id)
    )
    drop_panels_with_memberships(dashboard_panels)

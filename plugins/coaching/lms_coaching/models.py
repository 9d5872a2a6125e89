"""Coaching sessions a coach logs, with what is shared and what stays private.

Privacy rule, kept in `lms_coaching.access`: a session's coach sees all of it;
its coachee sees everything but the private notes and private attachments;
nobody else sees any of it (leads get de-identified roll-ups).
"""

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _

from sdk import (
    SHARED_FILE_EXTENSIONS,
    MaxFileSize,
    Organisation,
    PrivateStorage,
    VersionedCache,
    delete_on_commit,
    drop_panels_with_memberships,
    organisation_named,
    same_name,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Each person's "next steps" panels, kept until a session or step of theirs, a
# membership of theirs or a group page changes.
dashboard_panels = VersionedCache("coaching:dashboard-panels", ttl_seconds=3600)


class CoachingSession(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        OTHER = "other", _("Other")

    cohort = models.ForeignKey(
        "cohorts.CohortPage",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        null=True,  # kept, without the coach, when the coach's data is erased
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coachee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation_name = models.CharField(
        _("partner organisation"),
        max_length=200,
        blank=True,
        help_text=_("Instead of a person: the organisation you coached."),
    )
    # The site's organisation of that name, when there is one (or once a lead
    # adds it: `link_sessions_to`), for its coalition's leads: coaching
    # counts with what its people did. No organisation is made from a name
    # only the coach sees. The coach is shown the name as they typed it.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_at = models.DateTimeField(_("date and time"))
    minutes = models.PositiveIntegerField(
        _("length in minutes"),
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.VIDEO
    )
    topics = models.ManyToManyField(
        "content.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    shared_notes = models.TextField(
        _("notes shared with the coachee"),
        blank=True,
        help_text=_("The coachee reads these."),
    )
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        help_text=_(
            "Only you will ever see these: not the coachee, other coaches, "
            "leads, exports or the admin."
        ),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(coachee__isnull=False) & Q(organisation_name=""))
                | (Q(coachee__isnull=True) & ~Q(organisation_name="")),
                name="coaching_with_a_person_or_an_organisation",
            )
        ]
        indexes = [
            models.Index(fields=["coach", "held_at"], name="coaching_by_coach"),
            models.Index(fields=["coachee", "held_at"], name="coaching_by_coachee"),
        ]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} ({self.pk})"

    def save(self, *args, **kwargs) -> None:
        name = self.organisation_name
        if not name:
            self.organisation = None
        elif name != getattr(self, "_name_as_loaded", None):
            self.organisation = organisation_named(name)
        self._name_as_loaded = name
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        session = super().from_db(db, field_names, values)
        session._name_as_loaded = session.__dict__.get("organisation_name")
        return session


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Working on it")
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")

    session = models.ForeignKey(
        CoachingSession,
        verbose_name=_("set in"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    text = models.CharField(_("goal"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("coaching goal")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class NextStep(models.Model):
    session = models.ForeignKey(
        CoachingSession,
        verbose_name=_("agreed in"),
        on_delete=models.CASCADE,
        related_name="next_steps",
    )
    text = models.CharField(_("next step"), max_length=300)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("next step")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class Attachment(models.Model):
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        storage=PrivateStorage(),
        upload_to="coaching/%Y/%m/",
        validators=[
            FileExtensionValidator(SHARED_FILE_EXTENSIONS),
            MaxFileSize(MAX_ATTACHMENT_BYTES),
        ],
        help_text=_("Up to 10 MB: documents, spreadsheets, slides or photos."),
    )
    shared = models.BooleanField(
        _("share with the coachee"),
        default=False,
        help_text=_("Unticked, only you can open it."),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


def _delete_file(sender, instance: Attachment, **kwargs) -> None:
    # Cascades (a deleted session, an erased coachee) remove rows only.
    delete_on_commit(instance.file)


def people(session: CoachingSession) -> list[str]:
    """The coach's and coachee's panel scopes."""
    return [str(pk) for pk in (session.coach_id, session.coachee_id) if pk]


def _drop_former_peoples_panels(sender, instance: CoachingSession, **kwargs) -> None:
    # An edit may hand the session to another coachee: the former one's panel
    # must lose its steps too.
    former = CoachingSession.objects.filter(pk=instance.pk).only("coach", "coachee")
    if instance.pk and (former := former.first()):
        dashboard_panels.invalidate_scope(*people(former))


def connect_signals() -> None:
    post_delete.connect(_delete_file, sender=Attachment, dispatch_uid="coaching-file")
    pre_save.connect(
        _drop_former_peoples_panels,
        sender=CoachingSession,
        dispatch_uid="coaching-former-panels",
    )
    post_save.connect(
        link_sessions_to, sender=Organisation, dispatch_uid="coaching-organisation"
    )
    dashboard_panels.invalidate_on(CoachingSession, scope=people)
    dashboard_panels.invalidate_on(NextStep, scope=lambda step: people(step.session))
    # My learning's panel lists the groups that use coaching and that the
    # person is a current member of.
    drop_panels_with_memberships(dashboard_panels)


def link_sessions_to(sender, instance, created: bool, raw: bool = False, **kwargs):
    """An organisation added to the site takes the coaching sessions logged
    with it by name before it was there."""
    if created and not raw:
        # Compared here rather than by the database: the names are stored
        # as typed, spaces and all, and only unlinked sessions are read.
        unlinked = CoachingSession.objects.filter(organisation=None).exclude(
            organisation_name=""
        )
        CoachingSession.objects.filter(
            pk__in=[
                pk
                for pk, typed in unlinked.values_list("pk", "organisation_name")
                if same_name(typed, instance.name)
            ]
        ).update(organisation=instance)

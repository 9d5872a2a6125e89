"""Cohorts, circles, trainings and events: the group page (CohortPage), the
catalogue, and who belongs (Membership).

A group is a Wagtail page leads write; who belongs is a plain model keyed to
it. The app's other models live beside this module and are imported here:
programs and their targets (`programs`), learning paths (`learning_paths`),
a page's speakers and resources (`speakers_and_resources`), program names
(`program_names`) and sign-ups waiting for their link (`joining`). Meetings
are the scheduling app's.
"""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cohorts.learning_paths import (  # noqa: F401 (models of this app)
    LearningPathForm,
    LearningPathPage,
    LearningPathStep,
    path_contexts,
)
from cohorts.program_names import ProgramName  # noqa: F401 (a model of this app)
from cohorts.programs import (  # noqa: F401 (models of this app)
    Program,
    ProgramForm,
    ProgramQuerySet,
)

# Migrations name the validator by this path.
from cohorts.reminders import (  # noqa: F401
    DEFAULT_REMINDER_HOURS,
    reminder_offsets,
    validate_reminder_hours,
)
from cohorts.speakers_and_resources import (  # noqa: F401 (models of this app)
    CohortResource,
    Speaker,
)
from content.models import (
    RESOURCE_LANGUAGES,
    BasePage,
    Topic,
)
from lms.plugins import plugin_configs

TIME_ZONES = sorted((name, name) for name in available_timezones())


class CohortPageForm(WagtailAdminPageForm):
    """Adds the per-cohort plugin switches, listing installed cohort plugins.
    A lead files a group only under a program they lead (the rule of
    cohorts.permissions.led_programs), so they cannot hand it to, or take it
    from, another program."""

    plugins = forms.MultipleChoiceField(
        label=_("Plugins for this cohort"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tabs and panels of these plugins appear in this cohort only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "program" in self.fields and not (user is not None and user.is_superuser):
            self.fields["program"].queryset = Program.objects.for_groups_of(user)
            # A group under no program is one no lead may manage afterwards.
            self.fields["program"].required = True
        self.fields["plugins"].choices = [
            (config.label, config.verbose_name)
            for config in plugin_configs()
            if config.cohort_scoped
        ]


class CohortPage(RoutablePageMixin, BasePage):
    """Any group people join: a cohort, a learning circle, a training, an event."""

    class Release(models.TextChoices):
        AT_ONCE = "at_once", _("All at once")
        BY_SESSION = "by_session", _("One module per session")
        BY_DATE = "by_date", _("On set dates")

    class Kind(models.TextChoices):
        COHORT = "cohort", _("Cohort")
        LEARNING_CIRCLE = "circle", _("Learning circle")
        TRAINING = "training", _("Training")
        SPEAKER_EVENT = "event", _("Speaker event")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COHORT
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=RESOURCE_LANGUAGES, default="en"
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    area = models.CharField(
        _("area"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where, roughly, for the catalogue (e.g. 'Eastside, Riverside'). "
            "The exact address is on each session and shown only to people "
            "who are going."
        ),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, default=settings.TIME_ZONE
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("How many participants can join. Leave empty for no limit."),
    )
    is_youth = models.BooleanField(
        _("youth cohort"),
        default=False,
        help_text=_("Members' contact details are never shown to other members."),
    )
    signup_open = models.BooleanField(_("open for sign-up"), default=True)
    goal_prompt = models.CharField(
        _("goal question"),
        max_length=200,
        blank=True,
        help_text=_(
            "Asked when people sign up, e.g. 'What do you hope to get out of "
            "this circle?' Leave empty to ask nothing."
        ),
    )
    plugins = models.JSONField(_("plugins"), default=list, blank=True)
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The course members work through in this group's space."),
    )
    release = models.CharField(
        _("lessons open"),
        max_length=20,
        choices=Release.choices,
        default=Release.AT_ONCE,
        help_text=_(
            "One module per session: the first module opens when the first "
            "session starts, the second with the second, and so on. On set "
            "dates: each module opens on the date given below (modules without "
            "a date open at once)."
        ),
    )
    recording_url = models.URLField(
        _("recording"), blank=True, help_text=_("Add after the event.")
    )
    slides_url = models.URLField(_("slides"), blank=True)

    base_form_class = CohortPageForm
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("program"),
                FieldPanel("kind"),
                FieldPanel("topic"),
                FieldPanel("language"),
                FieldPanel("format"),
                FieldPanel("area"),
                FieldPanel("time_zone"),
            ],
            heading=_("About this group"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("signup_open"),
                FieldPanel("goal_prompt"),
                FieldPanel("is_youth"),
            ],
            heading=_("Joining"),
        ),
        InlinePanel("resource_links", heading=_("Resources"), label=_("Resource")),
        InlinePanel("speakers", heading=_("Speakers"), label=_("Speaker")),
        MultiFieldPanel(
            [FieldPanel("recording_url"), FieldPanel("slides_url")],
            heading=_("After the event"),
        ),
        FieldPanel("plugins"),
    ]

    class Meta:
        verbose_name = _("cohort, circle or event")
        verbose_name_plural = _("cohorts, circles and events")

    def permissions_for_user(self, user):
        """Leads hold page permissions on the whole tree; on a group's page
        they keep them only as a lead of its program. For a lead of another
        program this page allows nothing but a look: every admin action
        (edit, publish, unpublish, lock, revert, move, copy, delete, add
        beneath, bulk actions, translation) asks this tester first."""
        tester = super().permissions_for_user(user)
        if hasattr(tester, "permissions") and not (
            Program.objects.led_by(user).filter(pk=self.program_id).exists()
        ):
            tester.permissions = set()  # superusers and inactive users have none
        return tester

    def uses_plugin(self, label: str) -> bool:
        """The cohort-scoped plugin `label` is switched on here."""
        return label in (self.plugins or [])

    @property
    def open_to_everyone(self) -> bool:
        """Speaker events open for sign-up take answers from anyone signed in."""
        return self.kind == self.Kind.SPEAKER_EVENT and self.signup_open

    def get_context(self, request, *args, **kwargs):
        from cohorts.group_pages import cohort_space

        context = super().get_context(request, *args, **kwargs)
        context.update(cohort_space(self, request))
        return context

    # A group's pages live at /cohorts/<id>/... (docs/architecture.md,
    # "Addresses of a group's pages"); these were once routes of the page.
    # Wagtail checks the page's privacy settings before any route answers
    # (its on_serve_page hook), so a private group's old address sends
    # no one the page refuses on to the group's number.
    @path("members/", name="members")
    def members_moved(self, request: HttpRequest) -> HttpResponse:
        return self.moved(request, "cohorts:members")

    @path("announcements/", name="announcements")
    def announcements_moved(self, request: HttpRequest) -> HttpResponse:
        return self.moved(request, "cohorts:announcements")

    def moved(self, request: HttpRequest, name: str) -> HttpResponse:
        """A permanent redirect to this group's page `name`, in the language
        asked in (its /es/ prefix) and with the query string kept."""
        address = reverse(name, args=[self.pk])
        if query := request.META.get("QUERY_STRING"):
            address = f"{address}?{query}"
        return HttpResponsePermanentRedirect(address)


class CatalogueIndexPage(BasePage):
    """Every open cohort, circle, training and event, filterable."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["cohorts.LearningPathPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catalogue")

    def get_context(self, request, *args, **kwargs):
        from cohorts.catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, self))
        return context


class EmailFrequency(models.TextChoices):
    EACH = "each", _("Each announcement")
    DAILY = "daily", _("A daily digest")
    NONE = "none", _("No e-mail (read them on the site)")


class Membership(models.Model):
    """A person's place in a group: their role and where they stand."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        FACILITATOR = "facilitator", _("Facilitator")
        LEAD = "lead", _("Lead")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        WAITLISTED = "waitlisted", _("Waitlisted")
        LEFT = "left", _("Left")
        COMPLETED = "completed", _("Completed")

    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    goal = models.TextField(_("goal"), blank=True)
    goal_met = models.BooleanField(_("goal met"), null=True, blank=True)
    goal_reflection = models.TextField(_("reflection on the goal"), blank=True)
    announcement_emails = models.CharField(
        _("announcement e-mails"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.EACH,
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="one_membership_per_cohort"
            )
        ]
        # Dashboards and reminders list a cohort's active participants.
        indexes = [
            models.Index(
                fields=["cohort", "role", "status"], name="members_by_role_status"
            )
        ]

    def __str__(self) -> str:
        # Wagtail keeps this as the label of admin log entries, which leads
        # of every program read: no name of the person.
        return _("Membership #%(id)s in %(group)s") % {
            "id": self.pk,
            "group": self.cohort.title,
        }


# People who are in a cohort, as opposed to invited, waiting or gone.
CURRENT_MEMBER_STATUSES = [Membership.Status.ACTIVE, Membership.Status.COMPLETED]


from cohorts.joining import PendingJoin  # noqa: E402, F401 (a model of this app)

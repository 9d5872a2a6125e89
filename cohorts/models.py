"""Cohorts, circles and events, and the one scheduling core they all share.

A cohort is a Wagtail page leads write; who belongs (Membership) and what
happens when (Session, RSVP, Attendance) are plain models keyed to it.
"""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable

from cohorts.program_names import ProgramName  # noqa: F401 (a model of this app)
from content.models import (
    RESOURCE_LANGUAGES,
    BasePage,
    CoursePage,
    Topic,
)
from lms.people import staff_label
from lms.plugins import collect
from lms.roles import PROGRAM_LEADS

TIME_ZONES = sorted((name, name) for name in available_timezones())
DEFAULT_REMINDER_HOURS = "24, 1"


def reminder_offsets(hours: str) -> list[timedelta]:
    """'24, 1' -> [24 hours, 1 hour]; ValueError for anything else."""
    offsets = [
        timedelta(hours=float(part)) for part in hours.split(",") if part.strip()
    ]
    if any(offset <= timedelta(0) or offset > timedelta(days=30) for offset in offsets):
        raise ValueError(hours)
    return sorted(set(offsets), reverse=True)


def validate_reminder_hours(value: str) -> None:
    try:
        reminder_offsets(value)
    except ValueError:
        raise ValidationError(
            _(
                "Write hours as numbers between 0 and 720, separated by commas, "
                "e.g. '24, 1'."
            )
        ) from None


class ProgramQuerySet(models.QuerySet):
    def led_by(self, user) -> "ProgramQuerySet":
        """The programs `user` leads; every program for superusers."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(leads=user)


class ProgramForm(WagtailAdminModelForm):
    """Only superusers name a program's leads, so leads cannot add themselves
    to another's program; a lead who starts a program leads it."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if not (for_user is not None and for_user.is_superuser):
            self.fields.pop("leads", None)
        elif "leads" in self.fields:
            self.fields["leads"].queryset = get_user_model().objects.filter(
                groups__name=PROGRAM_LEADS
            )
            self.fields["leads"].label_from_instance = staff_label
            self.fields["leads"].help_text = _(
                "People in the Program leads group. They manage this program's "
                "groups in the admin and read its reports; nothing of other programs."
            )

    def save(self, commit=True):
        creating = self.instance._state.adding
        program = super().save(commit=commit)
        lead = self.for_user
        if commit and creating and lead is not None and not lead.is_superuser:
            # A lead who starts a program leads it, or it would vanish from them.
            program.leads.add(lead)
        return program


class Program(ClusterableModel):
    """A funded program that runs cohorts, e.g. "Learning Community 2021"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    reminder_hours = models.CharField(
        _("reminders"),
        max_length=50,
        default="24, 1",
        validators=[validate_reminder_hours],
        help_text=_(
            "Hours before each session when members get a reminder e-mail, "
            "separated by commas, e.g. '24, 1' or '48, 2, 0.5'. Leave empty "
            "for no reminders."
        ),
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("program leads"),
        blank=True,
        related_name="led_programs",
        help_text=_(
            "They manage this program's groups in the admin and read its "
            "reports; nothing of other programs."
        ),
    )

    objects = ProgramQuerySet.as_manager()
    base_form_class = ProgramForm

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("reminder_hours"),
        FieldPanel("leads"),
        InlinePanel(
            "names",
            heading=_("Name in other languages"),
            label=_("Name"),
            help_text=_(
                "Pages in that language show this name; pages in the others "
                "the name above."
            ),
        ),
        InlinePanel("targets", label=_("Targets")),
    ]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# What every program can be measured by, besides what plugins measure.
CORE_MEASURES = {
    "core.participants": _("People taking part"),
    "core.sessions": _("Sessions held"),
    "core.attendances": _("Attendances (present or late)"),
    "core.certificates": _("Course certificates earned"),
    "core.goals_met": _("People who met their goal"),
}


def measure_choices() -> list[tuple[str, str]]:
    """Core measures and those installed plugins offer (asked with no program)."""
    offered = [
        (measure.key, measure.label)
        for measure in collect("lms_measures", program=None)
    ]
    return [*CORE_MEASURES.items(), *offered]


class OutcomeTarget(Orderable):
    """A number the program aims for, e.g. 600 residents trained this year."""

    program = ParentalKey(Program, on_delete=models.CASCADE, related_name="targets")
    # Plain text, checked in clean(): what can be measured depends on the
    # plugins installed, which must not be asked during system checks.
    measure = models.CharField(_("measure"), max_length=100)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [
        FieldPanel("measure", widget=forms.Select(choices=measure_choices)),
        FieldPanel("target"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "measure"], name="one_target_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target}"

    def clean(self) -> None:
        super().clean()
        if self.measure not in dict(measure_choices()):
            raise ValidationError({"measure": _("Choose one of the measures listed.")})


# Views of the apps above served as routes of a group's page (its
# announcements): name -> view(request, page), added in their AppConfig.ready().
page_views: dict[str, Callable[[HttpRequest, "CohortPage"], HttpResponse]] = {}


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
        from lms.plugins import plugin_configs

        super().__init__(*args, **kwargs)
        user = self.for_user
        if "program" in self.fields and not (user is not None and user.is_superuser):
            self.fields["program"].queryset = Program.objects.led_by(user)
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
        from cohorts.space import cohort_space

        context = super().get_context(request, *args, **kwargs)
        context.update(cohort_space(self, request))
        return context

    @path("members/", name="members")
    def members(self, request):
        """Members only: who is in the group. Others get a 403 page."""
        from cohorts import permissions
        from cohorts.space import visible_members

        found = permissions.membership(request.user, self)
        if not permissions.insider(request.user, found):
            raise PermissionDenied
        return self.render(
            request,
            context_overrides={
                "members": True,
                "items": visible_members(
                    self,
                    permissions.facilitates(request.user, found),
                    request.GET.get("page"),
                ),
            },
            template="cohorts/cohort_members.html",
        )

    @path("announcements/", name="announcements")
    def announcements_page(self, request):
        """Members read announcements; facilitators and leads write them (the
        view is the notifications app's, which adds it to `page_views`)."""
        view = page_views.get("announcements")
        if view is None:
            raise Http404
        return view(request, self)


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


class LearningPathForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        steps = [
            form.cleaned_data
            for form in self.formsets["steps"].forms
            if form.is_valid()
            and form.cleaned_data.get("course")
            and not form.cleaned_data.get("DELETE")
        ]
        steps.sort(key=lambda step: step.get("ORDER") or 0)
        courses = [step["course"] for step in steps]
        if len({course.pk for course in courses}) < len(courses):
            self.add_error(None, _("Each course can be in the path once."))
        needs = CoursePage.prerequisites.through.objects.filter(
            from_coursepage__in=courses
        ).values_list("from_coursepage", "to_coursepage")
        position = {course.pk: index for index, course in enumerate(courses)}
        titles = {course.pk: course.title for course in courses}
        for course_id, first_id in needs:
            if position.get(first_id, len(courses)) > position[course_id]:
                self.add_error(
                    None,
                    _("%(course)s needs a course that is not before it in the path.")
                    % {"course": titles[course_id]},
                )
        return cleaned


class LearningPathPage(BasePage):
    """Courses in the order to take them, e.g. "Ready to apply for a grant"."""

    parent_page_types = ["cohorts.CatalogueIndexPage"]
    subpage_types = []
    base_form_class = LearningPathForm

    content_panels = [
        *BasePage.content_panels,
        InlinePanel("steps", label=_("Courses in order"), min_num=1),
    ]

    class Meta:
        verbose_name = _("learning path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for extra in path_contexts.values():
            context.update(extra(self, request))
        return context


# Where the person stands with each course of a learning path (the learning
# app's `steps`, from the certificates they hold): name -> context(page,
# request), added in the app's AppConfig.ready().
path_contexts: dict[str, Callable[[LearningPathPage, HttpRequest], dict]] = {}


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(
        _("why this step"),
        max_length=250,
        blank=True,
        help_text=_("Optional, e.g. 'Start here if you have never written a grant'."),
    )

    panels = [FieldPanel("course"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("course in the path")
        verbose_name_plural = _("courses in the path")


class CohortResource(Orderable):
    """A page from the resource library the group works with."""

    cohort = ParentalKey(
        CohortPage, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(
        "content.ResourcePage",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(
        _("why it matters here"),
        max_length=250,
        blank=True,
        help_text=_("Optional, e.g. 'Read before the second meeting'."),
    )

    panels = [FieldPanel("resource"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")


class Speaker(Orderable):
    cohort = ParentalKey(CohortPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt_text = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("photo_alt_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.photo_id and not self.photo_alt_text.strip():
            raise ValidationError(
                {"photo_alt_text": _("Describe the photo, or remove it.")}
            )


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

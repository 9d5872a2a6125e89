"""A coalition's partners: the directory entry of an organisation (core's
`Organisation`, shared with the rest of the site) — what it is, the sectors
it belongs to, where it works, in which languages, where it stands as a
partner — with the services it offers and the places it offers them.

Shaped after Open Referral's Human Services Data Specification
(organisation, service, location, service at location), so a directory can
be exchanged in that standard's CSV files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.images.models import SourceImageIOError

from lms_partners.languages import LanguageCodesField, language_names
from sdk import (
    Organisation,
    TranslatableTerm,
    logo_alt_field,
    logo_field,
    logo_without_words,
)


class Sector(TranslatableTerm):
    """A part of the community a coalition wants at its table (education,
    faith groups, youth …): a list leads keep, in each language."""

    class Meta(TranslatableTerm.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Area(models.Model):
    """A place partners serve: a county, a city, a neighbourhood."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        # Field names only: modelcluster sorts a partner's areas by it in
        # memory, and an expression there fails the save.
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Digits and what people write between them, and an extension: nothing a
# tel: link could read as more than a number.
PHONE = RegexValidator(
    r"^[0-9+()./ -]+((ext|x)\.? ?[0-9]+)?$",
    _("Write a phone number with digits, spaces, + ( ) - . and an extension."),
)


LOGO_SIZE = "max-240x120"


class Partner(ClusterableModel):
    """An organisation's entry in the directory."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        INVITED = "invited", _("Invited")
        CORE = "core", _("Core partner")
        FORMER = "former", _("Former partner")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What it does and for whom, in a few sentences."),
    )
    logo = logo_field(_("Public: shown on the organisation's page."))
    logo_alt = logo_alt_field()
    sectors = ParentalManyToManyField(
        Sector, blank=True, related_name="partners", verbose_name=_("sectors")
    )
    areas = ParentalManyToManyField(
        Area, blank=True, related_name="partners", verbose_name=_("areas served")
    )
    languages = LanguageCodesField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Languages it works in."),
    )
    status = models.CharField(
        _("partnership"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROSPECT,
    )
    status_since = models.DateField(
        _("since"),
        null=True,
        blank=True,
        help_text=_("When it became what the partnership says."),
    )
    listed = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_(
            "Tick once the organisation has agreed to be listed publicly; "
            "untick if it asks not to be."
        ),
    )
    notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the program's leads only: never shown in the directory."),
    )
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("When someone last checked this entry with the organisation."),
    )
    # The organisation's public contact (shown in the directory): the
    # organisation's address, not a person's, which is also where the link
    # to review the entry goes.
    contact_name = models.CharField(
        _("contact name"),
        max_length=200,
        blank=True,
        help_text=_("A role or desk is best, such as Front desk: it is public."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "Public. The link to review this entry is sent here when it has "
            "not been verified for a while."
        ),
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=40,
        blank=True,
        validators=[PHONE],
    )
    # When the contact was last sent the link (one per overdue period).
    review_asked_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.organisation.name

    def clean(self) -> None:
        super().clean()
        problems = logo_without_words(self.logo_id, self.logo_alt)
        if problems:
            raise ValidationError(problems)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.record_status()

    def logo_shown(self):
        """The logo as shown, at most 240 by 120 pixels (a rendition), or
        None: no logo, or its file gone."""
        if self.logo is None:
            return None
        try:
            return self.logo.get_rendition(LOGO_SIZE)
        except SourceImageIOError:
            return None

    def logo_html(self) -> str:
        """The logo with its text alternative, or nothing (the page shows
        the name alone)."""
        shown = self.logo_shown()
        if shown is None:
            return ""
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" class="partner-logo">',
            shown.url,
            shown.width,
            shown.height,
            self.logo_alt,
        )

    def record_status(self) -> None:
        """Keep the partnership's history: a new status from its "since"
        (today if none is given)."""
        latest = self.status_changes.order_by("-on", "-pk").first()
        if latest is None or latest.status != self.status:
            StatusChange.objects.create(
                partner=self,
                status=self.status,
                on=self.status_since or timezone.localdate(),
            )

    def language_names(self) -> list[str]:
        return language_names(self.languages)


class Location(models.Model):
    """A place where the partner offers its services."""

    partner = ParentalKey(Partner, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_(
            "Optional: places it on the map (left empty, looked up from the "
            "address if the site has a geocoder)."
        ),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessible_entrance = models.BooleanField(_("step-free entrance"), default=False)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Monday to Friday, 9 am to 5 pm”."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="partners_location_latitude_on_earth",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="partners_location_longitude_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def where(self) -> str:
        """The place as the directory's list and map give it."""
        return ", ".join(part for part in (self.name, self.address, self.city) if part)


class Service(ClusterableModel):
    """Something the partner offers people or the coalition, at some of its
    locations (their opening hours say when) or at all of them."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        MEETING_SPACE = "meeting_space", _("Meeting space")
        TRANSLATION = "translation", _("Translation and interpreting")
        CHILDCARE = "childcare", _("Childcare")
        FOOD = "food", _("Food")
        LEGAL = "legal", _("Legal help")
        HEALTH = "health", _("Health care")
        OUTREACH = "outreach", _("Outreach")
        OTHER = "other", _("Other")

    partner = ParentalKey(Partner, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    who_for = models.CharField(
        _("who it is for"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “parents of children under five”."),
    )
    languages = LanguageCodesField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Languages it is offered in."),
    )
    where = ParentalManyToManyField(
        Location,
        blank=True,
        related_name="services",
        verbose_name=_("where"),
        help_text=_("None ticked: at all its locations (new ones once saved)."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def language_names(self) -> list[str]:
        return language_names(self.languages)


# Defined in modules of their own, on the models above: agreements belong
# to a partner; the directory page lists partners through its filters.
from lms_partners.agreements import PartnershipAgreement  # noqa: E402,F401
from lms_partners.directory import PartnerDirectoryPage  # noqa: E402,F401


class StatusChange(models.Model):
    """Where a partner stood from a day on: the partnership's history, so
    that leads see partners by status over time."""

    shown_on_public_pages = False  # saving one keeps the page cache

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(
        _("partnership"), max_length=10, choices=Partner.Status.choices
    )
    on = models.DateField(_("from"))

    class Meta:
        verbose_name = _("partnership change")
        verbose_name_plural = _("partnership changes")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["partner", "on"])]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.status} from {self.on}"


class Correction(models.Model):
    """A change to a partner's entry waiting for a lead: proposed by the
    organisation's contact through the e-mailed link (the fields it changes),
    or a note from anyone who found something wrong in the directory."""

    class Source(models.TextChoices):
        CONTACT = "contact", _("The organisation, by its review link")
        VISITOR = "visitor", _("A visitor to the directory")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Dismissed")

    shown_on_public_pages = False  # saving one keeps the page cache

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="corrections"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    # Field name -> the value proposed (JSON-ready), for the contact's.
    changes = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    # Who to answer, if the visitor left an address (never shown publicly).
    reply_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_source_display()})"

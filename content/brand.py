"""The site's logo and two brand colours, set by leads in the admin's settings.

The colours reach the page through the design system's custom properties (a
small stylesheet, brand.css, since the site's CSP allows no inline style), and
a colour is refused on save unless text stays readable with it: the WCAG 2.1
contrast ratio of white text on it, and of it as text on the page's white and
light grey, must be at least 4.5:1.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from content.logos import logo_alt_field, logo_field, logo_without_words

# The design system's own values (content/static/content/site.css): a site that
# keeps them needs no brand stylesheet.
DEFAULT_PRIMARY = "#0b5a8a"
DEFAULT_ACCENT = "#0b5a8a"
# Where the colours sit as text: the page, and the light grey of the header,
# filters and boxes (--surface).
PAGE_BACKGROUNDS = ("#ffffff", "#f4f6f8")
TEXT_ON_COLOUR = "#ffffff"  # buttons' text
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for body text

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hexadecimal digits.")
)


def _channels(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour written #rrggbb."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problem(colour: str) -> str:
    """Why a brand colour would make text hard to read, or ""."""
    ratio = min(
        contrast_ratio(TEXT_ON_COLOUR, colour),
        *(contrast_ratio(colour, background) for background in PAGE_BACKGROUNDS),
    )
    if ratio >= MINIMUM_CONTRAST:
        return ""
    return _(
        "This colour is too light to read: white text on it, or it as text on "
        "the page, has a contrast of %(ratio)s:1, and needs at least "
        "%(minimum)s:1. Choose a darker shade."
    ) % {"ratio": f"{ratio:.2f}", "minimum": MINIMUM_CONTRAST}


def _mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in, as #rrggbb."""
    mixed = (
        round((a * (1 - share) + b * share) * 255)
        for a, b in zip(_channels(colour), _channels(other), strict=True)
    )
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


class ColourInput(forms.TextInput):
    input_type = "color"


@register_setting(icon="image")
class BrandSettings(BaseSiteSetting):
    logo = logo_field(_("Shown at the top of every page, 48 pixels high."))
    logo_alt = logo_alt_field()
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY,
        validators=[hex_colour],
        help_text=_("Links and buttons. Must be dark enough to read on white."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[hex_colour],
        help_text=_(
            "The band at the top of every page, the current tab and banners' "
            "borders. Must be dark enough to read on white."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("logo_alt")], heading=_("Logo")
        ),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour", widget=ColourInput),
                FieldPanel("accent_colour", widget=ColourInput),
            ],
            heading=_("Colours"),
        ),
    ]

    class Meta:
        verbose_name = _("brand")

    def clean(self) -> None:
        super().clean()
        errors = logo_without_words(self.logo_id, self.logo_alt)
        for name in ("primary_colour", "accent_colour"):
            colour = getattr(self, name)
            try:
                hex_colour(colour)
            except ValidationError:
                continue  # the field's own validator says so
            if problem := contrast_problem(colour):
                errors[name] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def has_own_colours(self) -> bool:
        return (self.primary_colour.lower(), self.accent_colour.lower()) != (
            DEFAULT_PRIMARY,
            DEFAULT_ACCENT,
        )

    @property
    def stylesheet(self) -> str:
        """The custom properties the site's stylesheet draws with."""
        primary, accent = self.primary_colour.lower(), self.accent_colour.lower()
        return (
            ":root {\n"
            f"  --accent: {primary};\n"
            f"  --accent-dark: {_mix(primary, '#000000', 0.3)};\n"
            f"  --accent-light: {_mix(primary, '#ffffff', 0.9)};\n"
            f"  --brand-accent: {accent};\n"
            "}\n"
        )

    @property
    def stylesheet_version(self) -> str:
        """Changes with the colours, so browsers may keep brand.css for good."""
        return hashlib.sha256(self.stylesheet.encode()).hexdigest()[:12]

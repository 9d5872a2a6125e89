"""Results a lead enters for an indicator (its actual and history), with a
note and evidence kept private to the program's leads."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from insights.logic_models import Indicator
from insights.measures import plain
from lms.files import SHARED_FILE_EXTENSIONS, MaxFileSize, PrivateStorage

EVIDENCE_EXTENSIONS = SHARED_FILE_EXTENSIONS
EVIDENCE_SIZE_LIMIT = 10 * 1024 * 1024


class IndicatorResult(models.Model):
    """A result a lead entered for an indicator; the latest is its actual,
    the earlier ones its history."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results"
    )
    value = models.DecimalField(
        _("result"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField(
        _("note"),
        max_length=2000,
        blank=True,
        help_text=_("Where the number comes from, e.g. “sign-in sheet, 14 March”."),
    )
    link = models.URLField(_("evidence link"), blank=True, max_length=500)
    file = models.FileField(
        _("evidence file"),
        storage=PrivateStorage(),
        upload_to="insights/evidence/%Y/%m/",
        blank=True,
        max_length=300,
        validators=[
            FileExtensionValidator(EVIDENCE_EXTENSIONS),
            MaxFileSize(EVIDENCE_SIZE_LIMIT),
        ],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    # A result entered by mistake is withdrawn, not deleted: the history
    # keeps it, with why; the actual is the newest result not withdrawn.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.CharField(
        _("why it was withdrawn"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["indicator", "-entered_at"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {plain(self.value)}"

    @property
    def entered_by_name(self) -> str:
        return _person_name(self.entered_by)

    @property
    def withdrawn_by_name(self) -> str:
        return _person_name(self.withdrawn_by)


def _person_name(person) -> str:
    if person is None:
        return str(_("someone whose account is gone"))
    return person.get_full_name() or person.email

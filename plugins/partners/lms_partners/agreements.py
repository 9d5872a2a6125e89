"""Partnership agreements: what a partner and the coalition agreed in
writing, when it was signed and when it is due for renewal, and the step of
a toolkit that guided it (the toolkits' "partnership agreements" steps).

The guide is any page of the site with the step's number: the partners
plugin never imports the toolkits plugin, and a toolkit page marks its steps
`#step-N`, so the link lands on the step. Agreements are internal: leads see
them in the admin and on the coalition view, never in the public directory."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


class PartnershipAgreement(models.Model):
    partner = ParentalKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(
        _("agreement"),
        max_length=200,
        help_text=_("E.g. “Memorandum of understanding for the 2027 grant”."),
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Empty: not signed yet.")
    )
    renew_by = models.DateField(_("renew by"), null=True, blank=True)
    guide = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("guided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The toolkit whose steps the agreement followed."),
    )
    step = models.PositiveSmallIntegerField(
        _("step"),
        null=True,
        blank=True,
        help_text=_("Which of its steps: 1 for the first. Empty: the whole toolkit."),
    )

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["renew_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__isnull=True) | models.Q(step__gte=1),
                name="partners_agreement_step_counts_from_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.step is not None and self.guide_id is None:
            errors["step"] = _("Choose the toolkit the step belongs to.")
        elif self.step is not None:
            steps = len(getattr(self.guide.specific, "steps", None) or [])
            if self.step > steps:
                errors["step"] = _(
                    "That page has no step %(step)s: it has %(count)s."
                ) % {"step": self.step, "count": steps}
        if self.signed_on and self.renew_by and self.renew_by < self.signed_on:
            errors["renew_by"] = _("Renewal comes after signing.")
        if errors:
            raise ValidationError(errors)

    def guide_url(self, full: bool = True) -> str:
        """The guiding toolkit's address, at the step when one is given: in
        full for a download (read away from the site), else as the site's
        own pages link to it."""
        if self.guide is None:
            return ""
        url = (self.guide.full_url if full else self.guide.url) or ""
        return f"{url}#step-{self.step}" if url and self.step else url

    def guide_text(self) -> str:
        if self.guide is None:
            return ""
        if self.step:
            return _("%(page)s, step %(step)s") % {
                "page": self.guide.title,
                "step": self.step,
            }
        return self.guide.title

    def standing(self, today: date) -> str:
        """Not signed, in force, or due for renewal (its date has passed)."""
        if self.signed_on is None:
            return str(_("Not signed yet"))
        if self.renew_by is not None and self.renew_by < today:
            return str(_("Due for renewal"))
        return str(_("In force"))

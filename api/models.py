"""What a personal access token may do and until when.

The token itself is Wagtail's `APIToken` (only a digest stored, the
plaintext shown once, last use recorded); these are the terms the site adds
to it: read only or read and write, an expiry, and whether it carries its
owner's staff rights (running groups, leading programs).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import APIToken


class TokenTerms(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    token = models.OneToOneField(
        APIToken, on_delete=models.CASCADE, related_name="terms"
    )
    scope = models.CharField(
        _("may"), max_length=10, choices=Scope.choices, default=Scope.READ
    )
    expires_at = models.DateTimeField(_("expires"))
    staff = models.BooleanField(
        _("with my staff rights"),
        default=False,
        help_text=_(
            "Only if the program using it must act where you run groups or "
            "lead programs (members' addresses, attendance, reports); "
            "without, it acts as a participant."
        ),
    )

    class Meta:
        verbose_name = _("token terms")
        verbose_name_plural = _("token terms")

    def __str__(self) -> str:
        return f"{self.token_id}: {self.scope} until {self.expires_at:%Y-%m-%d}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

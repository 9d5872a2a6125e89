from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage


class Announcement(models.Model):
    """A message from a facilitator or lead to everyone in a cohort."""

    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)

    class Meta:
        # The table keeps the name it was made with: renaming gains nothing.
        db_table = "cohorts_announcement"
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

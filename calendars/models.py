import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A person's secret calendar address; deleting it turns the address off.

    Only a hash of the address's secret is stored, so a copy of the database
    opens nobody's calendar: the person sees the address once, when it is made.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        # The table keeps the name it was made with: renaming gains nothing.
        db_table = "cohorts_calendarfeed"
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def hash_token(token: str) -> str:
        # The secret is 256 random bits, so a fast unsalted hash is as strong
        # as a slow one and keeps a feed poll's lookup one indexed query.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> str:
        """Make (or replace) the user's address; returns its secret, which is
        not stored and cannot be read back."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user, defaults={"token_hash": cls.hash_token(token)}
        )
        return token

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Orderable

from lms.people import display_name


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Used for e-mails; the site follows the language you choose."),
    )
    session_reminders = models.BooleanField(
        _("session reminders by e-mail"),
        default=True,
        help_text=_("E-mails before each session you are going to."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return display_name(self)

    @property
    def display_name(self) -> str:
        return display_name(self)


class Delivery(models.Model):
    """A message that went (or is going) to one person, recorded once.

    The unique key is what makes sending idempotent: whoever inserts the row
    sends; a second worker, a re-run or a duplicate task finds it and stops.
    `sent_at` is empty while the message is on its way (lms/delivery.py).
    """

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("what was sent"), max_length=200)
    created_at = models.DateTimeField(_("tried"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="deliver_once")
        ]

    def __str__(self) -> str:
        return self.key


from lms.audit import AuditEntry  # noqa: E402, F401 (a model of this app)


class InOrder(Orderable):
    """Rows a person puts in order. Rows of equal `sort_order` (made in code,
    not by the admin's inline panel) keep the order they were made in:
    PostgreSQL would break the tie either way between two reads, and a
    report downloaded twice must list the same rows in the same order."""

    class Meta(Orderable.Meta):
        abstract = True
        ordering = ["sort_order", "pk"]

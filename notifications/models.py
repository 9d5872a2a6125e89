from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage
from lms.hookspecs import Delivery


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


DELIVERY_CHOICES = [
    (Delivery.INBOX, _("In my inbox only")),
    (Delivery.EMAIL, _("E-mail at once")),
    (Delivery.DAILY, _("Daily digest")),
    (Delivery.WEEKLY, _("Weekly digest")),
    (Delivery.MEETING, _("Before the group's next session")),
    (Delivery.OFF, _("Off")),
]


class Notification(models.Model):
    """One thing one person is told, in their inbox on the site.

    The text is made when shown, from the kind's message and `params`, so
    it reads in the reader's language. What it is about is `url` (a path on
    this site) or `target` (any row, its address found when shown), and
    `cohort` when it belongs to a group: the reader's access is asked when
    it is shown and followed, never assumed from when it was sent.
    `delivery` is the reader's choice for the kind when it was sent, so a
    digest picks its rows (those still unread) without asking again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cohort = models.ForeignKey(
        CohortPage,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.CharField(_("address"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=DELIVERY_CHOICES, default=Delivery.INBOX
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox page and the bell: a person's, newest first; unread.
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_inbox"
            ),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # A digest's rows: a delivery's unread, not yet e-mailed.
            models.Index(
                fields=["delivery", "created_at"],
                condition=models.Q(read_at__isnull=True, emailed_at__isnull=True),
                name="notification_to_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; without one, the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=100)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DELIVERY_CHOICES)

    class Meta:
        verbose_name = _("notification choice")
        verbose_name_plural = _("notification choices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_notification_choice_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.delivery}"

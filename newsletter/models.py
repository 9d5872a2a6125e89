from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """Someone who asked for the newsletter of the network (no site) or of a
    chapter (its site); counts only once confirmed."""

    email = models.EmailField(_("e-mail address"))
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        # A site gone: its list joins the network's rather than vanishing
        # (`join_the_network_s_list` first drops who is on both).
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Whose list: the chapter's site they signed up on; none for the "
            "network's own."
        ),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "site"], name="newsletter_one_sign_up_per_site"
            ),
            # A NULL site is no value to the constraint above: one such row.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(site__isnull=True),
                name="newsletter_one_sign_up_without_a_site",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def status(self) -> str:
        if self.unsubscribed_at:
            return _("Unsubscribed")
        if self.confirmed_at:
            return _("Confirmed")
        return _("Waiting for confirmation")


# Who reads only part of the list, and which part (a chapter's leads: the
# sign-ups of their chapter's site), added by the apps above in their
# AppConfig.ready(): name -> rule(user), the sites whose lists that person
# manages, or None when the rule does not narrow them.
subscriber_scopes: dict[str, Callable[..., models.QuerySet | None]] = {}


def managed_sites(user) -> models.QuerySet | None:
    """The sites whose lists `user` manages in the admin; None: every list
    (the network's whole list, and superusers)."""
    if user.is_superuser:
        return None
    for rule in subscriber_scopes.values():
        sites = rule(user)
        if sites is not None:
            return sites
    return None


def subscribers_for(user) -> models.QuerySet:
    """The sign-ups `user` may read and manage in the admin."""
    sites = managed_sites(user)
    found = Subscriber.objects.all()
    return found if sites is None else found.filter(site__in=sites)


def join_the_network_s_list(sender, instance, **kwargs) -> None:
    """Before a site is deleted (its sign-ups then become the network's):
    an address already on the network's list keeps that sign-up alone, so
    the list holds it once and the deletion meets no uniqueness error."""
    on_network_list = Subscriber.objects.filter(site__isnull=True).values("email")
    Subscriber.objects.filter(site=instance, email__in=on_network_list).delete()

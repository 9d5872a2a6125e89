"""Organisations people belong to and programs work with: community groups,
schools, churches, agencies, funders. Site-wide and kept in core, because
several parts of the site speak of the same ones — who belongs where,
sessions an organisation co-hosts, coaching given to an organisation, a
coalition's partners — and plugins never import each other. What a
directory says about one (description, sectors, services, places, whether a
partner) is the partners plugin's."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

SLUG_LENGTH = 80


class Organisation(models.Model):
    """An organisation people belong to or a program works with."""

    # Its id in data exchanged with other systems (Open Referral's HSDS
    # identifies organisations by UUID): never reused, never shown.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Its official or public name, as it writes it."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_LENGTH,
        unique=True,
        help_text=_("The end of its address on the site; made from the name."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [Lower("name"), "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = free_slug(self.name)
        super().save(*args, **kwargs)


def free_slug(name: str) -> str:
    """A slug made from the name that no organisation has yet: the name's,
    else with -2, -3 … ("Unidos" in two counties)."""
    base = (slugify(name) or "organisation")[: SLUG_LENGTH - 6].strip("-")
    taken = set(
        Organisation.objects.filter(slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


class Affiliation(models.Model):
    """A person belongs to an organisation. They say so themselves (or a
    lead adds them); a lead confirms it before it counts anywhere, so nobody
    can make themselves a partner's representative. A name that matched no
    organisation waits as written (`named`) until a lead says which it is."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    named = models.CharField(
        _("named as"),
        max_length=200,
        blank=True,
        help_text=_("The name as the person gave it."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"),
        max_length=120,
        blank=True,
        help_text=_("What they do there, e.g. “youth organiser”."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organisation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="organisations_one_affiliation_per_person",
            ),
            # Only an affiliation to a known organisation counts.
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(organisation__isnull=False),
                name="organisations_confirmed_to_an_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(named=""),
                name="organisations_to_an_organisation_or_a_name",
            ),
        ]

    def __str__(self) -> str:
        return f"Affiliation {self.pk}"

    @property
    def organisation_name(self) -> str:
        """The name the person is shown: as they wrote it until a lead
        confirms them (the organisation it matched may be kept off the
        public directory: its spelling would tell them it exists)."""
        if self.organisation_id and (self.confirmed_at or not self.named):
            return self.organisation.name
        return self.named

"""Certificates as Open Badges 2.0 hosted assertions (JSON-LD).

Each certificate is an Assertion at a public address made from its code, for
the course's BadgeClass, issued by the site's Issuer profile. Backpacks and
verifiers fetch the three and check that they point at each other. The
recipient is the person's e-mail address, hashed with a salt, so the public
assertion does not show it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from content.models import CoursePage
from content.site import default_site, program_settings
from learning.models import Certificate
from lms.mail import absolute_url

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer_url() -> str:
    return absolute_url(reverse("badges:issuer"))


def badge_class_url(course_id: int) -> str:
    return absolute_url(reverse("badges:badge_class", args=[course_id]))


def assertion_url(certificate: Certificate) -> str:
    return absolute_url(reverse("badges:assertion", args=[certificate.code]))


def issuer() -> dict:
    """The organisation running the site, from its program settings."""
    site = default_site()
    # The issuer's name stays one whatever the language of the request.
    program = program_settings(site, settings.LANGUAGE_CODE)
    profile = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": (program and program.organisation_name)
        or (site and site.site_name)
        or "Learning Commons",
        "url": absolute_url("/"),
    }
    if program and program.contact_email:
        profile["email"] = program.contact_email
    return profile


def badge_class(course: CoursePage) -> dict:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(course.pk),
        "name": course.title,
        "description": course.intro
        or _("Completed every lesson of the course %(course)s.")
        % {"course": course.title},
        "image": absolute_url(reverse("badges:image", args=[course.pk])),
        "criteria": {
            "id": absolute_url(course.url or "/"),
            "narrative": _(
                "Complete every lesson of the course while taking part in a group."
            ),
        },
        "issuer": issuer_url(),
    }


def assertion(certificate: Certificate) -> dict:
    salt = salted_hmac("cohorts.badges.salt", certificate.code).hexdigest()[:16]
    digest = hashlib.sha256((certificate.user.email.lower() + salt).encode())
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": f"sha256${digest.hexdigest()}",
        },
        "badge": badge_class_url(certificate.course_id),
        "verification": {"type": "HostedBadge"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": absolute_url(
            reverse("cohorts:certificate", args=[certificate.code])
        ),
    }

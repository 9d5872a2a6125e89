"""Certificates for completing a cohort's course: issued once, checkable by code."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from cohorts.models import CohortPage
from learning.models import Certificate, LessonProgress
from lms.mail import absolute_url
from lms.pdf import html_to_pdf


def course_completed(user: AbstractBaseUser, cohort: CohortPage) -> bool:
    if cohort.course is None:
        return False
    lessons = cohort.course.lessons().values("pk")
    total = lessons.count()
    done = LessonProgress.objects.filter(
        user=user,
        cohort=cohort,
        lesson__in=lessons,
        status=LessonProgress.Status.COMPLETED,
    ).count()
    return total > 0 and done == total


def issue_if_complete(user: AbstractBaseUser, cohort: CohortPage) -> Certificate | None:
    """The person's certificate, issued the first time the course is complete."""
    existing = Certificate.objects.filter(
        user=user, cohort=cohort, course=cohort.course_id
    ).first()
    if existing or not course_completed(user, cohort):
        return existing
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user=user,
                cohort=cohort,
                course=cohort.course,
                code=Certificate.new_code(),
                name=user.get_full_name().strip(),
                course_title=cohort.course.title,
                cohort_title=cohort.title,
            )
    except IntegrityError:  # issued meanwhile by a second request
        return Certificate.objects.get(
            user=user, cohort=cohort, course=cohort.course_id
        )


def verification_url(certificate: Certificate) -> str:
    return absolute_url(reverse("cohorts:certificate", args=[certificate.code]))


def as_pdf(certificate: Certificate) -> bytes:
    """The certificate as a PDF document, with where to check it."""
    html = render_to_string(
        "learning/certificate_pdf.html",
        {"certificate": certificate, "verify_url": verification_url(certificate)},
    )
    return html_to_pdf(html)

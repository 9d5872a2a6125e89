"""Learning's part of a person's data download (in the cohorts section,
through cohorts.personal_data.export_sections). The rows go with the account."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from learning.certificates import verification_url
from learning.models import Certificate, LessonProgress


def lesson_progress(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Their work on each lesson, with their answers."""
    return [
        {
            "group": progress.cohort.title,
            "lesson": progress.lesson.title,
            "status": progress.status,
            "answers": progress.answers,
            "quiz_score": progress.quiz_score,
            "started": progress.started_at,
            "completed": progress.completed_at,
        }
        for progress in LessonProgress.objects.filter(user=user).select_related(
            "cohort", "lesson"
        )
    ]


def certificates(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """The certificates issued to them, with where anyone can check each."""
    return [
        {
            "name": certificate.name,
            "course": certificate.course_title,
            "group": certificate.cohort_title,
            "issued": certificate.issued_at,
            "check_at": verification_url(certificate),
        }
        for certificate in Certificate.objects.filter(user=user)
    ]

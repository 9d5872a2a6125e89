"""IMS Global's Open Badges validator checks a demo certificate end to end:
it fetches the assertion, badge class, image and issuer from the live server."""

import json
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cohorts.models import CohortPage
from learning.models import Certificate

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / ".obv" / "bin" / "python"
SCRIPT = ROOT / "tools" / "openbadges-validator" / "validate_badge.py"

pytestmark = pytest.mark.django_db(transaction=True)


def validate(url: str, email: str) -> dict:
    if not VALIDATOR.exists():
        pytest.fail(
            "The Open Badges validator is missing: run `make openbadges-validator`."
        )
    result = subprocess.run(
        [VALIDATOR, SCRIPT, url, email],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_official_validator_accepts_a_certificate_badge(demo_server, settings):
    settings.WAGTAILADMIN_BASE_URL = demo_server
    circle = CohortPage.objects.get(slug="grantwriting-circle")
    person = get_user_model().objects.get(email="participant@example.org")
    certificate = Certificate.objects.create(
        user=person,
        cohort=circle,
        course=circle.course,
        code=Certificate.new_code(),
        name="Demo Participant",
        course_title=circle.course.title,
        cohort_title=circle.title,
    )
    url = f"{demo_server}/badges/{certificate.code}.json"

    report = validate(url, "participant@example.org")
    assert report["valid"], report["messages"]
    assert (report["errorCount"], report["warningCount"]) == (0, 0)

    someone_else = validate(url, "someone@example.org")
    assert not someone_else["valid"]
    assert [m["name"] for m in someone_else["messages"]] == [
        "VERIFY_RECIPIENT_IDENTIFIER"
    ]

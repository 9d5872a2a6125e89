"""Facilitators reach Wagtail's admin, whose snippet choosers and "delete
selected" would list every row of a snippet to anyone there: programs,
logic models, surveys and partners are listed only to those who keep them,
and an address with something that is not an id answers 404, not 500."""

import pytest
from django.contrib.auth.models import Group
from lms_surveys.models import Survey
from wagtail.models import Locale

from cohorts.models import Program
from insights.models import LogicModel
from lms.roles import FACILITATORS
from sdk.testing import group_with_people

pytestmark = pytest.mark.django_db

SNIPPETS = ["cohorts/program", "insights/logicmodel", "surveys/survey"]


def addresses(snippet: str, pk: int) -> list[str]:
    chooser = f"/admin/snippets/choose/{snippet}/"
    return [
        chooser,
        chooser + "results/",
        f"{chooser}chosen/{pk}/",
        f"{chooser}chosen-multiple/?id={pk}",
        f"/admin/bulk/{snippet}/delete/?id=all",
        f"/admin/bulk/{snippet}/delete/?id={pk}",
    ]


def test_choosers_list_nothing_to_a_facilitator_and_take_no_nonsense():
    people = group_with_people(plugins=["surveys"])
    Group.objects.get(name=FACILITATORS).user_set.add(people.people["facilitator"])
    theirs = Program.objects.create(name="Quiet Budget Program", slug="quiet")
    rows = {
        "cohorts/program": theirs,
        "insights/logicmodel": LogicModel.objects.create(
            program=theirs, period="Quiet period 2026"
        ),
        "surveys/survey": Survey.objects.create(
            title="Quiet draft survey",
            slug="quiet",
            locale=Locale.objects.get(language_code="en"),
            questions=[],
        ),
    }
    facilitator = people.client("facilitator")
    superuser = people.client("superuser")
    for snippet, row in rows.items():
        for address in addresses(snippet, row.pk):
            answer = facilitator.get(address)
            assert answer.status_code in (200, 404), address
            assert "Quiet" not in answer.content.decode(), address
        assert "Quiet" in superuser.get(addresses(snippet, row.pk)[0]).content.decode()
        chooser = f"/admin/snippets/choose/{snippet}/"
        for nonsense in (f"{chooser}chosen/abc/", f"{chooser}chosen-multiple/?id=abc"):
            assert superuser.get(nonsense).status_code in (200, 404), nonsense

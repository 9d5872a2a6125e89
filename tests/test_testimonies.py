"""Testimonies: a survey's long-text question may ask whether its answer may
be quoted to funders. Only answers so allowed reach the funder report, named
by first name only where the person chose it and answers carry names (never
in an anonymous survey or a youth group), none of an anonymous moment held
back under its threshold, counted over the logic model's period."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lms_surveys.answering import answer_token
from lms_surveys.models import Answer, Moment, Survey
from pypdf import PdfReader
from wagtail.models import Locale

from insights.models import Indicator, LogicModel
from lms.hookspecs import Period
from lms.plugins import collect
from sdk.testing import MembershipFactory, group_with_people

pytestmark = pytest.mark.django_db

STORY = "d1111111-1111-4111-8111-111111111111"


def survey(anonymous=False) -> Survey:
    return Survey.objects.create(
        title="After the training",
        slug=f"after-{anonymous}",
        anonymous=anonymous,
        locale=Locale.objects.get(language_code="en"),
        questions=[
            {
                "type": "long_text",
                "id": STORY,
                "value": {
                    "text": "What would you tell a neighbour?",
                    "testimony": True,
                },
            }
        ],
    )


def answer(people, moment, person, text, quote):
    client = people.client("visitor")
    client.force_login(person)
    return client.post(
        reverse("surveys:answer", args=[moment.pk]),
        {f"q-{STORY}": text, f"q-{STORY}-quote": quote, "action": "submit"},
    )


def given(program, period=None):
    return collect("lms_testimonies", program=program, period=period)


def test_only_answers_allowed_are_quoted_and_named_as_allowed(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    url = reverse("surveys:answer", args=[moment.pk])
    page = people.client("participant").get(url).content.decode()
    assert "May we quote your answer to “What would you tell a neighbour?”" in page
    assert 'value="first_name"' in page
    ana, ben, cy = (
        MembershipFactory(cohort=people.group, user__first_name=name).user
        for name in ("Ana", "Ben", "Cy")
    )
    assert (
        answer(people, moment, ana, "I spoke at the hearing.", "first_name").status_code
        == 302
    )
    assert (
        answer(people, moment, ben, "I read the budget.", "unnamed").status_code == 302
    )
    assert answer(people, moment, cy, "Keep this between us.", "").status_code == 302
    quoted = sorted(given(people.group.program), key=lambda each: each.text)
    assert [(each.text, each.by, each.group) for each in quoted] == [
        ("I read the budget.", "", people.group.title),
        ("I spoke at the hearing.", "Ana", people.group.title),
    ]
    measures = {
        m.key: m.value
        for m in collect("lms_measures", program=people.group.program, period=None)
    }
    assert measures["surveys.testimonies"] == 2
    assert measures["surveys.response_rate"] > 0
    # Before a period that starts tomorrow: none of them. The other survey
    # measures count the moments that ran in the period: none ran then.
    tomorrow = timezone.now() + timedelta(days=1)
    assert given(people.group.program, Period(starts=tomorrow)) == []
    ended = Period(ends=moment.attached_at)
    later = {
        m.key: m.value
        for m in collect("lms_measures", program=people.group.program, period=ended)
    }
    assert later["surveys.response_rate"] == 0 and later["surveys.testimonies"] == 0


def test_no_name_where_answers_carry_none_and_none_under_the_threshold(db, settings):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(
        cohort=people.group, survey=survey(anonymous=True), kind="end"
    )
    url = reverse("surveys:answer", args=[moment.pk])
    page = people.client("participant").get(url).content.decode()
    assert 'value="first_name"' not in page and 'value="unnamed"' in page
    # Asking for a name anyway: refused, nothing recorded.
    refused = answer(people, moment, people.people["participant"], "Mine", "first_name")
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert not Answer.objects.exists()
    writers = [
        MembershipFactory(cohort=people.group, user__first_name=f"Writer{n}").user
        for n in range(5)
    ]
    for number, person in enumerate(writers[:4]):
        answer(people, moment, person, f"Story {number}", "unnamed")
    assert given(people.group.program) == []  # four: held back
    answer(people, moment, writers[4], "Story 4", "unnamed")
    quoted = given(people.group.program)
    assert len(quoted) == 5 and {each.by for each in quoted} == {""}
    # An anonymous answer keeps no time: it counts from when its survey was
    # attached, whatever period a lead draws around a day or a session.
    Moment.objects.filter(pk=moment.pk).update(
        attached_at=timezone.now() - timedelta(days=10)
    )
    since_five_days = Period(starts=timezone.now() - timedelta(days=5))
    assert given(people.group.program, since_five_days) == []
    measures = {
        m.key: m.value
        for m in collect(
            "lms_measures", program=people.group.program, period=since_five_days
        )
    }
    assert measures["surveys.testimonies"] == 0


def test_a_youth_groups_testimonies_carry_no_name(db):
    people = group_with_people(plugins=["surveys"], is_youth=True)
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    url = reverse("surveys:answer", args=[moment.pk])
    page = people.client("participant").get(url).content.decode()
    assert 'value="first_name"' not in page
    young = MembershipFactory(cohort=people.group, user__first_name="Youngname").user
    # A first name asked for by hand: refused; without a name: quoted.
    assert answer(people, moment, young, "We did it.", "first_name").status_code == 400
    assert answer(people, moment, young, "We did it.", "unnamed").status_code == 302
    assert [each.by for each in given(people.group.program)] == [""]


def test_a_person_in_any_youth_group_is_never_named_and_only_by_a_first_word(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    young = MembershipFactory(cohort=people.group, user__first_name="Youngname").user
    youth_group = group_with_people(plugins=["surveys"], is_youth=True).group
    MembershipFactory(cohort=youth_group, user=young)
    adult = MembershipFactory(cohort=people.group, user__first_name="Ana María").user
    answer(people, moment, young, "Words of a young member.", "first_name")
    answer(people, moment, adult, "Words of an adult.", "first_name")
    by = {each.text: each.by for each in given(people.group.program)}
    assert by == {"Words of a young member.": "", "Words of an adult.": "Ana"}


def test_the_funder_report_quotes_them(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    ana = MembershipFactory(cohort=people.group, user__first_name="Ana").user
    answer(
        people, moment, ana, "I spoke at the hearing for the first time.", "first_name"
    )
    program = people.group.program
    model = LogicModel.objects.create(program=program, period="2026")
    Indicator.objects.create(
        logic_model=model,
        name="Collect 2-3 personal testimonies",
        measure="surveys.testimonies",
        target=2,
        maximum=3,
    )
    client = people.client("program_lead")
    url = reverse("cohorts:logic_model", args=[program.slug, model.pk])
    assert "1 testimonies (target 2\u20133)" in client.get(url).content.decode()
    pdf = PdfReader(io.BytesIO(client.get(url + "?download=pdf").content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "I spoke at the hearing for the first time." in text
    assert "Ana, " + people.group.title in text


def test_a_person_stops_their_answer_being_quoted_after_sending(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    ana, ben = (
        MembershipFactory(cohort=people.group, user__first_name=name).user
        for name in ("Ana", "Ben")
    )
    answer(people, moment, ana, "I spoke at the hearing.", "first_name")
    answer(people, moment, ben, "I read the budget.", "unnamed")
    url = reverse("surveys:answer", args=[moment.pk])
    client = people.client("visitor")
    client.force_login(ana)
    page = client.get(url).content.decode()
    assert "Answers you allowed to be quoted" in page
    assert "I spoke at the hearing." in page and "I read the budget." not in page
    mine = Answer.objects.get(text="I spoke at the hearing.")
    bens = Answer.objects.get(text="I read the budget.")
    # Someone else's answer, or nonsense: refused, nothing changed.
    for wrong in (str(bens.pk), "not-an-id", ""):
        refused = client.post(url, {"answer": wrong})
        assert refused.status_code == 400
        assert "not one you allowed to be quoted" in refused.content.decode()
    assert sorted(each.text for each in given(people.group.program)) == [
        "I read the budget.",
        "I spoke at the hearing.",
    ]
    assert client.post(url, {"answer": str(mine.pk)}).status_code == 302
    mine.refresh_from_db()
    assert mine.quote == "" and mine.text == "I spoke at the hearing."
    assert [each.text for each in given(people.group.program)] == ["I read the budget."]
    page = client.get(url).content.decode()
    assert "Answers you allowed to be quoted" not in page


def test_the_e_mailed_link_neither_shows_nor_changes_what_may_be_quoted(db):
    """The link is a bearer token (forwarded, it works for whoever holds
    it): the answers allowed to be quoted are only for the person signed in."""
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    ana = MembershipFactory(cohort=people.group, user__first_name="Ana").user
    answer(people, moment, ana, "I spoke at the hearing.", "first_name")
    mine = Answer.objects.get(text="I spoke at the hearing.")
    link = reverse("surveys:answer_by_link", args=[answer_token(moment, ana)])
    holder = people.client("visitor")
    page = holder.get(link).content.decode()
    assert "Your answers are in" in page and "log in to see them" in page
    assert "I spoke at the hearing." not in page
    holder.post(link, {"answer": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.quote == "first_name"
    # Signed in as someone else, the same: only Ana may.
    holder.force_login(people.people["participant"])
    assert "I spoke at the hearing." not in holder.get(link).content.decode()
    holder.force_login(ana)
    assert "I spoke at the hearing." in holder.get(link).content.decode()
    assert holder.post(link, {"answer": str(mine.pk)}).status_code == 302
    mine.refresh_from_db()
    assert mine.quote == ""


def test_sending_an_answered_survey_again_is_no_error(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(cohort=people.group, survey=survey(), kind="end")
    ana = MembershipFactory(cohort=people.group, user__first_name="Ana").user
    answer(people, moment, ana, "I spoke at the hearing.", "first_name")
    again = answer(people, moment, ana, "Something else.", "first_name")
    assert again.status_code == 200 and "Your answers are in" in again.content.decode()
    assert not Answer.objects.filter(text="Something else.").exists()


def test_an_anonymous_survey_says_a_consent_cannot_be_taken_back(db):
    people = group_with_people(plugins=["surveys"])
    moment = Moment.objects.create(
        cohort=people.group, survey=survey(anonymous=True), kind="end"
    )
    url = reverse("surveys:answer", args=[moment.pk])
    page = people.client("participant").get(url).content.decode()
    assert "this cannot be changed once they are sent" in page
    answer(people, moment, people.people["participant"], "Mine", "unnamed")
    page = people.client("participant").get(url).content.decode()
    assert "Your answers are in" in page
    assert "Answers you allowed to be quoted" not in page

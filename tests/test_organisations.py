"""Organisations (core): site-wide, each with a slug of its own made from its
name, and the people who belong to them — one affiliation per person and
organisation, theirs in "Your data" and erased with them."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms import personal_data
from lms.roles import FACILITATORS
from organisations import belonging
from organisations.models import Affiliation, Organisation
from sdk.testing import group_with_people
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_two_organisations_of_one_name_get_slugs_of_their_own():
    first = Organisation.objects.create(name="Unidos por la Salud")
    second = Organisation.objects.create(name="Unidos por la Salud")
    third = Organisation.objects.create(name="Unidos  por la salud!")
    assert (first.slug, second.slug, third.slug) == (
        "unidos-por-la-salud",
        "unidos-por-la-salud-2",
        "unidos-por-la-salud-3",
    )
    # A name of nothing a slug can hold, and a very long one.
    assert Organisation.objects.create(name="¿¡…!?").slug == "organisation"
    long = Organisation.objects.create(name="Coalition " * 20)
    assert len(long.slug) <= 80 and not long.slug.endswith("-")
    assert first.uuid != second.uuid


def test_a_person_belongs_to_an_organisation_once():
    organisation = Organisation.objects.create(name="Eastside Parents")
    person = UserFactory()
    Affiliation.objects.create(organisation=organisation, user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Affiliation.objects.create(organisation=organisation, user=person)


def test_affiliations_are_the_persons_data():
    organisation = Organisation.objects.create(name="Eastside Parents")
    person, lead, other = UserFactory(), UserFactory(), UserFactory()
    Affiliation.objects.create(
        organisation=organisation,
        user=person,
        role="Youth organiser",
        confirmed_at=timezone.now(),
        confirmed_by=lead,
    )
    confirmed_by_them = Affiliation.objects.create(
        organisation=organisation,
        user=other,
        confirmed_at=timezone.now(),
        confirmed_by=person,
    )
    exported = personal_data.export_sections(person)["organisations"]["affiliations"]
    assert [(row["organisation"], row["role"]) for row in exported] == [
        ("Eastside Parents", "Youth organiser")
    ]
    personal_data.erase(person, by=lead)
    assert not Affiliation.objects.filter(user_id=person.pk).exists()
    confirmed_by_them.refresh_from_db()
    assert confirmed_by_them.confirmed_by is None
    assert confirmed_by_them.confirmed_at is not None
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_a_person_says_where_they_belong_and_is_told_nothing_of_other_names(
    client,
):
    """An organisation kept off the public directory has a name: answering
    differently for a name that exists would tell it to anyone signed in."""
    Organisation.objects.create(name="Colton Neighbourhood Watch")
    person = UserFactory()
    client.force_login(person)
    url = reverse("organisations:yours")
    assert "You have not said" in client.get(url).content.decode()
    answers = [
        client.post(url, {"name": name, "role": "volunteer"}, follow=True)
        for name in ("  colton  neighbourhood watch ", "Nobody By This Name")
    ]
    assert [a.status_code for a in answers] == [200, 200]
    told = [[str(m) for m in a.context["messages"]] for a in answers]
    assert told[0] == told[1] and told[0]
    # Shown as they wrote it until a lead confirms them: the spelling of the
    # organisation it matched would tell them it exists.
    mine = {a.organisation_name: a for a in Affiliation.objects.filter(user=person)}
    assert set(mine) == {"colton neighbourhood watch", "Nobody By This Name"}
    assert mine["colton neighbourhood watch"].organisation is not None
    assert mine["Nobody By This Name"].organisation is None
    assert not any(a.confirmed_at for a in mine.values())
    page = client.get(url).content.decode()
    assert "colton neighbourhood watch" in page
    assert "Colton Neighbourhood Watch" not in page
    exported = personal_data.export_sections(person)["organisations"]["affiliations"]
    assert {row["organisation"] for row in exported} == set(mine)
    # Asked again: one each, the role changed.
    client.post(url, {"name": "Colton Neighbourhood Watch", "role": "chair"})
    assert Affiliation.objects.filter(user=person).count() == 2
    confirmed = mine["colton neighbourhood watch"]
    confirmed.confirmed_at = timezone.now()
    confirmed.save()
    assert confirmed.organisation_name == "Colton Neighbourhood Watch"
    # Bad input: a message, nothing saved.
    for bad in ({"name": ""}, {"name": "x" * 201}, {"name": "A\x00B"}):
        assert client.post(url, bad).status_code == 400, bad
    assert Affiliation.objects.filter(user=person).count() == 2
    # Leaving: theirs only.
    other = Affiliation.objects.create(
        user=UserFactory(), organisation=Organisation.objects.create(name="Other")
    )
    refused = client.post(url, {"action": "leave", "affiliation": other.pk})
    assert refused.status_code == 400 and Affiliation.objects.filter(pk=other.pk)
    chair = mine["colton neighbourhood watch"]
    client.post(url, {"action": "leave", "affiliation": chair.pk})
    assert not Affiliation.objects.filter(pk=chair.pk).exists()


def test_a_lead_confirms_to_the_organisation_named_or_meant_or_declines():
    people = group_with_people()
    Group.objects.get(name=FACILITATORS).user_set.add(people.people["facilitator"])
    school = Organisation.objects.create(name="Jurupa Valley High School")
    person = people.people["participant"]
    named = belonging.ask_to_belong(person, "Jurupa Valley High School")
    typo = belonging.ask_to_belong(person, "Jurupa Valey HS")
    new = belonging.ask_to_belong(person, "Riverside Tenants Union")
    spam = belonging.ask_to_belong(UserFactory(), "Nothing real")
    waiting = reverse("affiliations:waiting")
    for role in ("participant", "facilitator", "group_lead"):
        assert people.client(role).get(waiting).status_code in (302, 403), role
        people.client(role).post(
            reverse("affiliations:decide", args=[named.pk]), {"action": "confirm"}
        )
    named.refresh_from_db()
    assert named.confirmed_at is None
    lead = people.client("program_lead")
    page = lead.get(waiting).content.decode()
    assert "Jurupa Valey HS" in page and "Riverside Tenants Union" in page

    def decide(affiliation, **data):
        url = reverse("affiliations:decide", args=[affiliation.pk])
        return lead.post(url, data, follow=True)

    decide(named, action="confirm")
    named.refresh_from_db()
    assert named.organisation == school and named.confirmed_at
    assert named.confirmed_by == people.people["program_lead"]
    # The typo meant the school, which the person belongs to already: it goes.
    decide(typo, action="confirm", organisation=school.pk)
    assert not Affiliation.objects.filter(pk=typo.pk).exists()
    decide(new, action="confirm", organisation="new")
    new.refresh_from_db()
    assert new.organisation.name == "Riverside Tenants Union" and new.named == ""
    nonsense = decide(spam, action="confirm", organisation="999999999999999999999")
    assert "Choose an organisation from the list." in nonsense.content.decode()
    decide(spam, action="decline")
    assert not Affiliation.objects.filter(pk=spam.pk).exists()
    again = decide(named, action="confirm", organisation=school.pk)
    assert "decided already" in again.content.decode()

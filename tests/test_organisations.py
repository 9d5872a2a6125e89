"""Organisations (core): site-wide, each with a slug of its own made from its
name, and the people who belong to them — one affiliation per person and
organisation, theirs in "Your data" and erased with them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms import personal_data
from organisations.models import Affiliation, Organisation
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

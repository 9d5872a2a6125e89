import pytest
from django.db import transaction

from lms.audit import AuditEntry, record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_entry_names_people_by_key_and_records_by_type_and_id():
    actor, person = UserFactory(), UserFactory()
    entry = record(
        actor,
        "membership.change",
        subject=person,
        target=person,
        before={"role": "participant"},
        after={"role": "facilitator"},
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.subject, entry.target_id) == (
        actor,
        person,
        str(person.pk),
    )
    assert entry.target_type.model == "user"
    assert entry.after == {"role": "facilitator"}


def test_a_rolled_back_change_leaves_no_entry():
    with pytest.raises(RuntimeError), transaction.atomic():
        record(UserFactory(), "membership.change")
        raise RuntimeError
    assert not AuditEntry.objects.exists()


def test_erasing_the_actor_keeps_the_entry_without_them():
    actor = UserFactory()
    entry = record(actor, "data.export", subject=actor)
    actor.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.subject is None

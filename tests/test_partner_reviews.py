"""Keeping the partners directory true (plugins/partners, lms_partners.reviews):
an entry not verified for a year is e-mailed to the organisation's public
contact, who reviews it without an account; changes wait for a lead, who
applies or dismisses them; anyone may send a correction from the directory."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lms_partners import reviews
from lms_partners.directory import PartnerDirectoryPage, listed_partners
from lms_partners.hooks import lms_erase_user_data, lms_export_user_data
from lms_partners.models import Area, Correction, Location, Partner, Service
from lms_partners.sectors import ensure_default_sectors

from lms import page_cache
from lms.roles import FACILITATORS
from organisations.models import Organisation
from sdk.demo import ensure_locales
from sdk.testing import group_with_people
from tests.factories import UserFactory
from tests.form_fuzzing import parse
from tests.test_rsvp import run_at_once

pytestmark = pytest.mark.django_db

YEAR_AGO = timedelta(days=400)


def entry(name="Eastside Parents", verified_ago=YEAR_AGO, **fields) -> Partner:
    values = {
        "listed": True,
        "description": "Parents organising.",
        "languages": ["en"],
        "contact_name": "Front desk",
        "contact_email": "desk@eastside.example.org",
        "last_verified": timezone.localdate() - verified_ago if verified_ago else None,
        **fields,
    }
    return Partner.objects.create(
        organisation=Organisation.objects.create(name=name), **values
    )


@pytest.fixture
def sectors():
    return ensure_default_sectors(ensure_locales())


def review_path() -> str:
    body = mail.outbox[-1].body
    start = body.index("/p/partners/review/")
    return body[start:].split()[0]


def send_changes(client, link: str, **changes):
    """Send the review page's form of changes as a browser would, with the
    values shown but for `changes` (a value of None leaves the field out)."""
    forms = parse(link, client.get(link).content.decode()).forms
    (form,) = (
        each
        for each in forms
        if any(f.name == "action" and f.value == "propose" for f in each.fields)
    )
    sent: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind in ("checkbox", "radio") and not field.checked:
            continue
        if field.kind not in ("submit", "button"):
            value = field.value or ("on" if field.kind == "checkbox" else "")
            sent.setdefault(field.name, []).append(value)
    sent["action"] = ["propose"]
    sent.update(changes)
    return client.post(
        link, {name: value for name, value in sent.items() if value is not None}
    )


def test_an_entry_due_is_e_mailed_to_its_contact_once_a_period():
    due = entry()
    entry("Recently checked", verified_ago=timedelta(days=30))
    entry("Unlisted", listed=False)
    entry("No contact", contact_email="")
    never = entry("Never checked", verified_ago=None, languages=["es", "en"])
    assert set(reviews.due()) == {due, never}
    assert reviews.ask_for_review.call(due.pk) is True
    assert reviews.ask_for_review.call(due.pk) is False  # once
    message = mail.outbox[-1]
    assert message.to == ["desk@eastside.example.org"]
    assert "Eastside Parents" in message.subject
    assert "/p/partners/review/" in message.body
    # In the organisation's first language the site speaks.
    assert reviews.ask_for_review.call(never.pk) is True
    assert "/es/p/partners/review/" in mail.outbox[-1].body
    # Still not verified a period later: asked again.
    later = timezone.localdate() + timedelta(days=366)
    assert due in reviews.due(later)
    Partner.objects.filter(pk=due.pk).update(last_verified=timezone.localdate())
    assert due not in reviews.due(later - timedelta(days=2))


def test_the_command_asks_every_partner_due():
    entry()
    entry("Second")
    out = io.StringIO()
    call_command("ask_partners_to_review", stdout=out)
    assert len(mail.outbox) == 2 and "2 of 2" in out.getvalue()
    call_command("ask_partners_to_review", stdout=out)
    assert len(mail.outbox) == 2


def test_the_contact_says_nothing_changed_or_sends_changes_that_wait(client):
    partner = entry()
    reviews.ask_for_review.call(partner.pk)
    link = review_path()
    page = client.get(link)
    assert page.status_code == 200
    assert "Parents organising." in page.content.decode()
    client.post(link, {"action": "unchanged"})
    partner.refresh_from_db()
    assert partner.last_verified == timezone.localdate()
    # Bad input: a message, nothing saved.
    refused = send_changes(client, link, name="", contact_email="not an address")
    assert refused.status_code == 400
    assert not Correction.objects.exists()
    sent = send_changes(
        client,
        link,
        description="Parents and grandparents organising.",
        languages=["en", "es"],
        contact_email="hello@eastside.example.org",
        message="We now work in Spanish too.",
    )
    assert sent.status_code == 200
    correction = Correction.objects.get()
    assert correction.state == Correction.State.WAITING
    assert correction.changes == {
        "description": "Parents and grandparents organising.",
        "languages": ["en", "es"],
        "contact_email": "hello@eastside.example.org",
    }
    partner.refresh_from_db()  # nothing published before a lead looks
    assert partner.description == "Parents organising."


def test_a_link_forged_expired_or_for_an_unlisted_entry_does_not_work(
    client, monkeypatch
):
    partner = entry()
    token = reviews.review_token(partner)
    assert client.get(reverse("partners:review", args=["forged"])).status_code == 400
    Partner.objects.filter(pk=partner.pk).update(listed=False)
    assert client.get(reverse("partners:review", args=[token])).status_code == 400
    Partner.objects.filter(pk=partner.pk).update(listed=True)
    assert client.get(reverse("partners:review", args=[token])).status_code == 200
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr("time.time", lambda: later.timestamp())
    assert client.get(reverse("partners:review", args=[token])).status_code == 400


def test_a_lead_applies_or_dismisses_corrections_in_the_admin():
    partner = entry()
    people = group_with_people()
    Group.objects.get(name=FACILITATORS).user_set.add(people.people["facilitator"])
    waiting = reviews.propose(
        partner,
        {**reviews.entry_values(partner), "description": "New words."},
        "",
    )
    note = Correction.objects.create(
        partner=partner,
        source=Correction.Source.VISITOR,
        message="The phone number is wrong.",
        reply_to="neighbour@example.org",
    )
    queue = reverse("partner_corrections:index")
    for role in ("participant", "facilitator", "group_lead"):
        answer = people.client(role).get(queue)
        assert answer.status_code in (302, 403), role
        refused = people.client(role).post(
            reverse("partner_corrections:decide", args=[waiting.pk]),
            {"action": "apply"},
        )
        assert refused.status_code in (302, 403)
    waiting.refresh_from_db()
    assert waiting.state == Correction.State.WAITING
    lead = people.client("program_lead")
    page = lead.get(queue).content.decode()
    assert "New words." in page and "Parents organising." in page
    assert "The phone number is wrong." in page
    decide = reverse("partner_corrections:decide", args=[waiting.pk])
    assert lead.post(decide, {"action": "apply"}).status_code == 302
    partner.refresh_from_db()
    assert partner.description == "New words."
    assert partner.last_verified == timezone.localdate()
    waiting.refresh_from_db()
    assert waiting.state == Correction.State.APPLIED
    assert waiting.decided_by == people.people["program_lead"]
    # Decided already: nothing applied twice; nonsense: nothing decided.
    Partner.objects.filter(pk=partner.pk).update(description="Edited since.")
    again = lead.post(decide, {"action": "apply"}, follow=True)
    assert "already decided" in again.content.decode()
    assert Partner.objects.get(pk=partner.pk).description == "Edited since."
    other = reverse("partner_corrections:decide", args=[note.pk])
    lead.post(other, {"action": "publish"})
    note.refresh_from_db()
    assert note.state == Correction.State.WAITING
    lead.post(other, {"action": "dismiss"})
    note.refresh_from_db()
    assert note.state == Correction.State.DISMISSED


def test_anyone_suggests_a_correction_to_a_listed_entry(client, home_page):
    directory = home_page.add_child(
        instance=PartnerDirectoryPage(title="Partners", slug="partners")
    )
    partner = entry()
    hidden = entry("Quiet Neighbours", listed=False)
    page = client.get(directory.url + "eastside-parents/").content.decode()
    suggest = reverse("partners:suggest", args=[partner.organisation.uuid])
    assert suggest in page and "desk@eastside.example.org" in page
    assert (
        client.get(
            reverse("partners:suggest", args=[hidden.organisation.uuid])
        ).status_code
        == 404
    )
    assert client.post(suggest, {"message": ""}).status_code == 400
    sent = client.post(
        suggest,
        {"message": "They moved to 5th Street.", "reply_to": "me@example.org"},
    )
    assert sent.status_code == 302
    correction = Correction.objects.get()
    assert correction.source == Correction.Source.VISITOR
    assert correction.reply_to == "me@example.org"
    # The address left is for the leads only: never on the public pages.
    assert "me@example.org" not in client.get(suggest).content.decode()
    # A flood from one client is held back, with a message.
    cache.clear()
    answers = [
        client.post(suggest, {"message": f"Spam {n}"}).status_code for n in range(12)
    ]
    assert answers[:10] == [302] * 10 and answers[10:] == [429, 429]
    assert Correction.objects.count() == 11


def test_a_persons_address_and_decisions_are_exported_and_erased():
    people = group_with_people()
    lead = people.people["program_lead"]
    partner = entry(contact_email=lead.email.upper())
    mine = Correction.objects.create(
        partner=partner,
        source=Correction.Source.VISITOR,
        message="Wrong hours.",
        reply_to=lead.email,
    )
    reviews.dismiss(mine.pk, lead)
    others = Correction.objects.create(
        partner=partner, source=Correction.Source.VISITOR, reply_to="x@example.org"
    )
    exported = lms_export_user_data(lead)
    assert [each["message"] for each in exported["partner corrections sent"]] == [
        "Wrong hours."
    ]
    assert [each["decision"] for each in exported["partner corrections decided"]] == [
        "dismissed"
    ]
    assert exported["partner entries with your address as their contact"] == [
        "Eastside Parents"
    ]
    lms_erase_user_data(lead)
    mine.refresh_from_db()
    others.refresh_from_db()
    partner.refresh_from_db()
    assert (mine.reply_to, mine.decided_by, mine.state) == ("", None, "dismissed")
    assert others.reply_to == "x@example.org"
    assert partner.contact_email == ""


def test_what_is_sent_fits_the_tables_and_links_and_a_new_contact_voids_the_link(
    client,
):
    partner = entry()
    token = reviews.review_token(partner)
    link = reverse("partners:review", args=[token])
    for wrong in (
        {"contact_email": "desk?bcc=spy@example.org"},
        {"contact_email": "a" * 250 + "@example.org"},
        {"contact_phone": "call <b>now</b>"},
    ):
        sent = send_changes(client, link, **wrong)
        assert sent.status_code == 400, wrong
        assert "field-error" in sent.content.decode()
    assert not Correction.objects.exists()
    # The same languages in another order are no change.
    Partner.objects.filter(pk=partner.pk).update(languages=["es", "en"])
    send_changes(
        client,
        link,
        languages=["en", "es"],
        contact_phone="+1 (951) 555-0100 ext. 4",
    )
    assert Correction.objects.get().changes == {
        "contact_phone": "+1 (951) 555-0100 ext. 4"
    }
    # The lead gives the entry another contact: the old mailbox's link stops.
    Partner.objects.filter(pk=partner.pk).update(contact_email="new@example.org")
    assert client.get(link).status_code == 400
    suggest = reverse("partners:suggest", args=[partner.organisation.uuid])
    refused = client.post(suggest, {"message": "Hi", "reply_to": "me?cc=x@y.org"})
    assert refused.status_code == 400


def test_a_review_is_scheduled_again_after_a_send_and_after_a_confirmation(
    client, monkeypatch
):
    partner = entry()
    scheduled = []
    real = reviews.schedule_review
    monkeypatch.setattr(
        reviews,
        "schedule_review",
        lambda found, when=None: scheduled.append((found.pk, when)),
    )
    assert reviews.ask_for_review.call(partner.pk)
    next_time = timezone.localdate() + timedelta(days=365)
    assert scheduled == [(partner.pk, next_time)]
    client.post(
        reverse("partners:review", args=[reviews.review_token(partner)]),
        {"action": "unchanged"},
    )
    assert scheduled[-1] == (partner.pk, None)  # due a period from today
    partner.refresh_from_db()
    assert reviews.due_on(partner) == next_time
    monkeypatch.setattr(reviews, "schedule_review", real)


def test_applying_what_no_longer_fits_is_a_message_not_an_error():
    partner = entry()
    people = group_with_people()
    bad = Correction.objects.create(
        partner=partner,
        source=Correction.Source.CONTACT,
        changes={"contact_email": "not an address"},
    )
    lead = people.client("program_lead")
    answer = lead.post(
        reverse("partner_corrections:decide", args=[bad.pk]),
        {"action": "apply"},
        follow=True,
    )
    assert answer.status_code == 200 and "Not applied" in answer.content.decode()
    bad.refresh_from_db()
    partner.refresh_from_db()
    assert bad.state == Correction.State.WAITING
    assert partner.contact_email == "desk@eastside.example.org"


def test_a_correction_sent_keeps_the_page_cache(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60
    emptied = []
    monkeypatch.setattr(page_cache.pages, "invalidate", lambda: emptied.append(1))
    partner = entry()
    emptied.clear()
    Correction.objects.create(partner=partner, source=Correction.Source.VISITOR)
    assert emptied == []
    partner.save()  # the entry itself is on a public page
    assert emptied


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leads_deciding_at_once_decide_once_and_the_link_goes_once(home_page):
    partner = entry()
    leads = [UserFactory() for _ in range(6)]
    waiting = reviews.propose(
        partner, {**reviews.entry_values(partner), "description": "New."}, ""
    )
    decisions = [
        partial(reviews.apply if n % 2 else reviews.dismiss, waiting.pk, lead)
        for n, lead in enumerate(leads)
    ]
    results = []
    errors = run_at_once(*(lambda d=d: results.append(d()) for d in decisions))
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    waiting.refresh_from_db()
    assert waiting.state != Correction.State.WAITING and waiting.decided_by in leads
    due = entry("Second", contact_email="desk@second.example.org")
    errors = run_at_once(*(partial(reviews.ask_for_review.call, due.pk),) * 5)
    assert errors == [] and len(mail.outbox) == 1


def test_an_organisation_asks_through_its_link_not_to_be_listed(client, home_page):
    """The review form's "List us in the public directory", unticked, is a
    change like any other: it waits for a lead, who reads it as yes → no;
    applied, the entry leaves the directory."""
    partner = entry()
    reviews.ask_for_review.call(partner.pk)
    link = review_path()
    form = client.get(link).content.decode()
    assert re.search(r'name="listed"[^>]*checked', form)
    sent = send_changes(
        client,
        link,
        listed=None,
        message="Please take us off the public list for now.",
    )
    assert sent.status_code == 200
    correction = Correction.objects.get()
    assert correction.changes == {"listed": False}
    lead = group_with_people().client("program_lead")
    page = lead.get(reverse("partner_corrections:index")).content.decode()
    assert "List us in the public directory" in page
    assert re.search(r"yes.*\n?.*no", page)
    decide = reverse("partner_corrections:decide", args=[correction.pk])
    assert lead.post(decide, {"action": "apply"}).status_code == 302
    partner.refresh_from_db()
    assert partner.listed is False
    assert not listed_partners().filter(pk=partner.pk).exists()


def test_the_contact_changes_sectors_areas_places_and_services_a_lead_applies(
    client, sectors
):
    """The whole entry through the link: sectors and areas ticked, a place
    moved (it leaves the map until a lead places it again), one removed and
    one added, a service offered at one place only, one added. An id typed
    in for another partner's place, or a row sent twice, is refused."""
    partner = entry()
    riverside, inland = (
        Area.objects.create(name=name) for name in ("Riverside", "Inland")
    )
    partner.sectors.set([sectors["parents"]])
    partner.areas.set([riverside])
    partner.save()
    hall = Location.objects.create(
        partner=partner,
        name="Hall",
        address="1 Oak St",
        city="Riverside",
        latitude=Decimal("33.9"),
        longitude=Decimal("-117.3"),
    )
    annex = Location.objects.create(partner=partner, name="Annex")
    childcare = Service.objects.create(
        partner=partner, name="Childcare", kind="childcare"
    )
    others = Location.objects.create(partner=entry("Another"), name="Their hall")
    reviews.ask_for_review.call(partner.pk)
    link = review_path()
    # Sent as shown: no change at all.
    assert send_changes(client, link).status_code == 200
    assert Correction.objects.get().changes == {}
    Correction.objects.all().delete()
    page = client.get(link).content.decode()
    assert "Hall" in page and "Their hall" not in page

    # An id typed in for another partner's place, or a row sent twice.
    for forged in (
        {"locations-0-id": str(others.pk)},
        {"locations-1-id": str(annex.pk)},
    ):
        refused = send_changes(client, link, **forged)
        assert refused.status_code == 400
        assert "The form arrived damaged" in refused.content.decode()
    assert not Correction.objects.exists()
    sent = send_changes(
        client,
        link,
        sectors=[str(sectors["parents"].pk), str(sectors["youth"].pk)],
        areas=[str(riverside.pk), str(inland.pk)],
        **{
            "locations-TOTAL_FORMS": "3",
            # The places in name order: the annex, then the hall.
            "locations-0-DELETE": "on",
            "locations-1-address": "2 Elm St",
            "locations-1-opening_hours": "Mondays, 5 to 8 pm",
            "locations-2-name": "Library room",
            "locations-2-city": "Moreno Valley",
            "locations-2-accessible_entrance": "on",
            "services-TOTAL_FORMS": "2",
            "services-0-where": [str(hall.pk)],
            "services-1-name": "Homework club",
            "services-1-kind": "training",
            "services-1-languages": ["es"],
            "services-1-where": [str(hall.pk)],
        },
    )
    assert sent.status_code == 200
    correction = Correction.objects.get()
    assert set(correction.changes) == {"sectors", "areas", "locations", "services"}

    lead = group_with_people().client("program_lead")
    queue = lead.get(reverse("partner_corrections:index")).content.decode()
    for shown in (
        "Youth",
        "Inland",
        "2 Elm St",
        "Mondays, 5 to 8 pm",
        "Removed: Annex",
        "New: Library room · Moreno Valley · step-free entrance",
        "New: Homework club (Training) · Spanish · at Hall",
        "Childcare (Childcare) · at Hall",
    ):
        assert shown in queue, shown
    decide = reverse("partner_corrections:decide", args=[correction.pk])
    assert lead.post(decide, {"action": "apply"}).status_code == 302
    partner = Partner.objects.get(pk=partner.pk)
    assert {s.slug for s in partner.sectors.all()} == {"parents", "youth"}
    assert set(partner.areas.all()) == {riverside, inland}
    hall.refresh_from_db()
    assert (hall.address, hall.opening_hours) == ("2 Elm St", "Mondays, 5 to 8 pm")
    assert hall.latitude is None and hall.longitude is None
    assert not Location.objects.filter(pk=annex.pk).exists()
    library = partner.locations.get(name="Library room")
    assert library.city == "Moreno Valley" and library.accessible_entrance
    childcare.refresh_from_db()
    assert list(childcare.where.all()) == [hall]
    club = partner.services.get(name="Homework club")
    assert club.languages == ["es"] and list(club.where.all()) == [hall]
    others.refresh_from_db()
    assert others.name == "Their hall" and others.partner.organisation.name == "Another"


def test_a_place_or_service_sent_wrong_is_a_message_and_nothing_waits(client):
    partner = entry()
    Location.objects.create(partner=partner, name="Hall")
    reviews.ask_for_review.call(partner.pk)
    link = review_path()
    for wrong in (
        {"locations-0-name": ""},
        {"locations-TOTAL_FORMS": "2", "locations-1-city": "Riverside"},  # no name
        {
            "services-TOTAL_FORMS": "2",
            "services-1-name": "Tea",
            "services-1-kind": "tea",
        },
        {
            "services-0-name": "Tea",
            "services-0-kind": "food",
            "services-0-where": ["99"],
        },
        {"locations-TOTAL_FORMS": "-1"},
        {"locations-0-DELETE": "perhaps"},
        {"locations-TOTAL_FORMS": "30"},  # past the most a review can list
    ):
        sent = send_changes(client, link, **wrong)
        assert sent.status_code == 400, wrong
        html = sent.content.decode()
        assert "field-error" in html or "form-errors" in html, wrong
        # A row with an error is shown unfolded; the others stay folded.
        if "field-error" in html:
            assert "<details open>" in html and "<details>" in html, wrong
    assert not Correction.objects.exists()


def test_a_contact_s_later_changes_replace_the_waiting_ones_each_row_on_one_line(
    client,
):
    partner = entry()
    Location.objects.create(partner=partner, name="Hall")
    reviews.ask_for_review.call(partner.pk)
    link = review_path()
    send_changes(client, link, description="First try.")
    forged_line = "Hall\nRemoved: Every other place"
    send_changes(client, link, **{"locations-0-name": forged_line})
    (waiting,) = Correction.objects.all()
    assert set(waiting.changes) == {"locations"}  # the first try is gone
    lead = group_with_people().client("program_lead")
    queue = lead.get(reverse("partner_corrections:index")).content.decode()
    assert "Hall Removed: Every other place" in queue
    assert "<br>Removed:" not in queue

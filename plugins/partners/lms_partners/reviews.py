"""Keeping the directory true: when a listed partner's entry has not been
verified for `review_after_days`, its public contact is e-mailed a link to
review it without an account. "Nothing has changed" verifies it at once;
changes wait for a lead, who applies or dismisses them (so do corrections
anyone sends from the directory)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from lms_partners.forms import LOCATION_FIELDS, SERVICE_FIELDS
from lms_partners.geocoding import ADDRESS_FIELDS
from lms_partners.languages import OFFERED_LANGUAGES
from lms_partners.models import Area, Correction, Location, Partner, Sector, Service
from sdk import (
    EMAIL_QUEUE,
    Organisation,
    link,
    make_token,
    read_token,
    send_templated_email,
)

REVIEW_SALT = "partners.review"
# What the organisation may change through its link, in the entry's order:
# the organisation's own name and website, then the entry's fields.
ORGANISATION_FIELDS = ("name", "website")
ENTRY_FIELDS = (
    "description",
    "languages",
    "sectors",
    "areas",
    "contact_name",
    "contact_email",
    "contact_phone",
    "listed",
)
# The entry's places and services: each proposed as a whole list of rows,
# a row kept with its id.
ROWS = ("locations", "services")
REVIEWED_FIELDS = ORGANISATION_FIELDS + ENTRY_FIELDS + ROWS


def setting(name: str):
    return apps.get_app_config("partners").plugin_settings[name]


def due_on(partner: Partner) -> date:
    """When the entry is next due for a review: `review_after_days` after it
    was last verified; at once if it never was."""
    if partner.last_verified is None:
        return timezone.localdate()
    return partner.last_verified + timedelta(days=setting("review_after_days"))


def due(today: date | None = None):
    """Listed partners with a contact whose entry is due for review and who
    were not sent the link since it fell due."""
    today = today or timezone.localdate()
    overdue_since = today - timedelta(days=setting("review_after_days"))
    return (
        Partner.objects.filter(listed=True)
        .exclude(contact_email="")
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lte=overdue_since))
        .filter(
            # Never asked, asked before the last verification, or asked a
            # whole period ago and still not verified: once per period.
            Q(review_asked_on__isnull=True)
            | Q(review_asked_on__lte=F("last_verified"))
            | Q(review_asked_on__lte=overdue_since)
        )
    )


def _contact_mark(partner: Partner) -> str:
    """Stands for the address the link went to: once a lead changes it, the
    old mailbox's link stops working."""
    address = partner.contact_email.strip().lower().encode()
    return hashlib.sha256(address).hexdigest()[:16]


def review_token(partner: Partner) -> str:
    return make_token({"p": partner.pk, "c": _contact_mark(partner)}, REVIEW_SALT)


def read_review_token(token: str) -> Partner | None:
    payload = read_token(
        token, REVIEW_SALT, max_age=timedelta(days=setting("link_days"))
    )
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        return None
    partner = (
        Partner.objects.select_related("organisation")
        .filter(pk=payload["p"], listed=True)
        .first()
    )
    if partner is None or payload.get("c") != _contact_mark(partner):
        return None
    return partner


def schedule_review(partner: Partner, when: date | None = None) -> None:
    """Ask for the review when the entry falls due, or on `when` (a task
    deferred until then; at that time it checks the entry is still due)."""
    if not partner.listed or not partner.contact_email:
        return
    when = timezone.make_aware(datetime.combine(when or due_on(partner), time(9)))
    queued = ask_for_review
    if ask_for_review.get_backend().supports_defer:
        queued = ask_for_review.using(run_after=max(when, timezone.now()))
    transaction.on_commit(lambda: queued.enqueue(partner.pk), robust=True)


@task(queue_name=EMAIL_QUEUE)
def ask_for_review(partner_id: int) -> bool:
    """E-mail the contact the review link if the entry is due and the link
    was not sent for this period; whether it was sent. Claimed with one
    UPDATE, so two workers send it once."""
    today = timezone.localdate()
    claimed = due(today).filter(pk=partner_id).update(review_asked_on=today) == 1
    if not claimed:
        return False
    partner = Partner.objects.select_related("organisation").get(pk=partner_id)
    try:
        _email(partner)
    except Exception:
        Partner.objects.filter(pk=partner_id).update(review_asked_on=None)
        raise
    # Not answered by then: asked again a period later.
    schedule_review(partner, today + timedelta(days=setting("review_after_days")))
    return True


def _email(partner: Partner) -> None:
    language = _language_of(partner)
    send_templated_email(
        "lms_partners/email/review",
        {
            "partner": partner,
            "review_url": link(
                "partners:review", review_token(partner), language=language
            ),
            "days": setting("link_days"),
            "last_verified": partner.last_verified,
        },
        to=partner.contact_email,
        language=language,
    )


def _language_of(partner: Partner) -> str:
    """The site's language the organisation works in first, else the site's."""
    served = [code for code, _name in settings.LANGUAGES]
    return next((code for code in partner.languages if code in served), served[0])


# What the contact sends


def entry_values(partner: Partner) -> dict:
    organisation = partner.organisation
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    values.update({name: getattr(partner, name) for name in ENTRY_FIELDS})
    values["sectors"] = sorted(sector.pk for sector in partner.sectors.all())
    values["areas"] = sorted(area.pk for area in partner.areas.all())
    values["locations"] = [
        _row_values(place, LOCATION_FIELDS) for place in partner.locations.all()
    ]
    values["services"] = [
        {
            **_row_values(service, SERVICE_FIELDS),
            "where": sorted(place.pk for place in service.where.all()),
        }
        for service in partner.services.prefetch_related("where")
    ]
    return values


def _row_values(row, fields: tuple[str, ...]) -> dict:
    return {"id": row.pk, **{field: getattr(row, field) for field in fields}}


def verify_unchanged(partner: Partner) -> None:
    partner.last_verified = timezone.localdate()
    Partner.objects.filter(pk=partner.pk).update(last_verified=partner.last_verified)
    schedule_review(partner)


def propose(partner: Partner, proposed: dict, message: str) -> Correction:
    """The contact's changes (only what differs from the entry), waiting: one
    correction from the contact waits at a time."""
    current = entry_values(partner)
    changes = {
        name: value
        for name, value in proposed.items()
        if _differs(name, current.get(name), value)
    }
    # Sent again before a lead looked: the newer changes replace the older.
    return Correction.objects.update_or_create(
        partner=partner,
        source=Correction.Source.CONTACT,
        state=Correction.State.WAITING,
        defaults={"changes": changes, "message": message},
    )[0]


def _differs(name: str, now, proposed) -> bool:
    if name == "languages":  # a set: the order chosen says nothing
        return set(proposed) != _offered(now)
    if name in ("sectors", "areas"):
        return set(proposed) != set(now)
    if name in ROWS:
        return _comparable(now) != _comparable(proposed)
    return now != proposed


def _offered(languages: list[str]) -> set[str]:
    """The codes the forms offer (an import may have brought others)."""
    return {code for code in languages if code in OFFERED_LANGUAGES}


def _comparable(rows: list[dict]) -> list[tuple]:
    """Rows as sets say what they hold: in any order, languages and places
    in any order."""

    def comparable(value):
        return frozenset(value) if isinstance(value, list) else value

    return sorted(
        (tuple(sorted((k, comparable(v)) for k, v in row.items())) for row in rows),
        key=repr,
    )


@transaction.atomic
def apply(correction_id: int, user) -> Correction | None:
    """Apply a waiting correction's changes to the entry (the contact's
    are verified by them: the entry counts as verified today); None if it
    was decided already (by another lead at the same time, say)."""
    correction = _waiting(correction_id)
    if correction is None:
        return None
    partner = Partner.objects.select_for_update().get(pk=correction.partner_id)
    organisation = Organisation.objects.get(pk=partner.organisation_id)
    changes = correction.changes
    for name, value in changes.items():
        if name == "languages":
            value = _with_unoffered(value, partner.languages)
        if name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
        elif name == "sectors":
            partner.sectors.set(list(Sector.objects.filter(pk__in=value)))
        elif name == "areas":
            partner.areas.set(list(Area.objects.filter(pk__in=value)))
        elif name in ENTRY_FIELDS:
            setattr(partner, name, value)
    # What the form checked, checked again against the tables.
    organisation.full_clean(exclude=["slug", "uuid"])
    partner.full_clean(exclude=["organisation", "sectors", "areas"])
    organisation.save()
    if correction.source == Correction.Source.CONTACT:
        partner.last_verified = timezone.localdate()
    partner.save()
    if "locations" in changes:
        _apply_rows(partner, Location, LOCATION_FIELDS, changes["locations"])
    if "services" in changes:
        _apply_rows(partner, Service, SERVICE_FIELDS, changes["services"])
    return _decide(correction, Correction.State.APPLIED, user)


def _with_unoffered(proposed: list[str], now: list[str]) -> list[str]:
    """The languages proposed, and those the forms do not offer (from an
    import), kept."""
    return [*proposed, *(code for code in now if code not in OFFERED_LANGUAGES)]


def _apply_rows(
    partner: Partner, model: type, fields: tuple[str, ...], proposed: list[dict]
) -> None:
    """The partner's places or services made what is proposed: those kept
    changed, the new made, the others deleted. An id that is not one of
    the partner's rows (deleted since, or typed in) makes a new row."""
    current = {row.pk: row for row in model.objects.filter(partner=partner)}
    places = set(Location.objects.filter(partner=partner).values_list("pk", flat=True))
    kept = set()
    for values in proposed:
        row = current.get(values.get("id")) or model(partner=partner)
        if model is Location and row.pk and _moved(row, values):
            row.latitude = row.longitude = None  # a lead places it again
        for field in fields:
            value = values.get(field, getattr(row, field))
            if field == "languages":
                value = _with_unoffered(value, row.languages)
            setattr(row, field, value)
        row.full_clean()
        if model is Service:
            row.where.set(
                Location.objects.filter(pk__in=places & {*values.get("where", ())})
            )
        row.save()
        kept.add(row.pk)
    model.objects.filter(partner=partner).exclude(pk__in=kept).delete()


def _moved(place: Location, values: dict) -> bool:
    return any(
        values.get(field, getattr(place, field)) != getattr(place, field)
        for field in ADDRESS_FIELDS
    )


@transaction.atomic
def dismiss(correction_id: int, user) -> Correction | None:
    correction = _waiting(correction_id)
    if correction is None:
        return None
    return _decide(correction, Correction.State.DISMISSED, user)


def _waiting(correction_id: int) -> Correction | None:
    """The correction, locked until the transaction ends, if still waiting."""
    return (
        Correction.objects.select_for_update()
        .filter(pk=correction_id, state=Correction.State.WAITING)
        .first()
    )


def _decide(correction: Correction, state: str, user) -> Correction:
    correction.state = state
    correction.decided_by = user
    correction.decided_at = timezone.now()
    correction.save(update_fields=["state", "decided_by", "decided_at"])
    return correction

"""The directory in Open Referral's Human Services Data Specification (HSDS
3.0), tabular form: a ZIP of CSV files, one per table, that other directory
software reads and writes.

What maps onto HSDS goes there: an organisation (`organization.csv`: its
UUID, name, description, website, the address of its logo as the directory
shows it), its services (`service.csv`, who it is for as the eligibility
description, their languages in `language.csv`), its places (`location.csv`
with coordinates, `address.csv`, `accessibility.csv` for a step-free
entrance, `schedule.csv` for opening hours) and which services are offered
where (`service_at_location.csv`: the places chosen for the service, or
every place of its partner). What HSDS has no field for — sectors, areas
served, the organisation's languages, the partnership status, the service's
kind, the date it was last checked — goes as HSDS does it, as attributes
(`attribute.csv`) with terms of our own taxonomies (`taxonomy_term.csv`,
`taxonomy.csv`).

Only the public directory is exported: listed partners, never internal
notes. Importing it into a site makes the same directory (`import_zip`), but
for the logos: an address on another site is not fetched (a lead adds the
logo, with the words that describe it, which HSDS has no field for)."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Locale

from lms_partners.models import LOGO_SIZE, Area, Location, Partner, Sector, Service
from sdk import Organisation

# The ids HSDS asks for, made from ours: the same row has the same id in
# every export, so a consumer sees an update, not a new record.
NAMESPACE = uuid.UUID("6f1d0e7c-7a4b-4c55-9a52-4d0f5a3b2c11")
TAXONOMIES = {
    "sector": "Learning Commons sectors",
    "area": "Learning Commons areas served",
    "language": "Learning Commons organisation languages",
    "partnership": "Learning Commons partnership status",
    "service_kind": "Learning Commons service kinds",
}
STEP_FREE = "Step-free entrance"
# What one import reads at most, unpacked: a directory of thousands of
# organisations is a few megabytes; a ZIP can unpack to far more than it weighs.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
TABLES = {
    "organization": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "logo",
    ],
    "service": [
        "id",
        "organization_id",
        "name",
        "description",
        "status",
        "eligibility_description",
    ],
    "location": [
        "id",
        "location_type",
        "organization_id",
        "name",
        "latitude",
        "longitude",
    ],
    "address": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "service_at_location": ["id", "service_id", "location_id"],
    "contact": ["id", "organization_id", "name", "email"],
    "phone": ["id", "organization_id", "contact_id", "number"],
    "language": ["id", "service_id", "location_id", "name", "code"],
    "accessibility": ["id", "location_id", "description"],
    "schedule": ["id", "location_id", "description"],
    "taxonomy": ["id", "name", "description"],
    "taxonomy_term": ["id", "code", "name", "description", "taxonomy_id", "language"],
    "attribute": [
        "id",
        "link_id",
        "link_entity",
        "link_type",
        "taxonomy_term_id",
        "value",
    ],
}


def made_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _blank(value) -> str:
    return "" if value is None else str(value)


@dataclass
class Tables:
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, table: str, **values) -> None:
        self.rows[table].append(
            {column: _blank(values.get(column)) for column in TABLES[table]}
        )


class _Terms:
    """Our taxonomies' terms, each written once, and attributes naming them."""

    def __init__(self, tables: Tables):
        self.tables = tables
        self.written: set[str] = set()
        for key, name in TAXONOMIES.items():
            tables.add("taxonomy", id=made_id("taxonomy", key), name=name)

    def attribute(self, link_id: str, entity: str, taxonomy: str, code, name, value=""):
        term_id = made_id("term", taxonomy, code)
        if term_id not in self.written:
            self.written.add(term_id)
            self.tables.add(
                "taxonomy_term",
                id=term_id,
                code=code,
                name=name,
                taxonomy_id=made_id("taxonomy", taxonomy),
                language="en",
            )
        self.tables.add(
            "attribute",
            id=made_id("attribute", link_id, term_id),
            link_id=link_id,
            link_entity=entity,
            link_type=taxonomy,
            taxonomy_term_id=term_id,
            value=value,
        )


def _logo_url(partner: Partner) -> str:
    shown = partner.logo_shown()
    return shown.full_url if shown is not None else ""


def with_logos(partners):
    """The partners with their logos and the logos' shown size, read in two
    queries rather than two for each partner."""
    return partners.prefetch_related(
        Prefetch(
            "logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_SIZE)
        )
    )


def directory_tables(partners: Iterable[Partner]) -> Tables:
    tables = Tables()
    terms = _Terms(tables)
    for partner in partners:
        organisation = partner.organisation
        org_id = str(organisation.uuid)
        tables.add(
            "organization",
            id=org_id,
            name=organisation.name,
            description=partner.description,
            website=organisation.website,
            email=partner.contact_email,
            logo=_logo_url(partner),
        )
        if partner.contact_name or partner.contact_email or partner.contact_phone:
            contact_id = made_id("contact", partner.pk)
            tables.add(
                "contact",
                id=contact_id,
                organization_id=org_id,
                name=partner.contact_name,
                email=partner.contact_email,
            )
            if partner.contact_phone:
                tables.add(
                    "phone",
                    id=made_id("phone", partner.pk),
                    organization_id=org_id,
                    contact_id=contact_id,
                    number=partner.contact_phone,
                )
        for sector in partner.sectors.all():
            terms.attribute(org_id, "organization", "sector", sector.slug, sector.name)
        for area in partner.areas.all():
            terms.attribute(org_id, "organization", "area", area.name, area.name)
        for code in partner.languages:
            terms.attribute(org_id, "organization", "language", code, code)
        terms.attribute(
            org_id,
            "organization",
            "partnership",
            partner.status,
            partner.get_status_display(),
            value=";".join(
                _blank(day) for day in (partner.status_since, partner.last_verified)
            ),
        )
        places = {}
        for location in partner.locations.all():
            place_id = made_id("location", location.pk)
            places[location.pk] = place_id
            tables.add(
                "location",
                id=place_id,
                location_type="physical",
                organization_id=org_id,
                name=location.name,
                latitude=location.latitude,
                longitude=location.longitude,
            )
            tables.add(
                "address",
                id=made_id("address", location.pk),
                location_id=place_id,
                address_1=location.address,
                city=location.city,
                state_province=location.region,
                postal_code=location.postal_code,
                country="US",
                address_type="physical",
            )
            if location.accessible_entrance:
                tables.add(
                    "accessibility",
                    id=made_id("accessibility", location.pk),
                    location_id=place_id,
                    description=STEP_FREE,
                )
            if location.opening_hours:
                tables.add(
                    "schedule",
                    id=made_id("schedule", location.pk),
                    location_id=place_id,
                    description=location.opening_hours,
                )
        for service in partner.services.all():
            service_id = made_id("service", service.pk)
            tables.add(
                "service",
                id=service_id,
                organization_id=org_id,
                name=service.name,
                description=service.description,
                status="active",
                eligibility_description=service.who_for,
            )
            terms.attribute(
                service_id,
                "service",
                "service_kind",
                service.kind,
                service.get_kind_display(),
            )
            for code in service.languages:
                tables.add(
                    "language",
                    id=made_id("language", service.pk, code),
                    service_id=service_id,
                    code=code,
                    name=code,
                )
            chosen = [location.pk for location in service.where.all()]
            for place_id in (places[pk] for pk in chosen or places if pk in places):
                tables.add(
                    "service_at_location",
                    id=made_id("service_at_location", service_id, place_id),
                    service_id=service_id,
                    location_id=place_id,
                )
    return tables


def export_zip(partners: Iterable[Partner]) -> bytes:
    """The partners as HSDS CSV files in a ZIP."""
    tables = directory_tables(partners)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, columns in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables.rows.get(table, []))
            archive.writestr(f"{table}.csv", text.getvalue())
    return buffer.getvalue()


class ImportRefused(ValueError):
    """The file is not an HSDS directory this site can read; nothing saved."""


def _read(archive: zipfile.ZipFile, table: str, budget: list[int]) -> list[dict]:
    """The table's rows, each with every column of the table (a missing
    column or a short row reads as empty text) and nothing else."""
    try:
        with archive.open(f"{table}.csv") as member:
            raw = member.read(budget[0] + 1)
    except KeyError:
        return []
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as error:
        raise ImportRefused(f"{table}.csv cannot be unpacked: {error}") from error
    budget[0] -= len(raw)
    if budget[0] < 0:
        raise ImportRefused(
            f"The files unpack to more than {MAX_UNPACKED_BYTES // 2**20} MB."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{table}.csv is not UTF-8 text.") from error
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise ImportRefused(f"{table}.csv is not CSV: {error}") from error
    return [
        {column: (row.get(column) or "").strip() for column in TABLES[table]}
        for row in rows
    ]


def _website(text: str, org_uuid) -> str:
    """A web address to link to (http or https; "www.example.org" is taken
    as https), else the file is refused."""
    if not text:
        return ""
    if "://" not in text and ":" not in text.split("/")[0]:
        text = "https://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError as error:
        raise ImportRefused(
            f"Organisation {org_uuid}: its website is not a web address."
        ) from error
    if len(text) > 500:
        raise ImportRefused(f"Organisation {org_uuid}: its website is too long.")
    return text


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def import_zip(data: bytes) -> int:
    """Partners from an HSDS ZIP: organisations matched by their id (updated
    when known), their services and places replaced; a partner already here
    keeps whether it is listed. The number imported. Refused whole (nothing
    saved) when a row cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportRefused("The file is not a ZIP of HSDS CSV files.") from error
    budget = [MAX_UNPACKED_BYTES]
    with archive:
        tables = {table: _read(archive, table, budget) for table in TABLES}
    try:
        with transaction.atomic():
            return _import_tables(tables)
    except DatabaseError as error:
        raise ImportRefused(f"A row does not fit the directory: {error}") from error


def _import_tables(tables: dict[str, list[dict]]) -> int:
    if not tables["organization"]:
        raise ImportRefused("The ZIP holds no organization.csv with organisations.")
    terms = {row["id"]: row for row in tables["taxonomy_term"]}
    taxonomy_of = {made_id("taxonomy", key): key for key in TAXONOMIES}
    attributes = defaultdict(list)
    for row in tables["attribute"]:
        term = terms.get(row["taxonomy_term_id"])
        if term is not None and term.get("taxonomy_id") in taxonomy_of:
            key = taxonomy_of[term["taxonomy_id"]]
            attributes[row["link_id"]].append((key, term, row["value"]))
    default = Locale.get_default()
    imported = 0
    for row in tables["organization"]:
        try:
            org_uuid = uuid.UUID(row["id"])
        except ValueError as error:
            raise ImportRefused(
                f"An organisation's id is not a UUID: {row['id']!r}"
            ) from error
        if not row["name"]:
            raise ImportRefused(f"Organisation {org_uuid} has no name.")
        organisation = Organisation.objects.filter(uuid=org_uuid).first()
        if organisation is None:
            organisation = Organisation(uuid=org_uuid)
        organisation.name = row["name"][:200]
        organisation.website = _website(row["website"], org_uuid)
        organisation.save()
        # Listed: the file is a public directory's (as ours exports it).
        partner, _created = Partner.objects.get_or_create(
            organisation=organisation, defaults={"listed": True}
        )
        partner.description = row["description"]
        _contact(partner, row, tables)
        sectors, areas, languages = [], [], []
        for key, term, value in attributes[row["id"]]:
            if key == "sector":
                slug = slugify(term["code"])[:100]
                if not slug:
                    raise ImportRefused(f"A sector has no code: {term['id']!r}")
                sectors.append(
                    Sector.objects.get_or_create(
                        slug=slug,
                        locale=default,
                        defaults={"name": term["name"][:100] or slug},
                    )[0]
                )
            elif key == "area" and term["code"]:
                areas.append(Area.objects.get_or_create(name=term["code"][:100])[0])
            elif key == "language":
                languages.append(term["code"][:10])
            elif key == "partnership" and term["code"] in Partner.Status.values:
                partner.status = term["code"]
                since, _sep, checked = value.partition(";")
                partner.status_since, partner.last_verified = _day(since), _day(checked)
        partner.languages = languages
        partner.sectors.set(sectors)
        partner.areas.set(areas)
        partner.save()
        partner.services.all().delete()
        partner.locations.all().delete()
        places = _places(partner, row["id"], tables)
        _services(partner, row["id"], tables, attributes, places)
        imported += 1
    return imported


def _contact(partner: Partner, row: dict, tables) -> None:
    """The organisation's public contact: its e-mail, the first contact's
    name and the first phone number given for it."""
    contact = next(
        (each for each in tables["contact"] if each["organization_id"] == row["id"]),
        {"name": "", "email": ""},
    )
    email = row["email"] or contact["email"]
    try:
        EmailValidator()(email) if email else None
    except ValidationError as error:
        raise ImportRefused(
            f"Organisation {row['id']}: {email!r} is no e-mail."
        ) from error
    phone = next(
        (
            each["number"]
            for each in tables["phone"]
            if each["organization_id"] == row["id"]
        ),
        "",
    )
    partner.contact_email = email[:254]
    partner.contact_name = contact["name"][:200]
    partner.contact_phone = phone[:40]


def _places(partner: Partner, org_id: str, tables) -> dict[str, Location]:
    """The organisation's locations, made; by their id in the file."""
    made = {}
    by_location = {
        table: {row["location_id"]: row for row in tables[table]}
        for table in ("address", "accessibility", "schedule")
    }
    for row in tables["location"]:
        if row["organization_id"] != org_id:
            continue
        address = by_location["address"].get(row["id"], {})
        location = Location(
            partner=partner,
            name=(row["name"] or address.get("address_1") or "?")[:200],
            address=address.get("address_1", "")[:200],
            city=address.get("city", "")[:100],
            region=address.get("state_province", "")[:100],
            postal_code=address.get("postal_code", "")[:20],
            latitude=row["latitude"] or None,
            longitude=row["longitude"] or None,
            accessible_entrance=row["id"] in by_location["accessibility"],
            opening_hours=by_location["schedule"]
            .get(row["id"], {})
            .get("description", "")[:200],
        )
        try:
            location.full_clean()
        except ValidationError as error:
            raise ImportRefused(f"Location {row['id']}: {error}") from error
        location.save()
        made[row["id"]] = location
    return made


def _services(
    partner: Partner, org_id: str, tables, attributes, places: dict[str, Location]
) -> None:
    """The organisation's services; each offered at the places the file
    pairs it with (where it pairs it with every place: at all, as chosen
    in the admin by ticking none)."""
    at_places = defaultdict(set)
    for row in tables["service_at_location"]:
        if row["location_id"] in places:
            at_places[row["service_id"]].add(row["location_id"])
    languages = defaultdict(list)
    for row in tables["language"]:
        if row["service_id"]:
            languages[row["service_id"]].append(row["code"][:10])
    for row in tables["service"]:
        if row["organization_id"] != org_id:
            continue
        kinds = [
            term["code"]
            for key, term, _value in attributes[row["id"]]
            if key == "service_kind" and term["code"] in Service.Kind.values
        ]
        service = Service.objects.create(
            partner=partner,
            name=(row["name"] or "?")[:200],
            kind=kinds[0] if kinds else Service.Kind.OTHER,
            description=row["description"],
            who_for=row["eligibility_description"][:200],
            languages=[code for code in languages[row["id"]] if code],
        )
        if at_places[row["id"]] != set(places):
            service.where.set(places[place] for place in at_places[row["id"]])
            service.save()  # a cluster's relation is written when it is saved

"""The partners plugin (plugins/partners): the coalition's organisations in a
public directory — only those who agreed to be listed, never the leads'
internal notes — filtered by sector (in the visitor's language), what they
offer, area and language, searched by words; kept by leads in the admin."""

import csv
import io
import re
import uuid
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lms_partners import hsds
from lms_partners.directory import PartnerDirectoryPage, listed_partners
from lms_partners.hsds import ImportRefused, export_zip, import_zip
from lms_partners.models import Area, Location, Partner, Sector, Service
from lms_partners.sectors import ensure_default_sectors
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from content.models import Topic
from lms.hookspecs import Period
from lms.plugins import collect
from lms.roles import FACILITATORS
from organisations.models import Organisation
from sdk.demo import ensure_locales, translation_of
from sdk.testing import check_plugin, group_with_people

pytestmark = pytest.mark.django_db

NOTE = "INTERNAL-the-director-is-leaving"


@pytest.fixture
def directory(home_page):
    return home_page.add_child(
        instance=PartnerDirectoryPage(title="Partners", slug="partners")
    )


@pytest.fixture
def sectors():
    return ensure_default_sectors(ensure_locales())


def partner(name, sectors=(), area=None, languages=(), listed=True, kind=None):
    organisation = Organisation.objects.create(name=name)
    found = Partner.objects.create(
        organisation=organisation,
        description=f"{name} works with neighbours.",
        languages=list(languages),
        listed=listed,
        notes=NOTE,
    )
    found.sectors.set(sectors)
    if area is not None:
        found.areas.set([area])
    found.save()  # modelcluster keeps the sectors and areas until then
    if kind is not None:
        Service.objects.create(partner=found, name=f"{name} offer", kind=kind)
    return found


def names(response) -> list[str]:
    return [entry.organisation.name for entry, *_shown in response.context["entries"]]


def test_the_plugin_meets_the_plugin_contract():
    assert check_plugin("partners") == []


def test_the_directory_lists_only_partners_who_agreed_and_never_notes(
    client, directory, sectors
):
    eastside = partner("Eastside Parents", [sectors["parents"]])
    Service.objects.create(
        partner=eastside, name="Childcare", kind="childcare", languages=["es", "en"]
    )
    partner("Quiet Neighbours", [sectors["civic"]], listed=False)
    # Typed in by a lead, not yet asked: not public until someone ticks it.
    Partner.objects.create(organisation=Organisation.objects.create(name="Prospect"))
    page = client.get(directory.url)
    assert page.status_code == 200
    assert names(page) == ["Eastside Parents"]
    text = page.content.decode()
    assert "Quiet Neighbours" not in text and NOTE not in text
    shown = client.get(directory.url + "eastside-parents/")
    assert shown.status_code == 200
    assert "Eastside Parents" in shown.content.decode()
    assert "In Spanish, English" in shown.content.decode()  # the service's
    assert NOTE not in shown.content.decode()
    assert client.get(directory.url + "quiet-neighbours/").status_code == 404
    assert client.get(directory.url + "nobody/").status_code == 404


def test_filters_by_sector_offer_area_language_and_words(client, directory, sectors):
    riverside = Area.objects.create(name="Riverside County")
    fontana = Area.objects.create(name="San Bernardino County")
    partner(
        "Iglesia Nueva Esperanza",
        [sectors["faith"]],
        riverside,
        ["es"],
        kind=Service.Kind.MEETING_SPACE,
    )
    partner("Youth Voices", [sectors["youth"]], riverside, ["en", "es"])
    partner(
        "Fontana Parents",
        [sectors["parents"], sectors["youth"]],
        fontana,
        ["en"],
        kind=Service.Kind.TRAINING,
    )

    def listed(query):
        response = client.get(f"{directory.url}?{query}")
        assert response.status_code == 200
        return names(response)

    assert listed("sector=youth") == ["Fontana Parents", "Youth Voices"]
    assert listed("service=meeting_space") == ["Iglesia Nueva Esperanza"]
    assert listed(f"area={fontana.pk}") == ["Fontana Parents"]
    # "es" in quotes: English ("en") does not match, nor does a word holding it.
    assert listed("language=es") == ["Iglesia Nueva Esperanza", "Youth Voices"]
    assert listed("q=voices") == ["Youth Voices"]
    assert listed("q=parents+fontana") == ["Fontana Parents"]
    assert listed("sector=youth&language=es") == ["Youth Voices"]
    # Choices offered: only sectors and areas some listed partner has.
    form = client.get(directory.url).context["filter"].form
    assert {sector.slug for sector in form.fields["sector"].queryset} == {
        "faith",
        "youth",
        "parents",
    }
    # Bad input: a message, every partner, never a server error.
    for query in (
        "sector=nonsense",
        "area=abc",
        "area=999999999999999999999",
        "language=xx",
        "service=zzz",
        "page=999",
        "q=" + "x" * 5000,
        "sector=%00",
    ):
        response = client.get(f"{directory.url}?{query}")
        assert response.status_code == 200, query


def test_a_spanish_visitor_reads_sectors_in_spanish_and_filters_by_them(
    client, home_page, directory, sectors
):
    translation_of(home_page, "es", _Report(), title="Inicio")
    spanish_directory = translation_of(directory, "es", _Report(), title="Aliados")
    partner("Youth Voices", [sectors["youth"]])
    page = client.get(spanish_directory.url + "?sector=youth")
    assert names(page) == ["Youth Voices"]
    assert "Jóvenes" in page.content.decode()
    assert "Youth</span>" not in page.content.decode()
    one = client.get(spanish_directory.url + "youth-voices/").content.decode()
    assert "Jóvenes" in one


class _Report:
    def made(self, thing):
        pass


def no_agreements() -> dict[str, str]:
    """The partner form's empty list of partnership agreements."""
    return {
        "agreements-TOTAL_FORMS": "0",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
    }


def test_a_lead_keeps_a_partner_in_the_admin_in_one_form(sectors):
    client = group_with_people().client("program_lead")
    url = reverse("wagtailsnippets_partners_partner:add")
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="name"' in form.content.decode()
    data = {
        "name": "Eastside Parents United",
        "website": "https://eastside.example.org",
        "description": "Parents organising.",
        "sectors": [sectors["parents"].pk],
        "languages": ["en", "es"],
        "status": "core",
        "listed": "on",
        "notes": NOTE,
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "1000",
        "services-0-name": "Childcare",
        "services-0-kind": "childcare",
        "services-0-who_for": "",
        "services-0-languages": ["es", "en"],
        "services-0-description": "",
        "services-0-ORDER": "1",
        "services-0-DELETE": "",
        "services-0-id": "",
        "locations-TOTAL_FORMS": "1",
        "locations-INITIAL_FORMS": "0",
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "1000",
        "locations-0-name": "Family Center",
        "locations-0-address": "3900 Market St",
        "locations-0-city": "Riverside",
        "locations-0-region": "CA",
        "locations-0-postal_code": "92501",
        "locations-0-opening_hours": "",
        "locations-0-latitude": "95",  # not on Earth
        "locations-0-longitude": "",
        "locations-0-ORDER": "1",
        "locations-0-DELETE": "",
        "locations-0-id": "",
        **no_agreements(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form again, with the error
    assert not Organisation.objects.exists()
    # The site knew the organisation already (it co-hosted a session, say):
    # the partner is that organisation, not a second of the same name.
    known = Organisation.objects.create(name="EASTSIDE PARENTS UNITED")
    data["locations-0-latitude"] = "33.9806"
    data["locations-0-longitude"] = "-117.3755"
    assert client.post(url, data).status_code == 302
    found = Partner.objects.get()
    assert found.organisation == known and Organisation.objects.count() == 1
    assert found.organisation.name == "Eastside Parents United"
    assert found.organisation.slug == "eastside-parents-united"
    assert found.languages == ["en", "es"]
    assert list(found.sectors.all()) == [sectors["parents"]]
    assert found.services.get().kind == "childcare"
    assert found.services.get().languages == ["es", "en"]
    assert Location.objects.get().city == "Riverside"
    # Renamed in the same form: the organisation follows, its address stays.
    edit = reverse("wagtailsnippets_partners_partner:edit", args=[found.pk])
    assert client.get(edit).content.decode().count("Eastside Parents United") >= 1
    data.update(
        {
            "name": "Eastside Parents",
            "services-INITIAL_FORMS": "1",
            "services-0-id": str(found.services.get().pk),
            "locations-INITIAL_FORMS": "1",
            "locations-0-id": str(Location.objects.get().pk),
        }
    )
    assert client.post(edit, data).status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Eastside Parents"
    assert organisation.slug == "eastside-parents-united"
    # The service is offered at the partner's own locations, never another's.
    own = Location.objects.get()
    elsewhere = Location.objects.create(
        partner=partner("Another"), name="Another's hall"
    )
    page = client.get(edit).content.decode()
    assert "Family Center" in page and "Another&#x27;s hall" not in page
    data["services-0-where"] = [elsewhere.pk]
    assert client.post(edit, data).status_code == 200
    assert not found.services.get().where.exists()
    data["services-0-where"] = [own.pk]
    assert client.post(edit, data).status_code == 302
    assert list(found.services.get().where.all()) == [own]


def test_only_leads_and_superusers_keep_the_directory(sectors):
    people = group_with_people()
    for role in ("participant", "facilitator", "group_lead"):
        client = people.client(role)
        for name in ("partner", "sector", "area"):
            listing = reverse(f"wagtailsnippets_partners_{name}:list")
            assert client.get(listing).status_code == 302, (role, name)
        refused = client.post(
            reverse("wagtailsnippets_partners_sector:add"),
            {"name": "Mine", "slug": "mine"},
        )
        assert refused.status_code == 302
    assert not Sector.objects.filter(slug="mine").exists()
    for role in ("program_lead", "superuser"):
        listing = reverse("wagtailsnippets_partners_sector:list")
        answer = people.client(role).get(listing)
        assert answer.status_code == 200 and "Faith groups" in answer.content.decode()


def test_the_admins_chooser_and_bulk_delete_show_partners_only_to_leads(sectors):
    """Facilitators reach the admin: its other ways of listing rows must not
    give them the unlisted partners' names either."""
    hidden = partner("Quiet Tenants Union", listed=False)
    people = group_with_people()
    Group.objects.get(name=FACILITATORS).user_set.add(people.people["facilitator"])
    pk = hidden.pk
    addresses = [
        "/admin/bulk/partners/partner/delete/?id=all",
        f"/admin/bulk/partners/partner/delete/?id={pk}",
        "/admin/snippets/choose/partners/partner/",
        "/admin/snippets/choose/partners/partner/results/?q=Quiet",
        f"/admin/snippets/choose/partners/partner/chosen/{pk}/",
        f"/admin/snippets/choose/partners/partner/chosen-multiple/?id={pk}",
    ]
    facilitator = people.client("facilitator")
    for address in addresses:
        answer = facilitator.get(address)
        assert answer.status_code in (200, 404), address
        assert "Quiet Tenants Union" not in answer.content.decode(), address
    facilitator.post(f"/admin/bulk/partners/partner/delete/?id={pk}", {"id": [str(pk)]})
    assert Partner.objects.filter(pk=pk).exists()
    lead = people.client("program_lead")
    for address in addresses[:3]:
        assert "Quiet Tenants Union" in lead.get(address).content.decode(), address


@pytest.mark.parametrize("model", [Sector, Topic])
def test_a_slug_taken_in_that_language_is_a_message_not_an_error(sectors, model):
    slug = "taken"
    model.objects.create(name="Taken", slug=slug, locale=sectors["youth"].locale)
    lead = group_with_people().client("superuser")
    add = reverse(f"wagtailsnippets_{model._meta.label_lower.replace('.', '_')}:add")
    answer = lead.post(add, {"name": "Again", "slug": slug})
    assert answer.status_code == 200
    assert "Another one in this language has this slug." in answer.content.decode()
    # In another language the same slug is that language's own.
    spanish = lead.post(add + "?locale=es", {"name": "Otra vez", "slug": slug})
    assert spanish.status_code == 302


def test_the_directory_takes_as_many_queries_for_2000_partners_as_for_20(
    client, directory, sectors
):
    area = Area.objects.create(name="Riverside County")

    def grow_to(count: int) -> None:
        have = Partner.objects.count()
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Org {n:05}", slug=f"org-{n:05}")
            for n in range(have, count)
        )
        made = Partner.objects.bulk_create(
            Partner(organisation=organisation, languages=["en"], listed=True)
            for organisation in organisations
        )
        Partner.sectors.through.objects.bulk_create(
            Partner.sectors.through(partner=each, sector=sectors["youth"])
            for each in made
        )
        Partner.areas.through.objects.bulk_create(
            Partner.areas.through(partner=each, area=area) for each in made
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{directory.url}?sector=youth&language=en")
        assert response.status_code == 200
        return len(captured)

    grow_to(20)
    client.get(directory.url)  # the site's lookups, kept for both
    few = queries()
    grow_to(2000)
    assert queries() == few


def test_the_admin_offers_each_sector_once_in_the_sites_language(sectors):
    client = group_with_people().client("program_lead")
    page = client.get(reverse("wagtailsnippets_partners_partner:add"))
    text = page.content.decode()
    assert "Faith groups" in text and "Grupos religiosos" not in text


def directory_as_data() -> list[tuple]:
    """What the public directory holds, free of ids."""
    return sorted(
        (
            partner.organisation.name,
            partner.organisation.website,
            partner.description,
            sorted(sector.slug for sector in partner.sectors.all()),
            sorted(area.name for area in partner.areas.all()),
            sorted(partner.languages),
            partner.status,
            partner.status_since,
            partner.last_verified,
            (partner.contact_name, partner.contact_email, partner.contact_phone),
            sorted(
                (
                    s.name,
                    s.kind,
                    s.who_for,
                    s.description,
                    sorted(s.languages),
                    sorted(place.name for place in s.where.all()),
                )
                for s in partner.services.all()
            ),
            sorted(
                (
                    place.name,
                    place.address,
                    place.city,
                    place.region,
                    place.postal_code,
                    place.latitude,
                    place.longitude,
                    place.accessible_entrance,
                    place.opening_hours,
                )
                for place in partner.locations.all()
            ),
        )
        for partner in Partner.objects.filter(listed=True)
    )


def test_the_directory_goes_to_open_referral_csv_and_back(sectors):
    """HSDS export, then import into an empty database: the same directory."""
    riverside = Area.objects.create(name="Riverside County")
    first = partner(
        "Iglesia Nueva Esperanza",
        [sectors["faith"], sectors["grassroots"]],
        riverside,
        ["es"],
        kind=Service.Kind.MEETING_SPACE,
    )
    first.organisation.website = "https://esperanza.example.org"
    first.organisation.save()
    first.status, first.status_since = "core", date(2025, 9, 1)
    first.last_verified = date(2026, 11, 2)
    first.contact_name, first.contact_phone = "Parish office", "+1 951 555 0101"
    first.contact_email = "office@esperanza.example.org"
    first.save()
    Location.objects.create(
        partner=first,
        name="Hall",
        address="1450 University Ave",
        city="Riverside",
        region="CA",
        postal_code="92507",
        latitude=Decimal("33.975100"),
        longitude=Decimal("-117.356700"),
        accessible_entrance=True,
        opening_hours="Sundays, 9 am to 1 pm",
    )
    pantry = Location.objects.create(
        partner=first, name="Pantry", opening_hours="Thursdays, 4 to 6 pm"
    )
    only_at_the_pantry = Service(
        partner=first,
        name="Food pantry, “Thursdays”, with commas",
        kind=Service.Kind.FOOD,
        who_for="Families",
        languages=["es", "en"],
    )
    only_at_the_pantry.where.set([pantry])
    only_at_the_pantry.save()
    partner("Youth Voices", [sectors["youth"]], riverside, ["en", "es"])
    partner("Quiet Neighbours", [sectors["civic"]], listed=False)
    before = directory_as_data()
    exported = export_zip(listed_partners())
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert "organization.csv" in archive.namelist()
        text = "".join(archive.read(name).decode() for name in archive.namelist())
    assert NOTE not in text and "Quiet Neighbours" not in text
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        offered_at = archive.read("service_at_location.csv").decode().splitlines()
    # The pantry's service at the pantry only; the hall's at both places.
    assert len(offered_at) == 1 + 1 + 2

    Partner.objects.all().delete()
    Organisation.objects.all().delete()
    Area.objects.all().delete()
    assert import_zip(exported) == 2
    assert directory_as_data() == before
    # Imported again: updated in place, nothing doubled.
    assert import_zip(exported) == 2
    assert directory_as_data() == before
    assert Organisation.objects.count() == 2


def test_a_file_that_is_not_a_directory_is_refused_whole(sectors):
    good = export_zip([partner("Youth Voices", [sectors["youth"]])])
    Partner.objects.all().delete()
    Organisation.objects.all().delete()

    def zipped(**tables) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in tables.items():
                archive.writestr(f"{name}.csv", text)
        return buffer.getvalue()

    for bad in (
        b"not a zip",
        zipped(service="id,name\n1,x\n"),
        zipped(organization="id,name\nnot-a-uuid,X\n"),
        zipped(organization=f"id,name\n{uuid.uuid4()},\n"),
    ):
        with pytest.raises(ImportRefused):
            import_zip(bad)
    organisation = uuid.uuid4()
    off_earth = zipped(
        organization=f"id,name\n{organisation},Ok\n",
        location=f"id,organization_id,name,latitude\nl1,{organisation},Far,95\n",
    )
    with pytest.raises(ImportRefused):
        import_zip(off_earth)
    assert not Organisation.objects.exists()  # nothing kept of a refused file
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("organization.csv", b"\xff\xfe\x00bad")
    with pytest.raises(ImportRefused):
        import_zip(broken.getvalue())
    assert import_zip(good) == 1


def test_an_import_refuses_what_it_cannot_link_or_hold_and_reads_short_rows(
    sectors, monkeypatch
):
    organisation = uuid.uuid4()
    sector_term = (
        "taxonomy_term.csv",
        f"id,code,name,taxonomy_id\nt1,,No code,{hsds.made_id('taxonomy', 'sector')}\n",
    )

    def zipped(*files) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files:
                archive.writestr(name, text)
        return buffer.getvalue()

    def organisation_with(website="", extra=()) -> bytes:
        row = f"id,name,website\n{organisation},Ok,{website}\n"
        return zipped(("organization.csv", row), *extra)

    refused = [
        organisation_with("javascript:alert(1)"),
        organisation_with("https://" + "a" * 600 + ".org"),
        organisation_with(
            extra=[
                sector_term,
                (
                    "attribute.csv",
                    f"id,link_id,taxonomy_term_id\na1,{organisation},t1\n",
                ),
            ]
        ),
    ]
    refused.append(
        zipped(("organization.csv", f"id,name,email\n{organisation},Ok,not-mail\n"))
    )
    monkeypatch.setattr(hsds, "MAX_UNPACKED_BYTES", 10_000)
    refused.append(organisation_with(extra=[("service.csv", "id\n" + "x\n" * 6000)]))
    for bad in refused:
        with pytest.raises(ImportRefused):
            import_zip(bad)
    assert not Organisation.objects.exists()
    # Columns missing and rows short of a column: read as empty, not an error.
    short = zipped(
        ("organization.csv", f"id,name,website\n{organisation},Short row\n"),
        ("location.csv", f"id,organization_id\nl1,{organisation}\n"),
        ("service.csv", f"id,organization_id,name\ns1,{organisation}\n"),
    )
    assert import_zip(short) == 1
    found = Partner.objects.get(organisation__uuid=organisation)
    assert found.organisation.name == "Short row" and found.organisation.website == ""
    assert [each.name for each in found.services.all()] == ["?"]
    # A website without its scheme is taken as https.
    assert import_zip(organisation_with("www.example.org")) == 1
    found.organisation.refresh_from_db()
    assert found.organisation.website == "https://www.example.org"


def test_leads_download_the_directory_as_open_referral_csv(sectors, tmp_path):
    partner("Youth Voices", [sectors["youth"]])
    people = group_with_people()
    url = reverse("partners:hsds_export")
    for role, status in (
        ("visitor", 302),
        ("participant", 403),
        ("facilitator", 403),
        ("program_lead", 200),
        ("superuser", 200),
    ):
        answer = people.client(role).get(url)
        assert answer.status_code == status, role
    answer = people.client("program_lead").get(url)
    assert answer["Content-Type"] == "application/zip"
    assert answer["Cache-Control"] == "private, no-store"
    path = tmp_path / "partners.zip"
    path.write_bytes(answer.content)
    Partner.objects.all().delete()
    call_command("import_hsds", str(path), stdout=io.StringIO())
    assert Partner.objects.get().organisation.name == "Youth Voices"
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_hsds", str(tmp_path / "missing.zip"))
    (tmp_path / "notes.txt").write_text("not a zip")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_hsds", str(tmp_path / "notes.txt"))


def test_partners_measure_core_partners_and_those_joining_in_a_period(sectors):
    """From each partnership's history: core partners sustained all through
    the period, and organisations first invited (or made core) in it,
    whatever they became since."""

    def history(name, *changes):
        found = Partner.objects.create(
            organisation=Organisation.objects.create(name=name),
            status=changes[0][0],
            status_since=changes[0][1],
        )
        for status, since in changes[1:]:
            found.status, found.status_since = status, since
            found.save()

    history(
        "Core since long", ("invited", date(2024, 1, 1)), ("core", date(2024, 5, 1))
    )
    history(
        "Core, away a while",
        ("core", date(2024, 5, 1)),
        ("former", date(2026, 4, 1)),
        ("core", date(2026, 8, 1)),
    )
    history(
        "Core, then former", ("core", date(2025, 1, 1)), ("former", date(2026, 6, 1))
    )
    history(
        "Core this year", ("prospect", date(2025, 1, 1)), ("core", date(2026, 3, 1))
    )
    history("Invited this year", ("invited", date(2026, 6, 1)))
    history(
        "Invited this year, gone",
        ("invited", date(2026, 2, 1)),
        ("former", date(2026, 5, 1)),
    )
    history(
        "Invited last year", ("invited", date(2025, 6, 1)), ("core", date(2026, 2, 1))
    )
    history("Prospect", ("prospect", date(2026, 6, 1)))
    zone = timezone.get_default_timezone()
    year = Period(
        starts=datetime(2026, 1, 1, tzinfo=zone), ends=datetime(2027, 1, 1, tzinfo=zone)
    )

    def measured(period):
        measures = collect("lms_measures", program=None, period=period)
        return {m.key: m.value for m in measures}

    during = measured(year)
    assert during["partners.core"] == 1  # core since long
    # Core this year, invited this year, invited this year and gone.
    assert during["partners.joining"] == 3
    always = measured(None)
    assert always["partners.core"] == 4  # core today
    assert always["partners.joining"] == 7  # every one but the prospect
    last_year = measured(
        Period(
            starts=datetime(2025, 1, 1, tzinfo=zone),
            ends=datetime(2026, 1, 1, tzinfo=zone),
        )
    )
    # Core since long, away a while (only in 2026), core then former (core
    # from the year's first day).
    assert last_year["partners.core"] == 3
    assert last_year["partners.joining"] == 2  # core then former, invited last year


def test_the_partners_listing_offers_the_open_referral_download(sectors):
    partner("Youth Voices", [sectors["youth"]])
    listing = (
        group_with_people()
        .client("program_lead")
        .get(reverse("wagtailsnippets_partners_partner:list"))
    )
    assert reverse("partners:hsds_export") in listing.content.decode()
    assert "Youth Voices" in listing.content.decode()


def test_a_partners_logo_is_shown_with_its_text_alternative(client, directory):
    """A logo needs words for those who cannot see it; a logo whose file is
    gone leaves the page with the name alone."""
    found = partner("Eastside Parents")
    logo = get_image_model().objects.create(
        title="Eastside logo", file=get_test_image_file("eastside.png")
    )
    found.logo = logo
    with pytest.raises(ValidationError) as refused:
        found.full_clean()
    assert "logo_alt" in refused.value.message_dict
    found.logo_alt = "Eastside Parents United: two hands around a house"
    found.full_clean()
    found.save()
    page = client.get(directory.url + "eastside-parents/").content.decode()
    assert re.search(
        r'<img src="[^"]+" width="\d+" height="\d+" alt="Eastside Parents United: '
        r'two hands around a house"',
        page,
    )
    logo.file.delete(save=False)
    logo.renditions.all().delete()
    gone = client.get(directory.url + "eastside-parents/")
    assert (
        gone.status_code == 200
        and "<img" not in gone.content.decode().split("<main")[1].split("</main>")[0]
    )


def test_a_new_site_makes_the_default_sectors_with_one_command():
    out = io.StringIO()
    call_command("make_default_sectors", stdout=out)
    assert "24 sectors made" in out.getvalue()
    faith = Sector.objects.get(locale__language_code="es", slug="faith")
    assert faith.name == "Grupos religiosos"
    Sector.objects.filter(slug="media").delete()  # the leads' choice, then again:
    call_command("make_default_sectors", stdout=out)
    assert Sector.objects.filter(slug="media").count() == 2  # made where missing


def test_the_open_referral_export_gives_each_logo_s_address(sectors, settings):
    """HSDS's `logo` column: the address of the logo as the directory shows
    it, in full; the download reads the logos in the same queries however
    many partners have one; an import does not fetch them."""
    settings.WAGTAILADMIN_BASE_URL = "https://coalition.example.org"
    lead = group_with_people().client("program_lead")
    url = reverse("partners:hsds_export")

    def with_logo(name):
        found = partner(name, [sectors["youth"]])
        found.logo = get_image_model().objects.create(
            title=f"{name} logo", file=get_test_image_file(f"{name}.png")
        )
        found.logo_alt = f"{name} logo"
        found.save()
        return found

    def downloaded() -> tuple[dict[str, str], int]:
        with CaptureQueriesContext(connection) as queries:
            answer = lead.get(url)
        with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
            rows = csv.DictReader(
                io.StringIO(archive.read("organization.csv").decode())
            )
            return {row["name"]: row["logo"] for row in rows}, len(queries)

    partner("No logo", [sectors["youth"]])
    first = with_logo("first")
    downloaded()  # the renditions are made once
    logos, one = downloaded()
    rendition = first.logo.get_rendition("max-240x120")
    assert logos == {
        "No logo": "",
        "first": "https://coalition.example.org" + rendition.url,
    }
    for name in ("second", "third"):
        with_logo(name)
    downloaded()
    logos, three = downloaded()
    assert three == one and all(logos[name] for name in ("second", "third"))
    exported = lead.get(url).content
    Partner.objects.all().delete()
    Organisation.objects.all().delete()
    assert import_zip(exported) == 4
    assert not Partner.objects.exclude(logo=None).exists()

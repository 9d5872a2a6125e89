"""Demo: the Civic Power Coalition's partners in two counties — eighteen
organisations across the sectors, with services and places; two not checked
for over a year; one asked not to be listed publicly — and the directory
page, in English and Spanish."""

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from wagtail.models import Locale, Page

from lms_partners.agreements import PartnershipAgreement
from lms_partners.directory import PartnerDirectoryPage
from lms_partners.models import Area, Correction, Location, Partner, Service
from lms_partners.sectors import ensure_default_sectors
from sdk import Organisation
from sdk.demo import (
    DemoReport,
    child_page,
    demo_logo,
    ensure_home_page,
    ensure_locales,
    register,
    translation_of,
)

RIVERSIDE, SAN_BERNARDINO = "Riverside County", "San Bernardino County"
# Organisations that gave the directory their logo (its colour).
LOGOS = {"Eastside Parents United": "#1d6b5c", "Iglesia Nueva Esperanza": "#7a3b8f"}
K = Service.Kind
S = Partner.Status
# A second place with its hours, and the service offered only there.
AT_A_SECOND_PLACE = {
    "Iglesia Nueva Esperanza": (
        ("Food pantry", "Riverside", "1460 University Ave", "Saturdays, 9 am to noon"),
        ("Weekly food pantry", K.FOOD),
    )
}

# name, sectors, area, status, languages, description, service, place, days
# since last checked (None: never).
PARTNERS = [
    (
        "Eastside Parents United",
        ["parents", "grassroots"],
        RIVERSIDE,
        S.CORE,
        ["en", "es"],
        "Parents organising for safe routes to school and a say in the school budget.",
        ("Childcare during meetings", K.CHILDCARE),
        ("Eastside Family Center", "Riverside", "3900 Market St"),
        40,
    ),
    (
        "Iglesia Nueva Esperanza",
        ["faith"],
        RIVERSIDE,
        S.CORE,
        ["es"],
        "A congregation that hosts trainings and a weekly food pantry.",
        ("Meeting hall for trainings", K.MEETING_SPACE),
        ("Nueva Esperanza Hall", "Riverside", "1450 University Ave"),
        90,
    ),
    (
        "Riverside Youth Voices",
        ["youth", "civic"],
        RIVERSIDE,
        S.CORE,
        ["en", "es"],
        "Young people aged 14 to 24 speaking up at city council and school "
        "board meetings.",
        ("Youth public-speaking workshops", K.TRAINING),
        ("Youth Voices studio", "Riverside", "3485 Mission Inn Ave"),
        30,
    ),
    (
        "Moreno Valley Unified School District",
        ["education", "government"],
        RIVERSIDE,
        S.CORE,
        ["en", "es"],
        "The school district's family engagement office.",
        ("Classrooms in the evening", K.MEETING_SPACE),
        ("Family Engagement Office", "Moreno Valley", "25634 Alessandro Blvd"),
        120,
    ),
    (
        "Inland Community Health Clinic",
        ["health"],
        RIVERSIDE,
        S.CORE,
        ["en", "es"],
        "A community clinic with health workers (promotoras) who run workshops.",
        ("Health workers' workshops", K.HEALTH),
        ("Clinic on Magnolia", "Riverside", "7000 Magnolia Ave"),
        200,
    ),
    (
        "Jurupa Valley Chamber of Commerce",
        ["business"],
        RIVERSIDE,
        S.INVITED,
        ["en"],
        "Small businesses of Jurupa Valley.",
        ("Printing for flyers", K.OTHER),
        ("Chamber office", "Jurupa Valley", "8920 Limonite Ave"),
        60,
    ),
    (
        "Radio Comunidad 89.1",
        ["media"],
        RIVERSIDE,
        S.CORE,
        ["es"],
        "Community radio in Spanish: announces hearings and trainings.",
        ("On-air announcements", K.OUTREACH),
        ("Radio studio", "Perris", "101 D St"),
        500,
    ),
    (
        "Riverside Legal Aid",
        ["grassroots", "civic"],
        RIVERSIDE,
        S.PROSPECT,
        ["en", "es"],
        "Free legal advice for tenants and workers.",
        ("Tenant rights clinic", K.LEGAL),
        ("Legal Aid office", "Riverside", "4129 Main St"),
        35,
    ),
    (
        "Riverside Police Community Relations",
        ["law-enforcement", "government"],
        RIVERSIDE,
        S.INVITED,
        ["en"],
        "The police department's community relations unit.",
        ("Safety walks with residents", K.OUTREACH),
        ("Community Relations office", "Riverside", "4102 Orange St"),
        150,
    ),
    (
        "Traductores Voluntarios del Inland",
        ["civic"],
        SAN_BERNARDINO,
        S.CORE,
        ["en", "es", "zh"],
        "Volunteer interpreters for public meetings in Spanish and Chinese.",
        ("Interpreting at public meetings", K.TRANSLATION),
        ("Volunteer hub", "San Bernardino", "505 N Arrowhead Ave"),
        20,
    ),
    (
        "San Bernardino Food Collective",
        ["grassroots", "health"],
        SAN_BERNARDINO,
        S.CORE,
        ["en", "es"],
        "Neighbours running a food bank and a community kitchen.",
        ("Meals at evening trainings", K.FOOD),
        ("Community kitchen", "San Bernardino", "1505 W Highland Ave"),
        75,
    ),
    (
        "Fontana Parents and Teachers Council",
        ["parents", "education"],
        SAN_BERNARDINO,
        S.CORE,
        ["en", "es"],
        "Parents and teachers of Fontana's public schools.",
        ("Parent leadership course", K.TRAINING),
        ("Fontana Library meeting room", "Fontana", "8437 Sierra Ave"),
        45,
    ),
    (
        "First Baptist Church of Rialto",
        ["faith"],
        SAN_BERNARDINO,
        S.FORMER,
        ["en"],
        "Hosted the coalition's meetings in 2024 and 2025.",
        ("Fellowship hall", K.MEETING_SPACE),
        ("Fellowship hall", "Rialto", "260 N Riverside Ave"),
        420,
    ),
    (
        "Inland Empire Business Alliance",
        ["business"],
        SAN_BERNARDINO,
        S.PROSPECT,
        ["en"],
        "Employers across the Inland Empire.",
        ("Job training referrals", K.TRAINING),
        ("Alliance office", "Ontario", "3633 Inland Empire Blvd"),
        25,
    ),
    (
        "San Bernardino County Library",
        ["government", "education"],
        SAN_BERNARDINO,
        S.CORE,
        ["en", "es"],
        "Branches that lend rooms and computers for trainings.",
        ("Rooms with computers", K.MEETING_SPACE),
        ("Feldheym Central Library", "San Bernardino", "555 W 6th St"),
        100,
    ),
    (
        "Youth Action Project",
        ["youth", "grassroots"],
        SAN_BERNARDINO,
        S.INVITED,
        ["en", "es"],
        "Young people organising for jobs and green spaces.",
        ("Youth organising training", K.TRAINING),
        ("Youth Action house", "San Bernardino", "1090 W 4th St"),
        15,
    ),
    (
        "Inland Valley Daily News",
        ["media"],
        SAN_BERNARDINO,
        S.PROSPECT,
        ["en"],
        "The local newspaper's community desk.",
        ("Community calendar listings", K.OUTREACH),
        ("Newsroom", "Ontario", "2041 E 4th St"),
        10,
    ),
    (
        "Colton Neighbourhood Watch",
        ["civic", "law-enforcement"],
        SAN_BERNARDINO,
        S.CORE,
        ["en"],
        "Residents' safety network; asked not to be listed publicly.",
        ("Neighbourhood meetings", K.OUTREACH),
        ("Colton Community Center", "Colton", "670 Colton Ave"),
        60,
    ),
]
UNLISTED = "Colton Neighbourhood Watch"
NOTES = {
    "Inland Community Health Clinic": (
        "Director changes in January: reintroduce the coalition."
    ),
    "Radio Comunidad 89.1": "Ask again about a weekly slot before the hearing.",
}


# The demo's addresses are not geocoded: each place is put near its city's
# centre, a little apart, for the map (drawn when the site names tiles).
CITY_CENTRES = {
    "Riverside": (33.9533, -117.3962),
    "Moreno Valley": (33.9425, -117.2297),
    "Jurupa Valley": (33.9972, -117.4855),
    "Perris": (33.7825, -117.2286),
    "San Bernardino": (34.1083, -117.2898),
    "Fontana": (34.0922, -117.4350),
    "Rialto": (34.1064, -117.3703),
    "Ontario": (34.0633, -117.6509),
    "Colton": (34.0739, -117.3137),
}


def _near_centre(city: str, index: int) -> tuple[Decimal | None, Decimal | None]:
    if city not in CITY_CENTRES:
        return None, None
    latitude, longitude = CITY_CENTRES[city]
    step = Decimal("0.006") * (index % 5)
    return Decimal(str(latitude)) + step, Decimal(str(longitude)) - step


def _partner(row, sectors, areas, report: DemoReport) -> None:
    (
        name,
        sector_slugs,
        area,
        status,
        languages,
        description,
        service,
        place,
        checked,
    ) = row
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(name=name)
    partner, created = Partner.objects.get_or_create(
        organisation=organisation,
        defaults={
            "description": description,
            "status": status,
            "status_since": date(2025, 9, 1),
            "languages": languages,
            "listed": name != UNLISTED,
            "notes": NOTES.get(name, ""),
            "last_verified": None
            if checked is None
            else date.today() - timedelta(days=checked),
            # The organisation's desk (example.org: no mail leaves the demo).
            "contact_name": "Front desk",
            "contact_email": f"desk@{organisation.slug}.example.org",
        },
    )
    if not created:
        return
    if name in LOGOS:
        partner.logo = demo_logo(f"{name} logo", LOGOS[name], report)
        partner.logo_alt = f"{name} logo"
    partner.sectors.set([sectors[slug] for slug in sector_slugs])
    partner.areas.set([areas[area]])
    partner.save()
    location_name, city, address = place
    latitude, longitude = _near_centre(city, PARTNERS.index(row))
    place_near = partial(
        Location.objects.create,
        partner=partner,
        region="CA",
        latitude=latitude,
        longitude=longitude,
    )
    place_near(name=location_name, address=address, city=city, accessible_entrance=True)
    Service.objects.create(
        partner=partner, name=service[0], kind=service[1], languages=languages
    )
    if name in AT_A_SECOND_PLACE:
        (location_name, city, address, hours), (service_name, kind) = AT_A_SECOND_PLACE[
            name
        ]
        second = place_near(
            name=location_name,
            address=address,
            city=city,
            opening_hours=hours,
            # Next door, apart on the map.
            latitude=latitude and latitude + Decimal("0.002"),
        )
        only_there = Service(
            partner=partner, name=service_name, kind=kind, languages=languages
        )
        only_there.where.set([second])
        only_there.save()
    report.made(f"partner {name}")


# After the site (20) and the Civic Power Coalition (65).
@register(order=66)
def load_partners(report: DemoReport) -> None:
    locales = ensure_locales()
    sectors = ensure_default_sectors(locales)
    areas = {
        name: Area.objects.get_or_create(name=name)[0]
        for name in (RIVERSIDE, SAN_BERNARDINO)
    }
    for row in PARTNERS:
        _partner(row, sectors, areas, report)
    _corrections(report)
    _agreements(report)
    directory = child_page(
        ensure_home_page(),
        PartnerDirectoryPage,
        "partners",
        report,
        title="Partners",
        show_in_menus=True,
        intro="The organisations of the Civic Power Coalition: who they are, "
        "where they work and what they offer.",
    )
    translation_of(
        directory,
        "es",
        report,
        title="Organizaciones aliadas",
        intro="Las organizaciones de la Coalición Poder Cívico: quiénes son, "
        "dónde trabajan y qué ofrecen.",
    )


def _corrections(report: DemoReport) -> None:
    """One stale entry's organisation sent changes by its review link: they
    wait in the leads' queue."""
    if Correction.objects.exists():
        return
    stale = (
        Partner.objects.filter(listed=True, last_verified__isnull=False)
        .select_related("organisation")
        .order_by("last_verified", "pk")
        .first()
    )
    if stale is None:
        return
    changes = {
        "description": stale.description + " Now also on Saturday mornings.",
        "contact_phone": "(951) 555-0142",
    }
    Correction.objects.create(
        partner=stale,
        source=Correction.Source.CONTACT,
        changes=changes,
        message="We added Saturday hours this autumn.",
    )
    report.made("1 correction waiting")


# (partner, agreement, signed so many days ago or None, renew in so many days
# or None, the step of the partnership toolkit that guided it)
AGREEMENTS = [
    (
        "Eastside Parents United",
        "Memorandum of understanding: budget trainings",
        400,
        -30,  # due for renewal
        3,
    ),
    (
        "Iglesia Nueva Esperanza",
        "Meeting space and co-hosting agreement",
        120,
        245,
        3,
    ),
    ("Riverside Youth Voices", "How decisions are made together", None, None, 2),
]


def _agreements(report: DemoReport) -> None:
    """Three partners' agreements, each guided by a step of the partnership
    toolkit (when the toolkits plugin made it): one due for renewal, one in
    force, one not signed yet."""
    if PartnershipAgreement.objects.exists():
        return
    toolkit = Page.objects.filter(
        slug="partnership-agreements", locale=Locale.get_default()
    ).first()
    today = date.today()
    made = 0
    for name, title, signed, renew, step in AGREEMENTS:
        partner = Partner.objects.filter(organisation__name=name).first()
        if partner is None:
            continue
        PartnershipAgreement.objects.create(
            partner=partner,
            title=title,
            signed_on=None if signed is None else today - timedelta(days=signed),
            renew_by=None if renew is None else today + timedelta(days=renew),
            guide=toolkit,
            step=step if toolkit is not None else None,
        )
        made += 1
    report.made(f"{made} partnership agreements")

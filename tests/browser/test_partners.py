"""A visitor finds partners on a phone, in Spanish: filters the directory by
sector and language and opens an organisation's page; an organisation
reviews its entry by the e-mailed link on a phone (a place's hours too)
and a lead applies the changes in the admin (axe clean, no sideways scroll)."""

import re
from urllib.parse import urlsplit

from lms_partners import reviews

from tests.browser.test_participant import log_in
from tests.browser.test_surveys import assert_accessible


def test_a_visitor_filters_the_directory_on_a_phone_and_opens_a_partner(
    page, demo_server
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_server + "/es/partners/")
    assert page.get_by_role("heading", level=1).inner_text() == "Organizaciones aliadas"
    assert_accessible(page)
    # On a phone the filters are folded away: the partners come first.
    page.get_by_text("Filtrar organizaciones", exact=True).click()
    filters = page.get_by_role("search", name="Filtrar las organizaciones")
    filters.get_by_label("Sector", exact=True).select_option(label="Jóvenes")
    filters.get_by_label("Idioma", exact=True).select_option(label="Español")
    page.get_by_role("button", name="Mostrar organizaciones").click()
    listed = page.get_by_role("main").get_by_role("heading", level=2).all_inner_texts()
    assert listed == ["Riverside Youth Voices", "Youth Action Project"]
    assert page.get_by_role("status").inner_text() == "2 organizaciones"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Riverside Youth Voices").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Riverside Youth Voices"
    shown = page.get_by_role("main").inner_text()
    assert "Jóvenes" in shown and "Riverside County" in shown
    assert "Qué ofrece" in shown and "Entrada sin escalones" in shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    # An organisation that asked not to be listed has no page.
    answer = page.goto(demo_server + "/es/partners/colton-neighbourhood-watch/")
    assert answer.status == 404


def test_a_partner_updates_its_entry_by_the_e_mailed_link_and_a_lead_applies_it(
    page, demo_server, mailoutbox
):
    stale = (
        reviews.due()
        .filter(corrections__isnull=True)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    name = stale.organisation.name
    assert reviews.ask_for_review.call(stale.pk)
    link = re.search(r"https?://\S+/p/partners/review/\S+", mailoutbox[-1].body)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_server + urlsplit(link.group()).path)
    assert name in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    described = page.get_by_label("What it does and for whom")
    described.fill("Free legal clinics every Tuesday, now in Spanish too.")
    page.get_by_label("Public contact phone").fill("(951) 555-0100")
    # Each place is folded under its name: opened, its hours changed.
    places = page.get_by_role("group", name="Places")
    places.locator("summary").first.click()
    places.get_by_label("Opening hours").first.fill("Tuesdays, 9 am to 1 pm")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send the changes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, demo_server, "lead@example.org")
    page.goto(demo_server + "/admin/")
    page.get_by_role("link", name="Partner corrections").click()
    entry = page.get_by_role("region", name=name)
    assert "now in Spanish too" in entry.inner_text()
    assert "(951) 555-0100" in entry.inner_text()
    assert "Tuesdays, 9 am to 1 pm" in entry.inner_text()
    assert_accessible(page)
    entry.get_by_role("button", name="Apply the changes").click()
    assert f"Applied to {name}" in page.get_by_role("status").inner_text()
    # The admin's message fades in: axe would read its colours half-way. Its
    # own animations only: the admin's badge pings for 25 s.
    page.get_by_role("status").evaluate(
        "s => Promise.all(s.getAnimations({subtree: true}).map(a => a.finished))"
    )
    assert_accessible(page)
    page.goto(demo_server + f"/partners/{stale.organisation.slug}/")
    shown = page.get_by_role("main").inner_text()
    assert "now in Spanish too" in shown and "(951) 555-0100" in shown
    assert "Open: Tuesdays, 9 am to 1 pm" in shown
    assert "Last checked with the organisation on" in shown


# A tile: a transparent 1 x 1 PNG, answered by the test for every tile the map
# asks for (tests run with no tile server).
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


def test_with_a_tile_server_the_directory_shows_a_map_over_the_list(
    page, demo_server, settings
):
    settings.LMS_PLUGINS_CONFIG = {
        "partners": {
            "map_tiles": "https://tiles.example.org/{z}/{x}/{y}.png",
            "map_attribution": "Example tiles",
        }
    }
    asked: list[str] = []

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)

    page.route("https://tiles.example.org/**", tile)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_server + "/partners/")
    shown = page.get_by_role("region", name="Map of the partners listed below")
    shown.wait_for()
    markers = page.locator(".leaflet-marker-icon")
    listed = page.get_by_role("main").get_by_role("heading", level=2)
    # A marker for each place: one partner has two.
    assert markers.count() == listed.count() + 1 > 5
    assert asked and "Example tiles" in shown.inner_text()
    first = listed.first.inner_text()
    page.get_by_role("button", name=first).first.click()
    assert page.locator(".leaflet-popup").get_by_role("link", name=first).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

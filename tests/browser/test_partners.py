"""A visitor finds partners on a phone, in Spanish: filters the directory by
sector and language and opens an organisation's page (axe clean, no
sideways scroll)."""

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

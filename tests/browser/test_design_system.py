"""The design system in the browser: /patterns/ (every component) passes axe
on a phone and a desktop; a form's error summary takes the focus, links to its
fields and passes axe; the brand's colours reach the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from content.brand import BrandSettings


def violations(page) -> str:
    results = Axe().run(page)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("width", [390, 1280])
def test_patterns_show_every_component_and_pass_axe(page, demo_server, settings, width):
    settings.DEBUG = True  # /patterns/ is for development only
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(demo_server + "/patterns/")
    for component in (
        ".error-summary",
        ".notification-banner",
        ".card",
        ".summary-list",
        ".table-scroll",
        ".bar-chart",
        ".cohort-nav",
        ".breadcrumbs",
        ".copy-field",
        ".swatch-primary",
        ".site-logo",
    ):
        assert page.locator(component).count(), component
    assert not violations(page), violations(page)


def test_the_error_summary_takes_the_focus_and_links_to_the_field(page, demo_server):
    page.goto(demo_server + "/newsletter/")
    form = page.get_by_role("main").locator("form")
    form.get_by_label("E-mail address").fill("not an address")
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    summary = page.locator("main > .error-summary")
    assert summary.evaluate("element => element === document.activeElement")
    summary.get_by_role("link", name="E-mail address").click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "page-email"
    described = page.locator("#page-email").get_attribute("aria-describedby")
    assert "valid" in page.locator(f"#{described}").inner_text()
    assert not violations(page), violations(page)


def test_the_brand_s_colours_reach_buttons_and_the_header(page, demo_server):
    brand = BrandSettings.objects.get()
    assert brand.primary_colour == "#00695c"  # the demo's
    page.goto(demo_server + "/newsletter/")
    button = page.get_by_role("main").get_by_role("button", name="Subscribe")
    colour = button.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(0, 105, 92)"
    band = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).borderTopColor"
    )
    assert band == "rgb(179, 38, 30)"
    assert page.locator(".site-logo").get_attribute("alt") == "Learning Commons logo"

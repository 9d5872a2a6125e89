"""A chapter's lead in the admin at their chapter's address (#25)."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from chapters.models import Chapter
from cohorts.models import CohortPage, Membership
from tests.browser.test_participant import log_in


def test_a_chapter_lead_adds_a_group_and_sees_only_their_chapter(browser, demo_server):
    """At la.localhost, Los Angeles' lead finds only Los Angeles in the
    explorer, adds a group under the network's program, and runs it; the
    group is listed by Los Angeles' "Find a group" and by the network's."""
    port = urlsplit(demo_server).port
    chapter = Chapter.objects.get(slug="los-angeles")
    la = f"http://la.localhost:{port}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, la, "lead-los-angeles@example.org")
    page.wait_for_url(la + "/**")

    page.goto(la + "/admin/pages/")
    listing = page.get_by_role("table")
    expect(listing.get_by_role("link", name="Los Angeles").first).to_be_visible()
    for elsewhere in ("Riverside", "Learning together"):
        expect(listing.get_by_text(elsewhere)).to_have_count(0)

    home = chapter.site.root_page
    page.goto(la + f"/admin/pages/add/cohorts/cohortpage/{home.pk}/")
    page.locator("#id_title").fill("Budget circle: Boyle Heights")
    page.get_by_role("button", name="Choose program").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("link", name="Budget Advocacy Trainings 2026").click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(la + "/admin/")  # the page form went through

    group = CohortPage.objects.get(title="Budget circle: Boyle Heights")
    assert group.get_parent().pk == home.pk and group.live
    # Nothing of the network's own (partners, surveys) in their menu.
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("button", name="Cohorts")).to_be_visible()
    for network_wide in ("Partners", "Partner corrections", "Surveys"):
        expect(menu.locator(".menuitem-label", has_text=network_wide)).to_have_count(0)
    # The lead runs it: adds a facilitator in the admin's memberships.
    page.goto(la + "/admin/cohorts/memberships/new/")
    cohorts = page.get_by_label("Cohort")
    offered = cohorts.locator("option").all_inner_texts()
    assert any("Boyle Heights" in text for text in offered)
    assert not any("Riverside" in text for text in offered)

    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(la + "/find-a-group/")
    expect(
        visitor.get_by_role("link", name="Budget circle: Boyle Heights")
    ).to_be_visible()
    visitor.goto(demo_server + "/find-a-group/")
    expect(
        visitor.get_by_role("link", name="Budget circle: Boyle Heights")
    ).to_have_attribute("href", f"http://la.localhost/{group.slug}/")
    assert not Membership.objects.filter(cohort=group).exists()
    context.close()


def test_a_network_lead_compares_the_chapters_indicators(browser, demo_server):
    """On a phone, the network program's lead reads each chapter's indicators
    beside the whole network's: people who trained in both chapters once."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, demo_server, "lead@example.org")
    page.wait_for_url(demo_server + "/**")
    page.goto(demo_server + "/cohorts/programs/budget-advocacy-2026/logic-model/")
    compared = page.get_by_role("region", name="Indicators by chapter")
    expect(compared).to_be_visible()
    headers = compared.get_by_role("columnheader").all_inner_texts()
    assert headers[:4] == ["Indicator", "Los Angeles", "Riverside", "Whole network"]
    trained = compared.get_by_role("row", name="Train 30 residents")
    assert trained.get_by_role("cell").all_inner_texts()[:3] == ["2", "2", "3"]
    expect(page.get_by_text("counted once in the whole network")).to_be_visible()
    # The table scrolls within its region; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

import pytest
from axe_playwright_python.sync_playwright import Axe


def test_visitor_switches_to_spanish_and_downloads_a_resource(page, demo_server):
    page.goto(demo_server + "/")
    assert page.locator("h1").inner_text() == "Learning together, organizing together"

    page.locator(".site-menu > summary").click()  # the header's menu, on a phone
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Español"
    ).click()
    page.wait_for_url(demo_server + "/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Aprender juntos" in page.locator("h1").inner_text()

    page.locator(".site-menu > summary").click()
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Biblioteca de recursos"
    ).click()
    page.get_by_role("link", name="Cómo funciona el presupuesto del condado").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_skip_link_is_first_and_moves_focus_to_main(page, demo_server):
    page.goto(demo_server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_resource_filters_work_and_are_shareable(page, demo_server):
    page.goto(demo_server + "/resources/")
    page.get_by_label("Topic").select_option(label="Public budgets")
    page.get_by_role("button", name="Show resources").click()
    assert "topic=budget" in page.url
    assert page.get_by_role("status").inner_text() == "2 resources"
    page.goto(page.url)  # the filtered URL can be shared
    assert page.get_by_role("status").inner_text() == "2 resources"


def test_newsletter_sign_up_from_the_footer(page, demo_server, mailoutbox):
    page.goto(demo_server + "/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("E-mail address").fill("maria@example.org")
    footer.get_by_role("button", name="Subscribe").click()
    assert page.locator("h1").inner_text() == "Check your inbox"
    assert [message.to for message in mailoutbox] == [["maria@example.org"]]


PUBLIC_PAGES = {
    "home": "/",
    "home (Spanish)": "/es/",
    "standard": "/county-learning-community/",
    "resource library": "/resources/",
    "resource library, no match": "/resources/?file_type=ppt",
    "resource": "/resources/legal-toolkit-collaboration/",
    "news index": "/news/",
    "news post": "/news/budget-trainings-begin/",
    "newsletter": "/newsletter/",
    "log in": "/accounts/login/",
    "sign up": "/accounts/signup/",
    "not found": "/no-such-page/",
    "catalogue": "/find-a-group/",
    "catalogue, no match": "/find-a-group/?q=zzzz",
    "learning circle": "/county-learning-community/grantwriting-circle/",
    "learning path": "/find-a-group/ready-to-apply/",
    "course that builds on another": "/courses/budget-narratives/",
    "public lesson": "/courses/budget-narratives/module-1/lesson-1/",
}


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_accessibility_violations(page, demo_server, url):
    page.goto(demo_server + url)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

"""The crawl of tests/crawl.py, looked at in chromium on a 390 x 844 phone.

As a visitor, a participant, a facilitator and a program lead, in English and
Spanish: one page of each kind the server-side crawl reaches as that person
(each route of the URL conf, each Wagtail page type) and no visitor reaches,
besides home and My learning; as a visitor, the catalogue with each of its
filter values. On each, `main`'s first piece of content starts within the
first 200 px and nothing scrolls sideways (longer Spanish words are what
break a layout), and axe finds no violation: on every page in English, and
in Spanish on the starting points, whose header and menu are each person's
own. The rest of a Spanish page is the English one's template with other
words, which axe judges alike (more than half of this test's time was axe);
likewise the catalogue filtered by a field's other values, once axe has
seen it filtered by that field's first.
Wagtail's admin is left out (its own screens).
"""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from tests.browser.test_participant import log_in
from tests.browser.test_phone import FIRST_CONTENT_TOP, PHONE
from tests.crawl import EVERY_KIND, Crawl, starting_points

ROLES = {
    "visitor": None,
    "participant": "participant@example.org",
    "facilitator": "facilitator@example.org",
    "lead": "lead@example.org",
}
LANGUAGES = ("en", "es")
CONTENT_WITHIN = 200  # px from the top of the page
CATALOGUE = "CatalogueIndexPage"  # looked at with each filter value


def crawl_as(client, email: str | None) -> Crawl:
    """Links followed as `email`; as a visitor, the catalogue's filter choices
    tried too (its filtered pages are looked at as the visitor only)."""
    user = None
    client.logout()
    if email:
        user = get_user_model().objects.get(email=email)
        client.force_login(user)
    # One address of each kind is looked at.
    crawl = Crawl(client, per_kind=EVERY_KIND)
    crawl.follow_links(starting_points(user))
    if user is None:
        crawl.try_choices(
            form for kind, form in crawl.forms.items() if CATALOGUE in kind
        )
    return crawl


# Every test of this module starts from the same demo (tests/browser/conftest.py
# writes it back whole), so the visitor's crawl finds the same kinds each time.
_visitor_kinds: set[str] = set()


def kinds_a_visitor_reaches(client) -> set[str]:
    if not _visitor_kinds:
        _visitor_kinds.update(crawl_as(client, None).representatives())
    return _visitor_kinds


def pages_to_look_at(
    client, email: str | None
) -> tuple[dict[str, list[str]], set[str]]:
    """Per language: one address of each kind reached by following links as
    `email`, then (as a visitor) the catalogue with each filter value; and
    the addresses axe may pass over: the catalogue filtered by a field's
    second value and after (the same page with other groups listed, and
    the field's first value already shown axe).

    A kind of page a visitor reaches is looked at as the visitor only, apart
    from the starting points (home, My learning), which show each person's
    own header and menu: the rest of such a page is the same for everyone.
    """
    crawl = crawl_as(client, email)
    seen_by_visitor: set[str] = set()
    if not email:
        _visitor_kinds.update(crawl.representatives())
    else:
        seen_by_visitor = kinds_a_visitor_reaches(client)
        client.force_login(get_user_model().objects.get(email=email))
    starts = set(starting_points())
    chosen: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for kind, url in crawl.representatives().items():
        if kind not in seen_by_visitor or url in starts:
            chosen[crawl.language_of(url)].append(url)
    layout_only: set[str] = set()
    kinds_shown_axe: set[str] = set()
    for url in crawl.filtered if not email else []:
        kind = crawl.kind_of(url)
        if kind.split()[1].startswith(f"{CATALOGUE}?"):
            chosen[crawl.language_of(url)].append(url)
            if kind in kinds_shown_axe:
                layout_only.add(url)
            kinds_shown_axe.add(kind)
    return chosen, layout_only


def problems_of(page, url: str, axe: bool) -> list[str]:
    page.goto(url)
    found = []
    top = page.evaluate(FIRST_CONTENT_TOP)
    if top > CONTENT_WITHIN:
        found.append(f"content starts at {top:.0f} px")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"scrolls sideways ({width} px wide)")
    violations = Axe().run(page).response["violations"] if axe else []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"]]
        found.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_kind_of_page_reads_well_on_a_phone(browser, demo_server, client, role):
    started = time.monotonic()
    chosen, layout_only = pages_to_look_at(client, ROLES[role])
    problems = {}
    starts = set(starting_points())
    for language in LANGUAGES:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if ROLES[role]:
            log_in(page, demo_server, ROLES[role])
        for url in chosen[language]:
            axe = (language == LANGUAGES[0] and url not in layout_only) or url in starts
            found = problems_of(page, demo_server + url, axe)
            if found:
                problems[f"{language} {url}"] = found
        context.close()
    print(
        f"{role}: {[len(chosen[language]) for language in LANGUAGES]} pages "
        f"(en, es) in {time.monotonic() - started:.0f} s"
    )
    assert problems == {}
    assert min(len(urls) for urls in chosen.values()) > (15 if role == "visitor" else 5)

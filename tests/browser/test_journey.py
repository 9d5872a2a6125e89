"""The newcomer's journey on a phone, once in English and once in Spanish.

From the demo's home page: find a group (every filter), join it by e-mail, say
"going" to a session, read the personal calendar feed with two calendar
libraries, mark a lesson done and see it in My learning; then the facilitator
takes attendance and opens the dashboard. At every step the page has its
landmarks, its h1 and its key text in the journey's language, no interface
text left in English on a Spanish page, no axe violation, and a language
switch that lands on the same page in the other language (or on that
language's home, which says the page has no version there yet).

The strings the pages show are looked up through gettext, so one walk serves
both languages; the Spanish walk fails where a string has no Spanish.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
import recurring_ical_events
import vobject
from axe_playwright_python.sync_playwright import Axe
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from django.utils.translation.trans_real import translation
from wagtail.models import Locale, Page

from cohorts.models import CatalogueIndexPage, CohortPage
from lms.demo import DEMO_PASSWORD
from lms.navigation import UNTRANSLATED_PARAMETER
from scheduling.models import Session
from tests.helpers import default_home, default_site_pages, site_address

PHONE = {"width": 390, "height": 844}
# Set to a folder to keep a screenshot of every step.
SCREENSHOTS = os.environ.get("JOURNEY_SCREENSHOTS")
# Interface texts too short to tell one language from the other.
SHORTEST_CHECKED = 4
# The page's texts in its own language (a language's name in the switcher is
# marked with its own `lang`, as are a group's words in the catalogue).
SHOWN_TEXTS = """() => [...document.querySelectorAll(
    "h1, h2, h3, h4, button, label, legend, summary, th, a, p, li, option, dt, dd"
)].filter(
    (element) => element.closest("[lang]").lang === document.documentElement.lang
        && !element.querySelector("[lang]")
).map((element) => [element.innerText.trim(), element.outerHTML.slice(0, 120)])"""


@dataclass(frozen=True)
class Journey:
    language: str
    prefix: str
    group_slug: str
    # Catalogue filter -> (value to choose or type, a group it must leave out).
    filters: dict[str, tuple[str, str]] = field(default_factory=dict)
    facilitator_marks: str = "Grace Okafor"


ENGLISH = Journey(
    language="en",
    prefix="",
    group_slug="grantwriting-circle",
    filters={
        "q": ("grant", "power-mapping-talk"),
        "kind": ("circle", "power-mapping-talk"),
        "topic": ("grantwriting", "power-mapping-talk"),
        "language": ("en", "capacitacion-presupuesto-riverside"),
        "format": ("in_person", "power-mapping-talk"),
        "place": ("Eastside", "capacitacion-presupuesto-riverside"),
        "day": ("4", "power-mapping-talk"),
    },
)
SPANISH = Journey(
    language="es",
    prefix="/es",
    group_slug="capacitacion-presupuesto-riverside",
    filters={
        "q": ("presupuesto", "grantwriting-circle"),
        "kind": ("training", "grantwriting-circle"),
        "topic": ("budget", "grantwriting-circle"),
        "language": ("es", "grantwriting-circle"),
        "format": ("in_person", "power-mapping-talk"),
        "place": ("Centro", "grantwriting-circle"),
        "day": ("6", "grantwriting-circle"),
    },
)


def english_only_texts(language: str) -> set[str]:
    """Interface texts that read differently in `language`: one of them on a
    page in that language is a string left untranslated."""
    if language == "en":
        return set()
    catalogue = translation(language)._catalog
    return {
        english
        for english, translated in catalogue.items()
        if isinstance(english, str)
        and "\x04" not in english
        and len(english) >= SHORTEST_CHECKED
        and translated != english
    }


class Walk:
    """One person's pages, each checked as it is reached."""

    def __init__(self, page, server: str, journey: Journey, who: str):
        self.page, self.server, self.journey, self.who = page, server, journey, who
        self.untranslated = english_only_texts(journey.language)
        self.steps = 0

    def t(self, text: str) -> str:
        with override(self.journey.language):
            return self.translated(text, gettext(text))

    def nt(self, singular: str, plural: str, count: int) -> str:
        with override(self.journey.language):
            return self.translated(singular, ngettext(singular, plural, count))

    def translated(self, english: str, shown: str) -> str:
        """A string the walk expects, which a Spanish walk expects in Spanish."""
        if self.journey.language != "en":
            assert shown != english, f"no {self.journey.language} for {english!r}"
        return shown

    def goto(self, path: str) -> None:
        self.page.goto(self.server + path)

    def check(self, h1: str, *texts: str) -> None:
        page, language = self.page, self.journey.language
        self.steps += 1
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=f"{SCREENSHOTS}/{language}-{self.who}-{self.steps:02}.png",
                full_page=True,
            )
        where = f"{language} step {self.steps} ({page.url})"
        assert page.locator("html").get_attribute("lang") == language, where
        for landmark in (
            "body > header",
            "header nav.main-nav",
            "body > main",
            "body > footer",
        ):
            assert page.locator(landmark).count() == 1, f"{where}: {landmark}"
        assert page.locator("h1").all_inner_texts() == [h1], where
        main = page.locator("main").inner_text()
        for text in texts:
            assert text in main, f"{where}: {text!r} missing"
        shown = page.evaluate(SHOWN_TEXTS)
        left_in_english = {html for text, html in shown if text in self.untranslated}
        assert not left_in_english, f"{where}: left in English {left_in_english}"
        results = Axe().run(page)
        assert results.violations_count == 0, f"{where}\n{results.generate_report()}"
        check_language_switch(page, self.server, where)

    def open_menu_link(self, name: str) -> None:
        self.page.locator(".site-menu > summary").click()
        self.page.locator(".site-menu-body").get_by_role(
            "link", name=name, exact=True
        ).click()

    def log_in(self, email: str) -> None:
        self.goto(f"{self.journey.prefix}/accounts/login/")
        self.check(self.t("Log in"))
        main = self.page.get_by_role("main")
        main.get_by_label(self.t("E-mail address")).fill(email)
        main.get_by_label(self.t("Password")).fill(DEMO_PASSWORD)
        main.get_by_role("button", name=self.t("Log in")).click()


def pages_by_path() -> dict[str, Page]:
    return default_site_pages()


def check_language_switch(page, server: str, where: str) -> None:
    """The other language's link lands on this page's version in that
    language, or, when it has none, on that language's home, which says so."""
    here = urlsplit(page.url).path
    language = page.locator("html").get_attribute("lang")
    other = "es" if language == "en" else "en"
    wagtail_page = pages_by_path().get(here)
    translation = wagtail_page and wagtail_page.get_translation_or_none(
        Locale.objects.get(language_code=other)
    )
    if wagtail_page is None:  # a view of its own: the same view translated
        with override(language):  # the path is read in its own language
            expected = translate_url(here, other)
    elif translation is not None and translation.live:
        expected = site_address(translation)[1]
    else:
        home = default_home(other)
        expected = f"{site_address(home)[1]}?{UNTRANSLATED_PARAMETER}=1"
    link = page.locator(f'.language-switcher a[hreflang="{other}"]')
    assert link.get_attribute("href") == expected, where
    switched = page.context.new_page()
    response = switched.goto(server + expected)
    assert response.status == 200, f"{where}: {expected} {response.status}"
    assert switched.locator("html").get_attribute("lang") == other, where
    said = switched.get_by_role("main").get_by_role("status").all_inner_texts()
    with override(other):
        no_version = gettext(
            "The page you were on has no version in this language yet, so "
            "here is this language's home page."
        )
    assert (no_version in said) == (wagtail_page is not None and not translation), (
        where,
        said,
    )
    switched.close()


def group_titles(page) -> list[str]:
    return page.locator(".card-list > li.card h2").all_inner_texts()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def titles_by_slug() -> dict[str, str]:
    return dict(CohortPage.objects.live().values_list("slug", "title"))


def find_the_group(walk: Walk, group: CohortPage, h1: str) -> None:
    """Every filter on its own leaves the group in and another out; all of
    them at once leave the group alone."""
    page, t = walk.page, walk.t
    titles = titles_by_slug()
    catalogue = page.url
    every_group = set(group_titles(page))
    today = timezone.localdate().isoformat()
    chosen = {**walk.journey.filters, "starts_after": (today, None)}
    for name, (value, left_out) in chosen.items():
        page.goto(catalogue)
        fill_filter(page, t, name, value)
        show_groups(page, t)
        shown = set(group_titles(page))
        assert group.title in shown and shown <= every_group, (name, shown)
        assert left_out is None or titles[left_out] not in shown, (name, shown)
    page.goto(catalogue)
    for name, (value, _) in chosen.items():
        fill_filter(page, t, name, value)
    show_groups(page, t)
    assert group_titles(page) == [group.title]
    walk.check(
        h1,
        walk.nt(
            "%(counter)s group open for sign-up",
            "%(counter)s groups open for sign-up",
            1,
        )
        % {"counter": 1},
    )


def show_groups(page, t) -> None:
    """Submit the filters and wait for the results: read at once, the cards
    could still be the last page's, or none."""
    with page.expect_navigation():
        page.get_by_role("button", name=t("Show groups")).click()


def fill_filter(page, t, name: str, value: str) -> None:
    form = page.get_by_role("search")
    if not form.is_visible():
        page.locator(".filters-toggle > summary").click()
    field = form.locator(f"[name={name}]")
    if field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)


def read_magic_link(mailoutbox, address: str) -> str:
    message = [m for m in mailoutbox if address in m.to][-1]
    return re.search(r"https?://\S+/join/[^\s/]+/", message.body).group(0)


def check_calendar_feed(walk: Walk, session: Session, group: CohortPage) -> None:
    page, t = walk.page, walk.t
    page.get_by_role(
        "link",
        name=t("See these sessions in your own calendar, and choose your reminders"),
    ).click()
    walk.check(t("E-mails and calendar"))
    page.get_by_role("button", name=t("Get my calendar address")).click()
    address = page.get_by_label(t("Your calendar address")).input_value()
    walk.check(t("E-mails and calendar"))
    path = urlsplit(address).path
    response = page.request.get(walk.server + path)
    assert response.ok and "text/calendar" in response.headers["content-type"]
    feed = response.text()

    calendar = icalendar.Calendar.from_ical(feed)
    assert calendar.walk("VTIMEZONE"), "no VTIMEZONE"
    day = session.starts_at.date()
    starts = [
        event.decoded("dtstart")
        for event in recurring_ical_events.of(calendar).between(
            day - timedelta(days=1), day + timedelta(days=2)
        )
        if group.title in str(event.get("summary"))
    ]
    assert session.starts_at in starts, (session.starts_at, starts)

    parsed = vobject.readOne(feed)
    assert parsed.contents.get("vtimezone"), "vobject sees no VTIMEZONE"
    occurrences = []
    for event in parsed.vevent_list:
        if group.title not in event.summary.value:
            continue
        occurrences += list(event.getrruleset(addRDate=True) or [event.dtstart.value])
    assert session.starts_at in occurrences


def newcomer(walk: Walk, mailoutbox) -> CohortPage:
    page, t, journey = walk.page, walk.t, walk.journey
    group = CohortPage.objects.live().get(slug=journey.group_slug)
    home = default_home(journey.language)

    walk.goto(f"{journey.prefix}/")
    walk.check(home.title)
    catalogue = CatalogueIndexPage.objects.child_of(home).get()
    walk.open_menu_link(catalogue.title)
    walk.check(
        catalogue.title, group.title, t("Meets in English"), t("Meets in Spanish")
    )
    find_the_group(walk, group, catalogue.title)

    page.get_by_role("link", name=group.title).click()
    walk.check(group.title, t("Join this group"))
    address = f"newcomer-{journey.language}@example.org"
    joining = page.get_by_role("region", name=t("Join this group"))
    joining.get_by_label(t("Your name")).fill("Ana Newcomer")
    joining.get_by_label(t("E-mail address")).fill(address)
    joining.get_by_label(group.goal_prompt).fill("Learn and take part.")
    joining.get_by_role("button", name=t("Send me a link to join")).click()
    walk.check(t("Check your inbox"))

    # The link names the site's configured address; this server's port differs.
    walk.goto(urlsplit(read_magic_link(mailoutbox, address)).path)
    walk.check(t("Join %(title)s") % {"title": group.title})
    page.get_by_role("button", name=t("Join now")).click()
    walk.check(group.title, t("Upcoming sessions"))

    session = group.sessions.filter(starts_at__gt=timezone.now()).earliest("starts_at")
    card = page.locator(f"#session-{session.pk}")
    card.get_by_role("button", name=t("Going"), exact=True).click()
    card = page.locator(f"#session-{session.pk}")
    assert (
        card.get_by_role("button", name=t("Going"), exact=True).get_attribute(
            "aria-pressed"
        )
        == "true"
    )
    walk.check(group.title, session.address)
    check_calendar_feed(walk, session, group)

    walk.goto(f"{journey.prefix}/cohorts/{group.pk}/course/")
    course = group.course.get_translation(home.locale)
    walk.check(group.title, course.title)
    lesson = course.specific.lessons().first()
    page.get_by_role("main").get_by_role("link", name=lesson.title).first.click()
    walk.check(lesson.title)
    page.get_by_role("button", name=t("Mark this lesson as done")).click()
    walk.check(lesson.title, t("You have completed this lesson."))

    walk.open_menu_link(t("My learning"))
    total = group.course.specific.lessons().count()
    walk.check(
        t("My learning"),
        t("%(done)s of %(total)s lessons done") % {"done": 1, "total": total},
    )
    return group


def facilitator(walk: Walk, group: CohortPage) -> None:
    page, t = walk.page, walk.t
    walk.log_in("facilitator@example.org")
    walk.goto(urlsplit(group.get_url()).path)
    walk.check(group.title)
    in_group = page.get_by_role("navigation", name=t("In this group"))
    in_group.get_by_role("link", name=t("Attendance"), exact=True).click()
    walk.check(group.title)
    held = group.sessions.filter(ends_at__lt=timezone.now()).latest("starts_at")
    page.locator(f".attendance-grid thead a[href*='/sessions/{held.pk}/']").click()
    walk.check(t("Attendance"))
    person = page.get_by_role("group", name=walk.journey.facilitator_marks)
    person.get_by_label(t("Late")).check()
    page.get_by_role("button", name=t("Save attendance")).click()
    saved = walk.nt(
        "Attendance saved for %(count)d person.",
        "Attendance saved for %(count)d people.",
        1,
    ) % {"count": 1}
    walk.check(t("Attendance"), saved)
    assert person.get_by_label(t("Late")).is_checked()

    walk.goto(urlsplit(group.get_url()).path)
    page.get_by_role("navigation", name=t("In this group")).get_by_role(
        "link", name=t("Dashboard")
    ).click()
    walk.check(group.title, walk.journey.facilitator_marks, "Ana Newcomer")


JOURNEYS = pytest.mark.parametrize("journey", [ENGLISH, SPANISH], ids=["en", "es"])


@JOURNEYS
def test_newcomer_and_facilitator_journey_on_a_phone(
    phone, demo_server, mailoutbox, journey
):
    group = newcomer(Walk(phone, demo_server, journey, "newcomer"), mailoutbox)
    phone.context.clear_cookies()
    facilitator(Walk(phone, demo_server, journey, "facilitator"), group)

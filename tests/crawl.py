"""A crawl of the site as one person, with Django's test client.

It follows every internal link from its starting points (a few addresses of
each kind: see `Crawl.kind_of`), then tries every GET form it met (the
catalogue's, the resource library's, the toolkits' filters) with each choice
of each field one at a time and with the adversarial values of
tests/adversarial.py in each field, and every query parameter it saw in a
link with the same values (in a language other than the main one, those
whose parsing the language can change).

It records what each address answered, the server errors with their
tracebacks, any script the site echoed unescaped, and any GET that wrote to
the database. The server-side crawl test asserts on those; the browser crawl
takes one address of each kind from it to look at in chromium.
"""

from __future__ import annotations

import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from wagtail.models import Site

from cohorts.models import CatalogueIndexPage, CohortPage, Program
from tests.adversarial import (
    LOCALIZED_VALUES,
    SCRIPT,
    VALUES,
    thorough,
    values_for_this_database,
)
from tests.form_fuzzing import default_site_page_types, page_route
from tests.helpers import site_address

# One address of each kind is also asked for these pages of its results
# (those among the adversarial values it is given: see `Crawl.values_for`).
PAGE_PROBES = ["9223372036854775808", "²", "\x00"]
assert set(PAGE_PROBES) <= set(VALUES)
REPEATED = ["1", "2"]  # a field given twice
# The API's JSON and its Swagger page are no pages of the site: schemathesis
# walks the API (tests/test_api_fuzz.py).
NOT_FOLLOWED_PREFIXES = ("/admin/", "/static/", "/media/", "/api/")
NOT_FOLLOWED_NAMES = {"account_logout"}
# Writes a GET may make: the session of the person logged in, the profile
# Wagtail's user bar makes for a member of staff the first time it shows, and
# an image's resized copy (the brand's logo), made the first time it is drawn.
WRITABLE_ON_GET = (
    '"django_session"',
    '"wagtailusers_userprofile"',
    '"wagtailimages_rendition"',
    # What a person has read in a discussion: a read mark, kept like the session.
    '"discussions_reader"',
)
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class Visit:
    url: str
    kind: str
    language: str
    status: int
    html: bool


@dataclass(frozen=True)
class FilterForm:
    """A GET form: where it sends and, per field, the values it offers
    (empty for a free-text field)."""

    action: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]


# Addresses of each kind a crawl follows when it looks for every kind of page
# rather than for what the same page shows with other rows: two reach every
# kind that three reach in the demo (one misses some). The thorough crawl
# follows three.
EVERY_KIND = 2


@dataclass
class Crawl:
    client: object
    # When not `thorough` (tests/adversarial.py), the crawl looks for what the
    # database decides: the shape of each kind's queries, which `EVERY_KIND`
    # addresses of each kind and one choice of each field give (another
    # choice fills the same query with another value), and the values whose
    # fate depends on the database.
    per_kind: int = field(default_factory=lambda: 3 if thorough() else EVERY_KIND)
    visits: dict[str, Visit] = field(default_factory=dict)
    server_errors: dict[str, str] = field(default_factory=dict)
    echoed_script: list[str] = field(default_factory=list)
    writes_on_get: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, FilterForm] = field(default_factory=dict)
    filtered: list[str] = field(default_factory=list)  # a choice applied each
    crawled: list[str] = field(default_factory=list)  # by following links
    skipped: Counter = field(default_factory=Counter)
    # Kinds whose forms and parameters another crawl already gave the
    # adversarial values: here they get their choices only.
    fuzzed_elsewhere: frozenset[str] = frozenset()
    # The adversarial values (tests/adversarial.py): on PostgreSQL, those
    # whose fate depends on the database.
    values: list[str] = field(default_factory=values_for_this_database)

    def __post_init__(self) -> None:
        self.client.raise_request_exception = False  # collect every 5xx
        self.pages = default_site_page_types()
        self.prefixes = {
            f"/{code}/": code for code, _name in settings.LANGUAGES if code != "en"
        }

    # What an address is

    def language_of(self, path: str) -> str:
        for prefix, code in self.prefixes.items():
            if path.startswith(prefix):
                return code
        return settings.LANGUAGE_CODE

    def in_main_language(self, path: str) -> bool:
        return self.language_of(path) == settings.LANGUAGE_CODE

    def kind_of(self, url: str) -> str:
        """The address's pattern: its route in the URL conf, or for a Wagtail
        page its page type (and the sub-route after it), with the names of its
        query parameters. Addresses of one kind differ only in ids."""
        parts = urlsplit(url)
        language = self.language_of(parts.path)
        with translation.override(language):
            try:
                match = resolve(parts.path)
            except Resolver404:
                route = f"no route {parts.path}"
            else:
                if match.url_name == "wagtail_serve":
                    route = page_route(self.pages, parts.path)
                else:
                    route = match.route
        names = sorted({name for name, _value in parse_qsl(parts.query, True)})
        return f"{language} {route}" + ("?" + "&".join(names) if names else "")

    def followed(self, url: str) -> bool:
        path = urlsplit(url).path
        if path.startswith(NOT_FOLLOWED_PREFIXES):
            return False
        with translation.override(self.language_of(path)):
            try:
                return resolve(path).url_name not in NOT_FOLLOWED_NAMES
            except Resolver404:
                return True

    # Asking

    def get(self, url: str):
        """GET `url` once, recording what it answered."""
        if url in self.visits:
            return None
        failures: list[str] = []

        def keep_traceback(**kwargs):
            failures.append(traceback.format_exc(limit=-6))

        got_request_exception.connect(keep_traceback)
        try:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
        finally:
            got_request_exception.disconnect(keep_traceback)
        content_type = response.get("Content-Type", "")
        html = content_type.startswith("text/html")
        path = urlsplit(url).path
        self.visits[url] = Visit(
            url, self.kind_of(url), self.language_of(path), response.status_code, html
        )
        if response.status_code >= 500:
            self.server_errors[url] = "\n".join(failures) or str(response.status_code)
        streamed = getattr(response, "streaming", False)
        if html and not streamed and SCRIPT.encode() in response.content:
            self.echoed_script.append(url)
        writes = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)
            and not any(table in query["sql"] for table in WRITABLE_ON_GET)
        ]
        if writes:
            self.writes_on_get[url] = writes
        return response

    # Following links

    def follow_links(self, starts: Iterable[str]) -> None:
        queue = deque(starts)
        starting = set(queue)
        kinds: Counter = Counter()
        while queue:
            url = queue.popleft()
            if url in self.visits:
                continue
            kind = self.kind_of(url)
            if kinds[kind] >= self.per_kind and url not in starting:
                self.skipped[kind] += 1
                continue
            kinds[kind] += 1
            response = self.get(url)
            self.crawled.append(url)
            if response is None or self.visits[url].status != 200:
                continue
            if not self.visits[url].html or getattr(response, "streaming", False):
                continue
            soup = BeautifulSoup(response.content, "html.parser")
            for link in self.links_in(soup, url):
                if link not in self.visits and self.followed(link):
                    queue.append(link)
            for form in self.get_forms_in(soup, url):
                self.forms.setdefault(self.kind_of(form.action), form)

    @staticmethod
    def internal(base: str, href: str) -> str | None:
        absolute = urldefrag(urljoin("http://testserver" + base, href))[0]
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def links_in(self, soup: BeautifulSoup, base: str) -> Iterator[str]:
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                link = self.internal(base, element[attribute])
                if link:
                    yield link

    def get_forms_in(self, soup: BeautifulSoup, base: str) -> Iterator[FilterForm]:
        for form in soup.find_all("form"):
            if form.get("method", "get").lower() != "get":
                continue
            action = self.internal(base, form.get("action") or base)
            if action is None:
                continue
            fields: dict[str, list[str]] = {}
            for element in form.find_all(["input", "select", "textarea"]):
                name = element.get("name")
                if not name or element.get("type") in {"submit", "button", "reset"}:
                    continue
                offered = fields.setdefault(name, [])
                if element.name == "select":
                    offered += [
                        option.get("value", option.text)
                        for option in element.find_all("option")
                    ]
                elif element.get("type") in {"checkbox", "radio"}:
                    offered.append(element.get("value", "on"))
            yield FilterForm(
                urlsplit(action).path,
                tuple((name, tuple(values)) for name, values in fields.items()),
            )

    # Trying forms and parameters

    def try_choices(self, forms: Iterable[FilterForm] | None = None) -> None:
        """Each choice of each form's fields (of `forms`, or every form met)
        one at a time, in every language. A form whose kind another crawl
        gave everything gets the first choice of each field, in the main
        language only: this person's version of a filtered page (the cards
        their links reached unfiltered are theirs already; another choice
        fills the same query with another value). So does every form when
        the crawl is not `thorough`."""
        for form in self.forms.values() if forms is None else forms:
            tried_elsewhere = self.form_mark(form) in self.fuzzed_elsewhere
            if tried_elsewhere and not self.in_main_language(form.action):
                continue
            for name, values in form.fields:
                if tried_elsewhere or not thorough():
                    values = [value for value in values if value][:1]
                for value in values:
                    url = with_query(form.action, {name: value})
                    self.get(url)
                    self.filtered.append(url)

    def values_for(self, path: str) -> list[str]:
        """Every adversarial value in the site's main language; in the others,
        which run the same views and forms with other words, the values whose
        parsing the language can change (numbers and dates)."""
        if self.in_main_language(path):
            return self.values
        return [value for value in self.values if value in LOCALIZED_VALUES]

    def try_adversarial_values(self) -> None:
        """The adversarial values (and a repeated value) in the site's main
        language: one field at a time for a field one types into (`page`
        included), so that a value its form accepts reaches the query with
        the other fields empty; all together for the fields that offer
        choices (selects, checkboxes): they refuse any value they do not
        offer, and a form cleans every field whatever the others hold (the
        filters are django-filter's), while each value they offer was tried
        by `try_choices`. In the other languages, each of `values_for` in
        every field at once."""
        for form in self.forms.values():
            if self.form_mark(form) in self.fuzzed_elsewhere:
                continue
            names = [name for name, _values in form.fields] + ["page"]
            values = self.values_for(form.action)
            if self.in_main_language(form.action):
                offering = [name for name, offered in form.fields if offered]
                groups = [[name] for name in names if name not in offering]
                for group in [*groups, *([offering] if offering else [])]:
                    for value in [*values, REPEATED]:
                        self.get(with_query(form.action, dict.fromkeys(group, value)))
            else:
                for value in [*values, REPEATED]:
                    self.get(with_query(form.action, dict.fromkeys(names, value)))

    def try_parameters(self) -> None:
        """Every query parameter met in a link, with the adversarial values in
        its place (one address of each kind; in the languages other than the
        main one, as for forms, each of `values_for` in every parameter at
        once), and `page` on one address of each kind."""
        tried: set[str] = set()
        for url in [url for url in self.crawled if "?" in url]:
            kind = self.kind_of(url)
            if kind in tried or kind in self.fuzzed_elsewhere:
                continue
            tried.add(kind)
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query, True))
            values = self.values_for(parts.path)
            if self.in_main_language(parts.path):
                for name in query:
                    for value in values:
                        self.get(with_query(parts.path, {**query, name: value}))
            else:
                for value in values:
                    self.get(with_query(parts.path, dict.fromkeys(query, value)))
        for kind, url in self.representatives().items():
            if kind in self.fuzzed_elsewhere:
                continue
            path = urlsplit(url).path
            values = self.values_for(path)
            for value in (value for value in PAGE_PROBES if value in values):
                self.get(with_query(path, {"page": value}))

    # Results

    def representatives(self) -> dict[str, str]:
        """One address (the first answered with a page) of each kind."""
        found: dict[str, str] = {}
        for visit in (self.visits[url] for url in self.crawled):
            if visit.status == 200 and visit.html:
                found.setdefault(visit.kind, visit.url)
        return found

    def fuzzed_kinds(self) -> frozenset[str]:
        """The kinds this crawl gives the adversarial values to (a form's
        with its fields: another person may be shown more of them)."""
        queried = {self.kind_of(url) for url in self.crawled if "?" in url}
        forms = {self.form_mark(form) for form in self.forms.values()}
        return frozenset({*forms, *queried, *self.representatives()})

    def form_mark(self, form: FilterForm) -> str:
        names = " ".join(sorted(name for name, _values in form.fields))
        return f"{self.kind_of(form.action)} form: {names}"

    def count_by_language(self) -> Counter:
        return Counter(visit.language for visit in self.visits.values())


def starting_points(user=None) -> list[str]:
    """Home and dashboard in every language, the catalogues, and the pages
    of the groups `user` is in or leads, in each language they exist in."""
    languages = ["/"] + [f"/{code}/" for code, _name in settings.LANGUAGES[1:]]
    starts = [*languages, *(f"{prefix}dashboard/" for prefix in languages)]
    pages = list(CatalogueIndexPage.objects.live())
    if user is not None:
        pages += (
            CohortPage.objects.live()
            .filter(
                Q(memberships__user=user) | Q(program__in=Program.objects.led_by(user))
            )
            .distinct()
        )
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                starts.append(reverse("cohorts:programs"))
    default_host = Site.objects.get(is_default_site=True).hostname
    for page in pages:
        for version in page.get_translations(True):
            host, path = site_address(version)
            if host == default_host:  # a chapter's pages are at their own host
                starts.append(path)
    return list(dict.fromkeys(starts))


def with_query(path: str, values: dict[str, str | list[str]]) -> str:
    return f"{path}?{urlencode(values, doseq=True)}"

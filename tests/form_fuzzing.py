"""Finding the forms of the site as a person sees them, and reading them back.

`crawl()` walks a role's pages (links from the home page, the dashboard and
/es/, and every URL pattern filled with ids seen while walking); `FormParser`
reads each `<form>` with its fields the way a browser would submit it.
"""

import contextlib
import functools
import inspect
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

from django.conf import settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from tests.helpers import default_site_pages

# Wagtail's admin is Wagtail's own (issue #28: "outside the admin"); static
# and media files have no forms.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/_util/")
# The walk stays in the site's main language: a form in another language is
# the same form (`without_language`), parsed by the same code (the crawl,
# tests/test_crawl.py, sends every language's filters the adversarial values).
START = ["/", "/dashboard/"]
ERRORS_SHOWN = re.compile(r'class="errorlist|aria-invalid="true"|class="error-summary')
TYPED = {"text", "email", "url", "search", "tel", "number", "date", "datetime-local"}


def resolved(path: str):
    """The path's match, None if nothing matches. Resolved in the path's own
    language: the last request may have left Spanish active, and English
    addresses have no prefix."""
    path = urlparse(path).path
    with translation.override(language_of(path)):
        try:
            return resolve(path)
        except Resolver404:
            return None


def language_of(path: str) -> str:
    """The language of an address: its prefix's, else the site's main one."""
    return next(
        (code for code, _name in settings.LANGUAGES if path.startswith(f"/{code}/")),
        settings.LANGUAGE_CODE,
    )


def without_language(route: str) -> str:
    """The same form in Spanish is the same form."""
    for code, _name in settings.LANGUAGES:
        route = route.removeprefix(f"{code}/")  # a route
        if route.startswith(f"/{code}/"):  # a page's path
            route = route[len(code) + 1 :]
    return route


@dataclass
class Field:
    name: str
    kind: str  # an input's type, or "select", "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    # A honeypot: out of the tab order, for robots to fill and people not.
    unreachable: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({f.name for f in self.fields}))

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """The same form on many pages (one per group, say) is fuzzed once."""
        path = urlparse(self.action).path
        match = resolved(path)
        # Wagtail serves every page through one pattern: tell pages apart.
        route = match.route if match and match.url_name != "wagtail_serve" else path
        route = without_language(route)
        return (self.method, route, self.names)


class FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                page=self.page,
                action=urljoin("http://testserver" + self.page, a.get("action", "")),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag in {"input", "button"}:
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            self._form.fields.append(
                Field(
                    a["name"],
                    kind,
                    a.get("value", ""),
                    "checked" in a,
                    unreachable=a.get("tabindex") == "-1",
                )
            )
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:  # a browser sends the selected option, else the first
                self._select.value, self._select.checked = value, True
            elif len(self._select.options) == 1:
                self._select.value = value
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that starts a textarea's content.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def parse(page: str, html: str) -> FormParser:
    parser = FormParser(page)
    parser.feed(html)
    return parser


def shown_values(page: str, html: str, name: str) -> list[str] | None:
    """What the page's forms that post back to `page` show in the field
    `name` (None: no such field)."""
    values = [
        f.value
        for form in parse(page, html).forms
        if urlparse(form.action).path == urlparse(page).path
        for f in form.fields
        if f.name == name
    ]
    return values or None


def local_path(page: str, link: str) -> str | None:
    absolute = urldefrag(urljoin("http://testserver" + page, link))[0]
    parsed = urlparse(absolute)
    if parsed.scheme not in {"http", ""} or parsed.netloc != "testserver":
        return None
    if parsed.path.startswith(SKIPPED_PREFIXES):
        return None
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def patterns(resolvers=None, prefix=""):
    """Every (route, view) of the URL conf, Wagtail's admin left out."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "^admin/")):
            continue
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def routes():
    """Every route with path parameters (regular expressions left out)."""
    for route, _view in patterns():
        if "<" in route and "^" not in route:
            yield route


def takes_posts(view) -> bool:
    """Whether a view does something with a POST: a class with post(), a
    function limited to POST (require_POST) or one whose code reads
    request.POST or asks whether the method is POST."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return callable(getattr(view_class, "post", None))
    layer = view
    while layer is not None:  # require_POST sits under login_required, say
        for cell in getattr(layer, "__closure__", None) or ():
            contents = cell.cell_contents
            if isinstance(contents, (list, tuple)) and "POST" in contents:
                return True
        layer = getattr(layer, "__wrapped__", None)
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return False
    return bool(re.search(r"request\.POST|request\.method\s*==\s*.POST.", source))


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def filled_with(route: str, value: str) -> str:
    """The route's address with every parameter `value`."""
    return "/" + PARAMETER.sub(lambda _match: value, route)


def filled(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda m: values[m.group(1)], route)


def by_number(value: str) -> tuple[int, str]:
    return (len(value), value)


# Addresses of each pattern the walk asks for with the ids it has seen: four
# (the first, the last and two between) find the same 88 forms of the demo
# that twelve found, with 1,900 requests instead of 3,200.
IDS_PER_ROUTE = 4


def crawl(client, seen_parameters: dict[str, set[str]], limit: int = 400):
    """Every page (path -> HTML) the client's person reaches from the start
    pages, then every route (those no page links to included), its parameters
    filled with values seen in addresses so far (a few combinations)."""
    pages: dict[str, str] = {}
    visited: set[str] = set()
    per_route: dict[str, int] = {}
    form_keys: set[tuple] = set()
    page_types = default_site_page_types()

    def visit(queue, budget=limit, capped=True):
        budget += len(visited)
        while queue and len(visited) < budget:
            path = queue.pop(0)
            if path in visited or language_of(path) != settings.LANGUAGE_CODE:
                continue
            match = resolved(path)
            if match is None:
                visited.add(path)
                continue
            # Many pages of one pattern (a hundred lessons of one page type,
            # or the same page in Spanish) show the same forms: three without
            # a new one are enough. A page passed over is not visited: the
            # second round, through every pattern, may still load it (a future
            # session's register shows no form, a past one's does).
            if match.url_name == "wagtail_serve":
                route = page_route(page_types, path)
            else:
                route = without_language(match.route)
            if capped and per_route.get(route, 0) >= 3:
                continue
            visited.add(path)
            for name, value in match.kwargs.items():
                seen_parameters.setdefault(name, set()).add(str(value))
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get(
                "Content-Type", ""
            ):
                continue
            html = response.content.decode()
            pages[path] = html
            parsed = parse(path, html)
            new_forms = {form.key for form in parsed.forms} - form_keys
            form_keys.update(new_forms)
            if not new_forms:  # a page with a form not met yet is not counted
                per_route[route] = per_route.get(route, 0) + 1
            for link in parsed.links:
                found = local_path(path, link)
                if found and found not in visited:
                    queue.append(found)

    visit(list(START))
    queue = []
    # The routes in English: a walk through /es/ leaves Spanish active, and
    # the language prefix of the patterns follows it.
    with translation.override(settings.LANGUAGE_CODE):
        every_route = sorted({route for route, _view in patterns() if "^" not in route})
    for route in every_route:
        names = PARAMETER.findall(route)
        # Not every id is this person's: try several (refusals are cheap).
        # Spread over the values seen, not the first ones: the newest ids
        # (a thread one may move, after a run of sessions' threads) count.
        choices = [
            spread(sorted(seen_parameters.get(n, ()), key=by_number), IDS_PER_ROUTE)
            for n in names
        ]
        combinations = itertools.product(*choices)
        for combination in itertools.islice(combinations, IDS_PER_ROUTE):
            queue.append(filled(route, dict(zip(names, combination, strict=True))))
    visit(queue, budget=len(queue), capped=False)
    return pages


def spread(values: list, count: int) -> list:
    """`count` of `values` from first to last, evenly apart (all if fewer)."""
    if len(values) <= count:
        return values
    step = (len(values) - 1) / (count - 1)
    return [values[round(index * step)] for index in range(count)]


def default_site_page_types() -> dict[str, str]:
    """Each live page of the default site (the one the test client asks) by
    its path there: its type's name."""
    return {path: type(page).__name__ for path, page in default_site_pages().items()}


def page_route(page_types: dict[str, str], path: str) -> str:
    """A Wagtail page's type, and the sub-route after its address: for a
    routable page, the name of its route (every partner of a directory is
    one kind of address, as every group is)."""
    page_path = urlparse(path).path
    while page_path and page_path not in page_types:
        page_path = page_path[: page_path.rstrip("/").rfind("/") + 1]
    if not page_path:
        return f"no page {path}"
    rest = urlparse(path).path[len(page_path) :]
    model = routable_page_models().get(page_types[page_path])
    if rest and model is not None:
        with contextlib.suppress(Resolver404):
            rest = ":" + str(model.get_resolver().resolve("/" + rest).url_name)
    return f"{page_types[page_path]} {rest}".rstrip()


@functools.cache
def routable_page_models() -> dict[str, type]:
    return {
        model.__name__: model
        for model in get_page_models()
        if issubclass(model, RoutablePageMixin)
    }


def errors_shown(html: str) -> bool:
    return bool(ERRORS_SHOWN.search(html))

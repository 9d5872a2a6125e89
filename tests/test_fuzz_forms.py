"""Every form of the site and of every installed plugin, found by walking the
demo site as each role (nobody lists them: a new form is fuzzed the day it
appears on a page), submitted with adversarial values (tests/adversarial.py)
signed out, and signed in by the first person to meet it.

For every submission: no server error; the script payload never comes back
unescaped (in the answer, or the page it redirects to); a form shown again
with errors keeps what was typed in its other fields; and without the CSRF
token a post is refused with 403.

Each submission runs in a transaction rolled back afterwards, and the
client's cookies are put back: logging out, leaving a group or erasing one's
own account are fuzzed too, and the next submission starts from the demo as
loaded. Wagtail's admin (/admin/) is Wagtail's, left out as issue #28 says.

Time: FUZZ_EXAMPLES (default in tests/adversarial.py) submissions per form
signed out and signed in, with a fixed seed per form; FUZZ_EXAMPLES=500 for a long run.
"""

import copy
import zlib
from datetime import timedelta
from urllib.parse import parse_qsl, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from api.tokens import create_token
from cohorts.models import Membership
from tests.adversarial import EXAMPLES, SCRIPT, form_values, uploads
from tests.form_fuzzing import (
    SKIPPED_PREFIXES,
    TYPED,
    Form,
    crawl,
    errors_shown,
    parse,
    patterns,
    resolved,
    shown_values,
    takes_posts,
    without_language,
)

pytestmark = pytest.mark.django_db

# Addresses that take posts but whose form no walk can reach, and why.
FROM_AN_EMAIL = "reached from a link in an e-mail, with a token the walk cannot know"
NOT_POSTED_BY_A_PAGE = {
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": FROM_AN_EMAIL,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        FROM_AN_EMAIL
    ),
    "cohorts/answer/<str:token>/": FROM_AN_EMAIL,
    "cohorts/join/<str:token>/": FROM_AN_EMAIL,
    "cohorts/unsubscribe/<str:token>/": FROM_AN_EMAIL,
    "newsletter/confirm/<str:token>/": FROM_AN_EMAIL,
    "newsletter/unsubscribe/<str:token>/": FROM_AN_EMAIL,
    "p/surveys/a/<str:token>/": FROM_AN_EMAIL,
    "p/partners/review/<str:token>/": FROM_AN_EMAIL,
    # allauth's: shown only between asking for a login code and typing it.
    "accounts/login/code/confirm/": "only during a login by code",
    # allauth's: only for a person with no password (none in the demo).
    "accounts/password/set/": "only for a person without a password",
}

ROLES = {
    "visitor": None,
    "participant": "participant@example.org",
    "facilitator": "facilitator@example.org",
    "program lead": "lead@example.org",
    "superuser": "admin@example.org",
}
BUTTONS = {"submit", "button", "image", "reset"}
CSRF = "csrfmiddlewaretoken"
# What a person would type into each kind of empty field: valid, so a form
# shown again for another field's sake must still show it.
TYPING = {
    "email": "kept@example.org",
    "url": "https://example.org/kept",
    "number": "1",
    "date": "2026-03-02",
    "datetime-local": "2026-03-02T10:00",
    "time": "10:00",
    "password": "Kept-password-2026",
}


def baseline(form: Form) -> tuple[dict[str, list], dict[str, str]]:
    """What a browser sends when a person fills every empty field with
    something sensible and presses the first button; and what was typed."""
    data: dict[str, list] = {}
    typed: dict[str, str] = {}
    pressed = False
    for f in form.fields:
        if f.kind in BUTTONS:
            if not pressed:
                data.setdefault(f.name, []).append(f.value)
                pressed = True
        elif f.kind in {"checkbox", "radio"}:
            if f.checked:
                data.setdefault(f.name, []).append(f.value or "on")
        elif f.kind == "file" or f.unreachable:
            continue
        elif f.kind in TYPED | {"textarea", "password"}:
            value = f.value or TYPING.get(f.kind, f"Kept {f.name}")
            data.setdefault(f.name, []).append(value)
            if f.kind != "password":
                typed[f.name] = value
        else:  # hidden, select and the rest: as the page gave them
            data.setdefault(f.name, []).append(f.value)
    return data, typed


def upload(drawn: tuple[str, bytes, str]) -> SimpleUploadedFile:
    name, content, content_type = drawn
    return SimpleUploadedFile(name, content, content_type)


@st.composite
def submissions(draw, form: Form):
    """A form's baseline with one field (or every field) made adversarial:
    replaced, repeated, or left out."""
    data, typed = baseline(form)
    # A form of nothing but its token (log out) gets the token itself fuzzed.
    fields = [f for f in form.fields if f.name != CSRF] or form.fields
    how = draw(st.sampled_from(["replace", "repeat", "omit", "every"]))
    targets = fields if how == "every" else [draw(st.sampled_from(fields))]
    for target in targets:
        typed.pop(target.name, None)
        if target.kind == "file":
            value = upload(draw(uploads()))
        elif target.kind == "select":
            choices = st.sampled_from(target.options or [""])
            value = draw(st.one_of(choices, form_values()))
        else:
            value = draw(form_values())
        if how == "omit":
            data.pop(target.name, None)
        elif how == "repeat":
            data[target.name] = [*data.get(target.name, []), value]
        else:
            data[target.name] = [value]
    return data, typed


class Problems:
    def __init__(self):
        self.found: list[str] = []

    def add(self, role, form, data, problem):
        shown = {k: [str(v)[:60] for v in vs] for k, vs in data.items() if k != CSRF}
        self.found.append(
            f"{role}: {form.method.upper()} {urlparse(form.action).path} "
            f"(form on {form.page}) {problem} with {shown}"
        )


def send(client: Client, form: Form, data: dict[str, list]):
    parsed = urlparse(form.action)
    if form.method == "post":
        query = f"?{parsed.query}" if parsed.query else ""
        return client.post(parsed.path + query, data)
    query = dict(parse_qsl(parsed.query))
    return client.get(parsed.path, {**query, **data})


def is_html(response) -> bool:
    return "html" in response.get("Content-Type", "") and not response.streaming


def judge(client, form, data, typed) -> str:
    """What is wrong with the answer to one submission ("" when nothing)."""
    response = send(client, form, data)
    answers = [response]
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    if location.startswith("/") and not location.startswith("/admin/"):
        answers.append(client.get(location))
    for answer in answers:
        if answer.status_code >= 500:
            error = getattr(answer, "exc_info", None)
            return f"answered {answer.status_code} ({error[1]!r})" if error else "5xx"
        if is_html(answer) and SCRIPT in answer.content.decode(errors="replace"):
            return "echoed the script unescaped"
    if response.status_code in {200, 400} and is_html(response):
        html = response.content.decode(errors="replace")
        if errors_shown(html):
            path = urlparse(form.action).path
            for name, value in typed.items():
                shown = shown_values(path, html, name)
                if shown is not None and value not in shown:
                    return f"lost what was typed in {name!r} ({value[:40]!r})"
    return ""


def fuzz(client, role: str, form: Form, problems: Problems) -> None:
    @seed(zlib.crc32(repr((role, form.key)).encode()))
    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        # Each example is a request: report the one that failed as it was.
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(submissions(form))
    def submit(submission):
        data, typed = submission
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            problem = judge(client, form, data, typed)
            transaction.set_rollback(True)
        client.cookies = cookies
        if problem:
            problems.add(role, form, data, problem)

    submit()


def refuses_without_csrf(user, form: Form) -> str:
    """A post without its CSRF token is refused with 403 (unless the view is
    exempt on purpose)."""
    if form.method != "post" or not any(f.name == CSRF for f in form.fields):
        return ""
    match = resolved(form.action)
    if match is None or getattr(match.func, "csrf_exempt", False):
        return ""
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user:
        strict.force_login(user)
    data, _typed = baseline(form)
    data.pop(CSRF)
    with transaction.atomic():
        response = send(strict, form, data)
        transaction.set_rollback(True)
    if response.status_code != 403:
        return f"answered {response.status_code} without a CSRF token, not 403"
    return ""


def shown_to_some_people_only(home_page) -> None:
    """The demo as a few weeks on: its people joined a month ago (some are
    quiet, and the facilitators' dashboards offer a check-in), and one of the
    participant's groups is over (the wrap-up form). These forms are shown
    only in those states, and would otherwise never be fuzzed; and the
    participant has an API token (its revoke button)."""
    now = timezone.now()
    Membership.objects.update(joined_at=now - timedelta(days=30))
    participant = get_user_model().objects.get(email=ROLES["participant"])
    over = (
        Membership.objects.filter(user=participant, role=Membership.Role.PARTICIPANT)
        .order_by("-cohort_id")
        .first()
        .cohort
    )
    create_token(participant, "Our CRM", "read", 30)  # its revoke form
    last_end = over.sessions.aggregate(last=Max("ends_at"))["last"]
    shift = last_end - now + timedelta(days=1)
    over.sessions.update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)


@pytest.mark.long_running
def test_every_form_signed_out_and_in_takes_bad_input_without_a_server_error(demo_site):
    shown_to_some_people_only(demo_site)
    problems = Problems()
    seen_parameters: dict[str, set[str]] = {}
    covered_pages: dict[str, int] = {}
    users = {
        role: email and get_user_model().objects.get(email=email)
        for role, email in ROLES.items()
    }
    # The superuser walks first: the ids in their addresses let the others
    # try the same pages (and meet their refusals).
    clients: dict[str, Client] = {}
    covered: dict[str, dict[tuple, Form]] = {}
    for role in ["superuser", "visitor", "participant", "facilitator", "program lead"]:
        client = clients[role] = Client(raise_request_exception=False)
        if users[role]:
            client.force_login(users[role])
        forms: dict[tuple, Form] = {}
        pages = crawl(client, seen_parameters)
        covered_pages[role] = len(pages)
        for path, html in pages.items():
            for form in parse(path, html).forms:
                if form.fields and not urlparse(form.action).path.startswith("/admin/"):
                    forms.setdefault(form.key, form)
        covered[role] = forms
    # Each form is fuzzed signed out (as the visitor) and signed in (by the
    # first person to meet it, the least trusted first): a form shown to
    # several people parses their input with the same code, while signing in
    # changes the path a post takes (a visitor is sent to log in). Every
    # person's post without its CSRF token is still tried.
    fuzzed_signed_in: set[tuple] = set()
    for role in ["visitor", "participant", "facilitator", "program lead", "superuser"]:
        for key, form in covered[role].items():
            if problem := refuses_without_csrf(users[role], form):
                problems.add(role, form, {}, problem)
            if users[role]:
                if key in fuzzed_signed_in:
                    continue
                fuzzed_signed_in.add(key)
            fuzz(clients[role], role, form, problems)
    every_form = set().union(*covered.values())
    print(
        f"\n{len(every_form)} forms; by role (pages, forms): "
        + ", ".join(f"{r}: {covered_pages[r]}, {len(k)}" for r, k in covered.items())
    )
    for key in sorted(every_form):
        print(" ", *key)
    assert not problems.found, "\n".join(problems.found)
    # The walk really reached the site's and the plugins' forms.
    routes = {key[1] for key in every_form}
    assert any(route.startswith("p/coaching/") for route in routes)
    assert any(route.startswith("p/grantwriting/") for route in routes)
    assert any(route.startswith("cohorts/") for route in routes)
    assert all(covered.values())
    # Every address that takes a post had a form posted to it by someone: a
    # form the walk does not reach fails here, by name.
    posted = {key[1] for key in every_form if key[0] == "post"}
    taking_posts = {
        without_language(route)
        for route, view in patterns()
        if takes_posts(view) and not f"/{route}".startswith(SKIPPED_PREFIXES)
    }
    never_posted = taking_posts - posted - set(NOT_POSTED_BY_A_PAGE)
    assert set(NOT_POSTED_BY_A_PAGE) <= taking_posts - posted  # none stale
    assert not never_posted, f"no form found that posts to {sorted(never_posted)}"

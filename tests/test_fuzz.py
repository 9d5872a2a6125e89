"""Every URL pattern of the URL conf (plugins' under /p/<label>/ included), its
path parameters filled with adversarial values, answers without a server error
as anonymous and as a superuser. A new pattern is covered without listing it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ADVERSARIAL = [
    "0",
    str(2**63 - 1),
    str(2**63),
    "9999999999999999999999999",
    "²",
    "x" * 300,
    "%00",
    "%E2%80%AE",
    "<script>alert(1)</script>",
]


def patterns(resolvers=None, prefix=""):
    """(route, converter names) of every pattern, Wagtail's admin left out."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "^admin/")):
            continue
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" in route and "^" not in route:
            yield route


def filled(route: str, value: str) -> str:
    path = []
    for part in route.split("<"):
        if ">" in part:
            _name, rest = part.split(">", 1)
            path.append(value + rest)
        else:
            path.append(part)
    return "/" + "".join(path)


def test_every_url_pattern_with_adversarial_parameters_answers_without_a_5xx(
    client, home_page
):
    client.raise_request_exception = False  # collect every 5xx, not the first
    routes = sorted(set(patterns()))
    assert any(route.startswith("p/") for route in routes)  # plugins' patterns
    admin = get_user_model().objects.create_superuser("root@example.org", "pw-12345")
    server_errors = {}
    for who in (None, admin):
        if who:
            client.force_login(who)
        for route in routes:
            for value in ADVERSARIAL:
                address = filled(route, value)
                for method in (client.get, client.post):
                    response = method(address)
                    if response.status_code >= 500:
                        server_errors[(method.__name__, address)] = response.status_code
    assert server_errors == {}

"""Every URL pattern of the URL conf (plugins' under /p/<label>/ included), its
path parameters filled with adversarial values, answers without a server error
as anonymous and as a superuser. A new pattern is covered without listing it.
On PostgreSQL (after the SQLite stage sent every value), the values whose
fate depends on the database.

Only addresses a pattern accepts are requested: one its converter refuses
(`<id:>` refuses '²' and 2**63) is a 404 from the resolver before any view
runs, and resolving it here already runs the converter."""

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model

from tests.adversarial import path_values_for_this_database
from tests.form_fuzzing import filled_with, resolved, routes

pytestmark = pytest.mark.django_db


@pytest.mark.long_running
def test_every_url_pattern_with_adversarial_parameters_answers_without_a_5xx(
    client, home_page
):
    client.raise_request_exception = False  # collect every 5xx, not the first
    every_route = sorted(set(routes()))
    assert any(route.startswith("p/") for route in every_route)  # plugins' patterns
    addresses = [
        address
        for route in every_route
        for value in path_values_for_this_database()
        if resolved(unquote(address := filled_with(route, value)))
    ]
    # Every pattern is reached by some value (an id pattern by "0" at least).
    assert {resolved(unquote(a)).route for a in addresses} >= set(every_route)
    admin = get_user_model().objects.create_superuser("root@example.org", "pw-12345")
    server_errors = {}
    for who in (None, admin):
        if who:
            client.force_login(who)
        for address in addresses:
            for method in (client.get, client.post):
                response = method(address)
                if response.status_code >= 500:
                    server_errors[(method.__name__, address)] = response.status_code
    assert server_errors == {}

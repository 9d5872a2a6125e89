"""schemathesis against `/api/v1/` (#26): every operation, with the demo's
data, for every kind of caller (none, and a token of each role), with inputs
drawn from the OpenAPI document. No answer may be a server error, nor differ
from what the document says: status, content type, body."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import TokenTerms
from api.tokens import create_token

CALLERS = {
    "anonymous": None,
    "participant": "participant@example.org",
    "facilitator": "facilitator@example.org",
    "lead": "lead@example.org",
    "superuser": "admin@example.org",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(demo_site):
    # As Django's test client does: the test's database connection stays
    # open after each answer (the test's transaction holds the demo).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def tokens(demo_site) -> dict[str, str | None]:
    people = get_user_model().objects
    return {
        role: email
        and create_token(
            people.get(email=email),
            "schemathesis",
            TokenTerms.Scope.WRITE,
            1,
            staff=True,
        )[1]
        for role, email in CALLERS.items()
    }


@pytest.mark.long_running
def test_the_api_answers_as_its_document_says_for_everyone(api_schema, tokens):
    operations = [found.ok() for found in api_schema.get_all_operations()]
    assert len(operations) >= 3

    # A few examples for each operation and caller: every caller meets every
    # operation, and the cost grows with the operations, not their square.
    for operation in operations:
        for token in tokens.values():
            sends_as(operation, token)()


def sends_as(operation, token: str | None):
    """The property for one operation and one caller (None: no token)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return answers_as_documented

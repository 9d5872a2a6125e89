"""Production logs: one JSON object per line, with the request's id and user."""

import io
import json
import logging

import pytest

from lms.logs import JsonFormatter
from sdk import Panel, hookimpl
from tests.factories import UserFactory
from tests.test_security import LONG_KEY, run_with_production_settings

pytestmark = pytest.mark.django_db


class FailingPanels:
    @hookimpl
    def lms_dashboard_panels(self, user):
        raise RuntimeError("this plugin is broken")


@pytest.fixture
def json_lines(settings):
    """Every line logged, formatted as production formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    requests = logging.getLogger("lms.requests")
    saved = root.level, requests.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    requests.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(saved[0])
    requests.setLevel(saved[1])


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "lms.requests"]


def test_a_request_is_one_json_line_with_its_id_user_status_and_duration(
    client, json_lines
):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.42"
    [line] = request_lines(json_lines())
    assert line["request_id"] == "lb-7f3a.42"
    assert line["user_id"] == user.pk
    assert line["method"] == "GET"
    assert line["path"] == "/dashboard/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_an_anonymous_request_has_no_user_id(client, json_lines):
    client.get("/dashboard/")
    [line] = request_lines(json_lines())
    assert line["status"] == 302
    assert line["user_id"] is None


@pytest.mark.parametrize(
    "incoming", ["", "forged\nline", 'quote"d', "x" * 129, "spa ce"]
)
def test_a_request_without_a_usable_id_gets_one_made(client, json_lines, incoming):
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID=incoming)
    made = response["X-Request-ID"]
    assert made != incoming
    assert len(made) == 32
    int(made, 16)
    [line] = request_lines(json_lines())
    assert line["request_id"] == made


def test_each_request_gets_its_own_id(client, json_lines):
    client.get("/dashboard/")
    client.get("/dashboard/")
    first, second = request_lines(json_lines())
    assert first["request_id"] != second["request_id"]


def test_a_plugin_error_names_the_plugin_and_the_request(
    client, json_lines, register_plugin, settings
):
    settings.LMS_PLUGINS_STRICT = False
    register_plugin(FailingPanels(), name="failing")
    client.force_login(UserFactory())
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    [error] = [line for line in json_lines() if line["level"] == "ERROR"]
    assert error["plugin"] == "failing"
    assert error["hook"] == "lms_dashboard_panels"
    assert error["request_id"] == "req-1"
    assert "RuntimeError: this plugin is broken" in error["exception"]


def test_a_plugin_panel_template_error_names_the_plugin(
    client, json_lines, register_plugin, settings
):
    settings.LMS_PLUGINS_STRICT = False

    class BrokenTemplate:
        @hookimpl
        def lms_dashboard_panels(self):
            return [Panel("Broken", "no/such/template.html")]

    register_plugin(BrokenTemplate(), name="broken-template")
    client.force_login(UserFactory())
    client.get("/dashboard/")
    [error] = [line for line in json_lines() if line["level"] == "ERROR"]
    assert error["plugin"] == "broken-template"
    assert error["template"] == "no/such/template.html"


def test_lines_outside_a_request_have_no_request_id(json_lines):
    logging.getLogger("lms.test").warning("between requests")
    [line] = json_lines()
    assert "request_id" not in line
    assert line["message"] == "between requests"


@pytest.mark.backend_independent  # a database of its own (run_with_production_settings)
def test_production_settings_log_json_lines():
    result = run_with_production_settings(
        "shell",
        "-c",
        "import logging; logging.getLogger('lms.check').warning('hello %s', 'json')",
        secret_key=LONG_KEY,
    )
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(text) for text in result.stderr.splitlines()]
    assert line["message"] == "hello json"
    assert line["logger"] == "lms.check"


@pytest.mark.backend_independent  # a database of its own (run_with_production_settings)
def test_an_error_tracker_without_its_package_only_warns():
    result = run_with_production_settings(
        "check", secret_key=LONG_KEY, SENTRY_DSN="https://key@sentry.example.org/1"
    )
    assert result.returncode == 0, result.stderr
    assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr

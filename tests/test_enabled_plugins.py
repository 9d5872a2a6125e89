"""The plugins this run enables are healthy, as `manage.py lms_plugins
--check` says, asked in the test process. `make test`'s plugins-off stages
run it with each first-party plugin alone beside core, and with none of
them: a plugin that needs another, or whose settings are refused, fails here
by name (tests/test_plugins.py shows the check failing for each kind of
broken plugin)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.backend_independent  # the check opens no database
def test_the_enabled_plugins_are_healthy(settings):
    listed = io.StringIO()
    call_command("lms_plugins", check=True, stdout=listed)
    for name in settings.LMS_PLUGINS:
        assert f"{name} " in listed.getvalue()

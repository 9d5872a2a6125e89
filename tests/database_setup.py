"""pytest-django's database set-up, from the template of tests/database_template.py.

The project's conftest.py loads this plugin; a pytest run of other tests (the
scaffolded plugin's own, in tests/test_startplugin.py) loads it with
`-p tests.database_setup`. Either way it registers its fixture only at
configure time, after pytest-django, so that its `django_db_setup` is the one
used (a plugin given with -p is registered before pytest-django's, whose
fixture of the same name would otherwise win).
"""

import pytest
from django.test.utils import teardown_databases
from pytest_django.fixtures import _get_databases_for_setup

from tests.database_template import setup_from_template

NAME = "lms-database-setup"


class TemplateDatabaseSetup:
    @pytest.fixture(scope="session")
    def django_db_setup(
        self,
        request,
        django_test_environment,
        django_db_blocker,
        django_db_modify_db_settings,
    ):
        """pytest-django's database set-up, from a template migrated once."""
        _aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        verbosity = request.config.option.verbose
        with django_db_blocker.unblock():
            config = setup_from_template(verbosity, serialized_aliases)
        yield
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


def pytest_configure(config):
    if not config.pluginmanager.has_plugin(NAME):
        config.pluginmanager.register(TemplateDatabaseSetup(), NAME)

"""Fixtures for every pytest run of the project: tests/ and bench/."""

import pytest
from django.test.utils import teardown_databases
from pytest_django.fixtures import _get_databases_for_setup

from tests.database_template import setup_from_template


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's database set-up, from a template migrated once."""
    _aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        config = setup_from_template(request.config.option.verbose, serialized_aliases)
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=request.config.option.verbose)

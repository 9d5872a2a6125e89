"""Two tests in the order that emptied the database under the next ones
(tests/test_database_isolation.py runs them in a pytest run of their own):
first a test whose teardown flushes every table, then a test that builds on
the database as migrated. Both are transactional, so pytest-django keeps
their order (it moves transactional tests after the others). Its name is not
test_*.py: the suite itself never collects it."""

import pytest
from django.contrib.contenttypes.models import ContentType

from content.models import HomePage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_a_test_whose_teardown_empties_every_table():
    # Any test fills the process's ContentType cache.
    assert ContentType.objects.get_for_model(HomePage).pk


@pytest.mark.django_db(transaction=True)
def test_then_a_test_on_the_database_as_migrated(home_page):
    assert home_page.get_parent() is not None

"""pytest-django's database set-up, from the template of tests/database_template.py.

The project's conftest.py loads this plugin; a pytest run of other tests (the
scaffolded plugin's own, in tests/test_startplugin.py) loads it with
`-p tests.database_setup`. Either way it registers its fixture only at
configure time, after pytest-django, so that its `django_db_setup` is the one
used (a plugin given with -p is registered before pytest-django's, whose
fixture of the same name would otherwise win).

It also makes a test with `serialized_rollback` leave a database the next
test can use (`FlushedDatabase`), and on PostgreSQL empties the tables after
a test with `transaction=True` by DELETE instead of TRUNCATE
(`sql_flush_by_delete`).
"""

import pytest
from django.apps import apps
from django.db import connections
from django.test.utils import teardown_databases
from pytest_django.fixtures import _get_databases_for_setup
from pytest_django.plugin import blocking_manager_key

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
        with pytest.MonkeyPatch.context() as patch:
            operations = type(connections["default"].ops)
            if connections["default"].vendor == "postgresql":
                truncate = operations.sql_flush
                patch.setattr(operations, "sql_flush", sql_flush_by_delete(truncate))
            yield
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


def sql_flush_by_delete(truncate):
    """PostgreSQL's flush as one DELETE per table, in place of Django's single
    TRUNCATE of them all.

    A TRUNCATE gives each of the ~120 tables, their indexes and TOAST tables
    new files and drops the old ones: 2-4 s of mostly waiting on the disk for
    tables that hold a few rows or none, after every test with
    `transaction=True`. DELETE leaves the same empty tables (sequences are
    not reset by either) in about 0.1 s. Every foreign key Django creates is
    deferrable, so the order of the tables does not matter: the keys are
    checked at commit, when no row is left. With `allow_cascade` (tables left
    out that refer to these) or `reset_sequences`, the TRUNCATE stays."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        # The tables are the models' own, from Django's introspection.
        deletes = [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes] if deletes else []

    return sql_flush


def serialized_rollback(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        bool(marker and marker.kwargs.get("serialized_rollback"))
        or "django_db_serialized_rollback" in fixtures
    )


def uses_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return bool(item.get_closest_marker("django_db")) or bool(
        {"db", "transactional_db", "live_server"} & set(fixtures)
    )


class FlushedDatabase:
    """After a test with `serialized_rollback`, Django empties every table
    and does not run post_migrate: the next such test reloads the rows
    serialized at set-up when it starts. Any other test after it would meet
    no root page, no locales and no content types, while the process's
    ContentType cache still names the deleted rows (`Page.add_root`: "content
    type instance with id 1 is not a valid choice"). pytest-django runs such
    tests after all the others, but xdist's worksteal and loadfile, `-k`, or a
    test added to a module-scoped group change that order; so the next test
    that uses the database and does not reload them itself gets the rows back
    first, and the cache is emptied."""

    def __init__(self) -> None:
        self.emptied: set[str] = set()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        yield
        if serialized_rollback(item):
            self.emptied.add("default")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        if self.emptied and uses_database(item) and not serialized_rollback(item):
            with item.config.stash[blocking_manager_key].unblock():
                self.restore()

    def restore(self) -> None:
        for alias in sorted(self.emptied):
            connection = connections[alias]
            rows = getattr(connection, "_test_serialized_contents", None)
            if rows is not None:
                connection.creation.deserialize_db_from_string(rows)
        self.emptied.clear()
        # Loaded with -p before Django is set up: the model is looked up here.
        apps.get_model("contenttypes", "ContentType").objects.clear_cache()


def pytest_configure(config):
    if not config.pluginmanager.has_plugin(NAME):
        config.pluginmanager.register(TemplateDatabaseSetup(), NAME)
        config.pluginmanager.register(FlushedDatabase(), f"{NAME}-flushed")

"""Build each backend's test database once per set of migrations, then copy it.

Migrating an empty database takes about a minute of CPU here, and `make test`
needs a database for every xdist worker of every stage. The first worker to
arrive migrates its own database as usual and keeps a copy of it as a
template; every other worker (and every later run with the same migrations
and apps, in this clone or another on the machine) starts from a copy, then
lets Django's `keepdb` path check that nothing is left to apply. The
template's name carries a digest of everything that shapes the schema, so a
changed migration or another set of plugins builds a new one instead of
reusing a stale copy.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.test.utils import setup_databases

# SQLite's templates and every template's lock, known before Django is set
# up (a run given `-p tests.database_setup` imports this module early): in
# the user's cache, shared by every clone of the project on the machine, as
# PostgreSQL's templates are on its server, so a fresh clone (CI's) starts
# from a copy too. A template's name carries its schema's digest: a clone
# never takes another schema's. LMS_TEST_TEMPLATES names another folder.
LOCK_DIR = Path(
    os.environ.get("LMS_TEST_TEMPLATES")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "learning-commons"
    / "test-templates"
)
# Besides the migrations, what post_migrate writes into every new database,
# and what this module changes in a template.
SCHEMA_SOURCES = ("lms/roles.py", "tests/database_template.py")


# The stages that switch a first-party plugin off start from the template of
# the full set, its tables left in place as on a site that turns a plugin off;
# they build one of their own only when that template is not there yet (a
# partial template would leave the demo data without the plugin's tables).
# (examples/signups-plugin, the tutorial's plugin, is never installed here.)
FIRST_PARTY_MIGRATIONS = (
    "plugins/*/lms_*/migrations",
    "examples/example-plugin/lms_*/migrations",
)


def migration_folders(switched_off_too: bool) -> dict[str, Path]:
    """Each installed app's migrations folder by app module, and with
    `switched_off_too` the first-party plugins' that are not installed."""
    # An app with neither migrations nor models (a plugin of hooks and
    # templates only) adds nothing to a database: it shares the template of
    # the apps beside it.
    folders = {
        app.name: Path(app.path) / "migrations"
        for app in apps.get_app_configs()
        if (Path(app.path) / "migrations").is_dir() or any(app.get_models())
    }
    if switched_off_too:
        for pattern in FIRST_PARTY_MIGRATIONS:
            found = Path(settings.BASE_DIR).glob(pattern)
            folders.update((folder.parent.name, folder) for folder in found)
    return folders


def schema_digest(folders: dict[str, Path]) -> str:
    """A digest of these migrations and what else shapes a new database."""
    digest = hashlib.sha256()
    for name, folder in sorted(folders.items()):
        digest.update(name.encode())
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    for source in SCHEMA_SOURCES:
        digest.update((Path(settings.BASE_DIR) / source).read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold a lock file, so one worker builds a template while others wait."""
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class SQLiteTemplate:
    def __init__(self, alias: str, key: str) -> None:
        self.alias = alias
        self.key = key
        self.path = LOCK_DIR / f"template-{key}.sqlite3"

    def exists(self) -> bool:
        return self.path.exists()

    def copy_to_test_database(self) -> None:
        self.clone(settings.DATABASES[self.alias]["TEST"]["NAME"])

    def clone(self, name: str) -> None:
        """A database of this name with the template's content."""
        target = Path(name)
        for leftover in (target, *self._journals(target)):
            leftover.unlink(missing_ok=True)
        self._backup(self.path, target)

    def drop(self, name: str) -> None:
        for path in (Path(name), *self._journals(Path(name))):
            path.unlink(missing_ok=True)

    def keep_test_database(self) -> None:
        connection = connections[self.alias]
        connection.close()
        partial = self.path.with_suffix(".partial")
        self._backup(Path(connection.settings_dict["NAME"]), partial)
        partial.rename(self.path)
        for older in LOCK_DIR.glob("template-*.sqlite3"):
            if older != self.path and older.stat().st_mtime < time.time() - 86400:
                older.unlink(missing_ok=True)

    @staticmethod
    def _journals(path: Path) -> list[Path]:
        return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]

    @staticmethod
    def _backup(source: Path, target: Path) -> None:
        # The backup API copies a consistent database, write-ahead log included.
        with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
            origin.backup(copy)
        origin.close()
        copy.close()


class PostgresTemplate:
    def __init__(self, alias: str, key: str) -> None:
        self.alias = alias
        self.key = key
        # Per configured database, so runs against other databases never
        # drop a template in use.
        self.prefix = f"tmpl_{settings.DATABASES[alias]['NAME']}_"[:45]
        self.name = self.prefix + key

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        creation = connections[self.alias].creation
        with creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def exists(self) -> bool:
        return bool(
            self._execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,))
        )

    def clone(self, name: str) -> None:
        """A database of this name with the template's content."""
        self.drop(name)
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def copy_to_test_database(self) -> None:
        self.clone(connections[self.alias].creation._get_test_db_name())

    def keep_test_database(self) -> None:
        connection = connections[self.alias]
        connection.close()  # a template must have no one connected
        source = connection.settings_dict["NAME"]
        self._execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{source}"')
        older = self._execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            (self.prefix.replace("_", r"\_") + "%", self.name),
        )
        for (name,) in older:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_templates: dict[str, SQLiteTemplate | PostgresTemplate] = {}


def default_template() -> SQLiteTemplate | PostgresTemplate:
    """The default database's template for the current migrations and apps.

    Named before the test database replaces the configured one.
    """
    if "default" not in _templates:
        kind = SQLiteTemplate
        if connections["default"].vendor != "sqlite":
            kind = PostgresTemplate
        installed = migration_folders(switched_off_too=False)
        everything = migration_folders(switched_off_too=True)
        template = kind("default", schema_digest(everything))
        if installed != everything and not template.exists():
            template = kind("default", schema_digest(installed))
        if not template.exists():
            template = project_template(kind, everything) or template
        _templates["default"] = template
    return _templates["default"]


def project_template(kind, everything: dict[str, Path]):
    """The template of the project's own apps, when the apps installed add a
    plugin from outside the project (the tutorial's, installed in a folder of
    its own): a copy of it gets the plugin's migrations applied by keepdb's
    migrate, instead of migrating everything afresh. None without one."""
    root = Path(settings.BASE_DIR).resolve()
    own = {
        name: folder
        for name, folder in everything.items()
        if folder.resolve().is_relative_to(root)
    }
    if own == everything:
        return None
    template = kind("default", schema_digest(own))
    return template if template.exists() else None


@contextmanager
def template_in_hand(template: SQLiteTemplate | PostgresTemplate) -> Iterator[None]:
    """Hold the template's lock: nobody else builds or clones it meanwhile."""
    with exclusive(f"template-{connections[template.alias].vendor}-{template.key}"):
        yield


def setup_from_template(verbosity: int, serialized_aliases) -> list:
    """Django's setup_databases for the default database, from a template."""
    template = default_template()
    with template_in_hand(template):
        copied = template.exists()
        if copied:
            template.copy_to_test_database()
        # From a copy, keepdb applies what the template lacks (nothing, or an
        # outside plugin's migrations: project_template); otherwise the
        # database is built afresh, never from an old leftover.
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=copied,
            aliases={"default"},
            serialized_aliases=serialized_aliases,
        )
        if not copied:
            without_wagtails_welcome_page(serialized_aliases)
            template.keep_test_database()
    return config


def without_wagtails_welcome_page(serialized_aliases) -> None:
    """The template is kept without Wagtail's placeholder page, which
    `ensure_home_page` (the `home_page` fixture most tests take) otherwise
    deletes in every test: the delete asks every table that points at pages
    (~70 queries, two thirds of the fixture's time). What a test with
    `serialized_rollback` gets back is the database as kept."""
    # Not at the top: a run given `-p tests.database_setup` imports this
    # module before Django is set up, and content.site imports models.
    from content.site import delete_wagtails_welcome_page

    delete_wagtails_welcome_page()
    if serialized_aliases is None or "default" in serialized_aliases:
        connection = connections["default"]
        connection._test_serialized_contents = (
            connection.creation.serialize_db_to_string()
        )

"""The demo's rows and files, loaded once per test process and written per test.

`load_demo` costs several seconds of CPU, and two dozen tests need its data
on an otherwise empty database. Each process loads it once, into a scratch
copy of the migrated template, and keeps the rows of every table and the
files it wrote. A test that asks for the demo has every table of its own
database emptied and refilled with those rows inside its transaction: the
same rows under the same ids, with sequences past them, as a fresh load
would leave (`test_demo` loads the demo again over them and nothing
changes), in a few hundredths of a second; the test's rollback then leaves
the database as it was for the next test.
"""

from __future__ import annotations

import shutil
import sqlite3
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings

from tests.database_template import default_template, template_in_hand

MEDIA_SETTINGS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")
# The SQL below names tables and columns read from the database's own
# catalogue, never from input.


class SQLiteRows:
    """Every table's rows as stored, read without Django's type converters."""

    def __init__(self, path: str) -> None:
        with sqlite3.connect(path) as database:
            schema = database.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
            # Full-text tables are kept up to date by triggers on their
            # source tables; their shadow tables follow.
            virtual = [name for name, sql in schema if sql.startswith("CREATE VIRTUAL")]
            self.tables: dict[str, tuple[list[str], list[tuple]]] = {}
            for name, _sql in schema:
                if name.startswith("sqlite_") or any(
                    name == table or name.startswith(f"{table}_") for table in virtual
                ):
                    continue
                info = database.execute(f'PRAGMA table_info("{name}")')
                columns = [row[1] for row in info]
                listed = ", ".join(f'"{column}"' for column in columns)
                select = f'SELECT {listed} FROM "{name}"'  # noqa: S608
                rows = database.execute(select).fetchall()
                self.tables[name] = (columns, rows)
            self.sequences = database.execute(
                "SELECT name, seq FROM sqlite_sequence"
            ).fetchall()
        database.close()

    def write(self, connection) -> None:
        with connection.cursor() as cursor:
            for name in self.tables:
                cursor.execute(f'DELETE FROM "{name}"')  # noqa: S608
            for name, (columns, rows) in self.tables.items():
                if rows:
                    listed = ", ".join(f'"{column}"' for column in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    insert = f'INSERT INTO "{name}" ({listed}) VALUES ({marks})'  # noqa: S608
                    cursor.executemany(insert, rows)
            # Inserting raised the counters to the highest ids; the demo's own
            # counters also remember rows it deleted.
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                self.sequences,
            )


class PostgresRows:
    """Every table's rows in COPY's text format, and where each sequence stood."""

    def __init__(self, connection) -> None:
        with connection.cursor() as cursor:
            self.tables: dict[str, bytes] = {}
            for name in connection.introspection.table_names(cursor):
                quoted = connection.ops.quote_name(name)
                with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                    self.tables[name] = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                "last_value "
                "FROM pg_sequences WHERE schemaname = current_schema() "
                "AND last_value IS NOT NULL"
            )
            self.sequences = cursor.fetchall()

    def write(self, connection) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "; ".join(f"DELETE FROM {quote(name)}" for name in self.tables)  # noqa: S608
            )
            for name, data in self.tables.items():
                if data:
                    with cursor.cursor.copy(f"COPY {quote(name)} FROM STDIN") as copy:
                        copy.write(data)
            # Sequences ignore rollbacks: never set one back below ids that
            # rows committed by other tests may hold.
            cursor.execute(
                "SELECT setval(name::regclass, "
                "GREATEST(value, pg_sequence_last_value(name::regclass))) "
                "FROM unnest(%s::text[], %s::bigint[]) AS demo(name, value)",
                [[name for name, _ in self.sequences], [v for _, v in self.sequences]],
            )


class DemoData:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: SQLiteRows | PostgresRows | None = None

    def load(self) -> None:
        """Load the demo into a scratch copy of the template and keep it."""
        test_connection = connections["default"]
        test_name = test_connection.settings_dict["NAME"]
        separator = "-" if test_connection.vendor == "sqlite" else "_"
        scratch = f"{test_name}{separator}demo"
        template = default_template()
        with template_in_hand(template):
            template.clone(scratch)
        # This thread's queries go to the scratch database meanwhile.
        connection = test_connection.__class__(
            {**test_connection.settings_dict, "NAME": scratch}, "default"
        )
        connections["default"] = connection
        media = {name: self.folder / name for name in MEDIA_SETTINGS}
        try:
            with override_settings(**media), transaction.atomic():
                call_command("load_demo", force=True, stdout=StringIO())
                # As in a test's transaction, what waits for the commit never runs.
                connection.run_on_commit.clear()
            if connection.vendor == "sqlite":
                connection.close()
                self.rows = SQLiteRows(scratch)
            else:
                self.rows = PostgresRows(connection)
        finally:
            connection.close()
            connections["default"] = test_connection
            template.drop(scratch)
        ContentType.objects.clear_cache()

    def write(self) -> None:
        """Replace the content of the database and media folders with the demo."""
        assert self.rows is not None, "load() first"
        self.rows.write(connections["default"])
        ContentType.objects.clear_cache()
        for name in MEDIA_SETTINGS:
            if (self.folder / name).exists():
                shutil.copytree(
                    self.folder / name, getattr(settings, name), dirs_exist_ok=True
                )

"""Backups: the database and both media folders in one archive, checked on restore.

An archive (`.tar.gz`) holds `manifest.json` (what, when, the app's version,
the migrations applied, and the SHA-256 and size of every other member), the
database (`database.pgdump` from pg_dump's custom format, or
`database.sqlite3` from SQLite's online backup API, both consistent while
the site runs) and `media/` and `private-media/`. Restoring verifies every
member against the manifest before anything is touched, and refuses an
archive that does not match.

Used by `manage.py backup` and `manage.py restore`; see docs/deploy.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.recorder import MigrationRecorder

from lms.health import migration_loader, migrations_on_disk

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Each media folder's name in the archive: its setting and its storage.
MEDIA_FOLDERS = {
    "media": ("MEDIA_ROOT", "default"),
    "private-media": ("PRIVATE_MEDIA_ROOT", "private"),
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup could not be made or restored, in words for the operator."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def app_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream)["project"]["version"]


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def postgres_command(program: str, *arguments: str) -> tuple[list[str], dict]:
    """`program` (pg_dump, psql) with the connection's host, port, user and
    database, and its password in the environment, never on the command line."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    database = args.pop()
    return [program, *args[1:], *arguments, database], {**os.environ, **(env or {})}


def run(command: list[str], env: dict | None = None) -> str:
    """Run a PostgreSQL client program; its output, or BackupError."""
    try:
        finished = subprocess.run(  # noqa: S603 (PostgreSQL's own programs)
            command, env=env, check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed; install PostgreSQL's client programs "
            "of the server's major version."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error
    return finished.stdout


def check_pg_dump_version() -> None:
    """pg_dump refuses a newer server, and an older dump tool may miss what a
    newer server has: the major versions must agree."""
    found = re.search(r"(\d+)(?:\.\d+)?", run(["pg_dump", "--version"]))
    tool = int(found.group(1)) if found else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if tool != server:
        raise BackupError(
            f"pg_dump is version {tool} but the server is PostgreSQL {server}: "
            f"install the client programs of version {server}."
        )


def dump_database(folder: Path) -> Path:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    target = folder / DATABASE_MEMBERS[vendor]
    if vendor == "postgresql":
        check_pg_dump_version()
        command, env = postgres_command(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "-f",
            str(target),
        )
        run(command, env)
    else:
        # A connection of its own: SQLite's backup cannot read through a
        # connection that is writing, and a reader of a WAL database sees
        # the last commit while writers go on.
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        with closing(source), closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    return target


def local_media_folders() -> dict[str, Path]:
    """The media folders on this machine's disk, by name in the archive.
    Media in object storage is not: the provider keeps it (docs/deploy.md)."""
    return {
        prefix: Path(getattr(settings, setting))
        for prefix, (setting, alias) in MEDIA_FOLDERS.items()
        if isinstance(storages[alias], FileSystemStorage)
    }


def media_elsewhere() -> list[str]:
    return sorted(MEDIA_FOLDERS.keys() - local_media_folders().keys())


def media_files() -> Iterator[tuple[str, Path]]:
    """Each file of the media folders, with its name in the archive."""
    for prefix, root in local_media_folders().items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def make_backup(output: Path) -> dict:
    """Write the archive to `output` (through a temporary file beside it, so
    a failed backup never leaves a partial archive under its name)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lms-backup-") as scratch:
        database = dump_database(Path(scratch))
        members = [(database.name, database), *media_files()]
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "app": "learning-commons",
            "app_version": app_version(),
            "database": {"vendor": connection.vendor, "member": database.name},
            "migrations": applied_migrations(),
            "media_elsewhere": media_elsewhere(),
            "files": {
                name: {"sha256": sha256_of(path), "size": path.stat().st_size}
                for name, path in members
            },
        }
        manifest_path = Path(scratch) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = output.with_name(f".{output.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, MANIFEST)
            for name, path in members:
                archive.add(path, name)
        partial.replace(output)
    return manifest


@dataclass
class VerifiedBackup:
    manifest: dict
    folder: Path  # the archive's members, extracted and checked

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["member"]


def read_backup(archive_path: Path, folder: Path) -> VerifiedBackup:
    """Extract the archive into `folder` and check every member against the
    manifest. Raises BackupError saying what is wrong."""
    if not archive_path.is_file():
        raise BackupError(f"No backup archive at {archive_path}.")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            names = archive.getnames()
            if MANIFEST not in names:
                raise BackupError(f"{archive_path} has no {MANIFEST}: not a backup.")
            # "data": no absolute paths, no "..", no links out, no devices.
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as error:
        raise BackupError(
            f"{archive_path} is corrupt or not a backup archive ({error})."
        ) from error
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = manifest["files"]
        member = manifest["database"]["member"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{archive_path} has an unreadable manifest.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is a backup of an unknown format.")
    unlisted = sorted(set(names) - set(files) - {MANIFEST})
    if unlisted:
        raise BackupError(
            f"{archive_path} holds files its manifest does not list: {unlisted[:5]}"
        )
    if member not in files:
        raise BackupError(f"{archive_path} has no database.")
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{archive_path} is missing {name}.")
        if sha256_of(path) != expected["sha256"]:
            raise BackupError(
                f"{archive_path} is corrupt: {name} does not match its checksum."
            )
    return VerifiedBackup(manifest, folder)


def migration_gap(manifest: dict) -> tuple[list[str], int]:
    """The backup's migrations this code does not have (a newer version made
    it), and how many of the code's migrations the backup lacks."""
    applied = {
        (app, name) for app, names in manifest["migrations"].items() for name in names
    }
    # Every migration file, squashed ones' originals too.
    known = migration_loader().disk_migrations.keys()
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    return unknown, len(migrations_on_disk() - applied)


def check_restorable(backup: VerifiedBackup) -> int:
    """Refuse a backup this site cannot take; the number of migrations to
    apply after it is restored."""
    vendor = backup.manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database and this site uses "
            f"{connection.vendor}: restore it into a {vendor} database."
        )
    unknown, behind = migration_gap(backup.manifest)
    if unknown:
        raise BackupError(
            "The backup was made by a newer version "
            f"({backup.manifest['app_version']}): this code lacks its migrations "
            f"{', '.join(unknown[:5])}. Deploy that version, then restore."
        )
    return behind


def restore_database(backup: VerifiedBackup) -> None:
    if connection.vendor == "postgresql":
        restore_postgres(backup.database)
    else:
        restore_sqlite(backup.database)


def restore_postgres(dump: Path) -> None:
    """In one transaction: drop the site's tables (the dump's and any the
    dump does not have), then recreate them from the dump."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    quote = connection.ops.quote_name
    script = dump.with_suffix(".sql")
    prelude = dump.with_name("drop-tables.sql")
    prelude.write_text(
        f"DROP TABLE IF EXISTS {', '.join(quote(name) for name in tables)} CASCADE;\n"
        if tables
        else ""
    )
    run(["pg_restore", "--no-owner", "--no-privileges", "-f", str(script), str(dump)])
    connection.close()
    command, env = postgres_command(
        "psql", "--single-transaction", "--quiet", "--no-psqlrc",
        "-v", "ON_ERROR_STOP=1", "-f", str(prelude), "-f", str(script),
    )  # fmt: skip
    run(command, env)


def restore_sqlite(copy: Path) -> None:
    """SQLite's backup API, from the archive's copy into the live file: the
    file is replaced page by page under SQLite's own lock."""
    name = connection.settings_dict["NAME"]
    connection.close()
    source = sqlite3.connect(copy)
    with closing(source), closing(sqlite3.connect(name, timeout=20)) as target:
        source.backup(target)


def restore_media(backup: VerifiedBackup) -> None:
    """Empty each media folder and fill it from the archive. The folders
    themselves stay (they may be mounted volumes)."""
    for prefix, root in local_media_folders().items():
        root.mkdir(parents=True, exist_ok=True)
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        restored = backup.folder / prefix
        if restored.is_dir():
            for child in restored.iterdir():
                shutil.move(child, root / child.name)


def default_archive_name(label: str = "learning-commons") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"{label}-{stamp}.tar.gz"

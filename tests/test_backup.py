"""manage.py backup and restore: the demo round-trips, a bad archive is refused.

Runs on the backend of the run: pg_dump/psql on PostgreSQL, SQLite's online
backup API on SQLite.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cohorts.models import Membership
from tests.factories import UserFactory

# pg_dump, like any other client, sees only committed rows.
roundtrip = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files() -> dict[str, str]:
    files = {}
    for setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        root = Path(getattr(settings, setting))
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                files[f"{setting}/{path.relative_to(root)}"] = digest
    return files


def backup(path: Path) -> Path:
    call_command("backup", output=path, stdout=io.StringIO())
    return path


def restore(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command(
        "restore", str(path), "--noinput", "--no-safety-backup", *options, stdout=out
    )
    return out.getvalue()


@roundtrip
def test_the_demo_round_trips_every_table_and_file(demo_data, tmp_path):
    # The test database as set up, put back at the end: the demo's content
    # types have other ids, and the next serialized_rollback test reloads its
    # rows through a ContentType cache that must name the set-up's.
    as_set_up = backup(tmp_path / "as-set-up.tar.gz")
    with transaction.atomic():  # foreign keys are checked at the commit
        demo_data.write()
    tables, files = row_counts(), media_files()
    assert tables["cohorts_membership"] > 0
    assert any(name.startswith("PRIVATE_MEDIA_ROOT/") for name in files)
    assert any(name.startswith("MEDIA_ROOT/") for name in files)
    archive = backup(tmp_path / "demo.tar.gz")

    # Then things happen: rows come and go, files are lost and added.
    Membership.objects.all().delete()
    UserFactory.create_batch(3)
    lost = next(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))
    lost.unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("added after the backup")
    assert row_counts() != tables

    output = restore(archive)
    assert "every checksum matches" in output
    assert row_counts() == tables
    assert media_files() == files
    # The restored database is whole: its migrations are all there.
    call_command("migrate", "--check", stdout=io.StringIO())

    restore(as_set_up)
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(include_auto_created=True))


def test_the_manifest_says_what_when_which_version_and_migrations(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        names = set(opened.getnames())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["app_version"] == "0.1.0"
    assert manifest["created"].endswith("+00:00")
    assert "0001_initial" in manifest["migrations"]["lms"]
    assert names == {"manifest.json", *manifest["files"]}
    for entry in manifest["files"].values():
        assert len(entry["sha256"]) == 64


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with `change(name, data)` applied to each member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def refusal(archive: Path) -> str:
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        restore(archive)
    assert row_counts() == before  # nothing was touched
    return str(refused.value)


def test_a_damaged_archive_is_refused_with_a_clear_message(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    archive.write_bytes(bytes(data))
    # Caught by gzip's or tar's own checks, or else by the checksums.
    assert f"{archive} is corrupt" in refusal(archive)


def test_a_truncated_archive_is_refused(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    archive.write_bytes(archive.read_bytes()[:-200])
    assert "is corrupt or not a backup archive" in refusal(archive)


def test_a_member_that_does_not_match_its_checksum_is_refused(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")

    def flip_database(name: str, data: bytes) -> bytes:
        if name.startswith("database."):
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    changed = rewrite(archive, tmp_path / "changed.tar.gz", flip_database)
    message = refusal(changed)
    assert "is corrupt: database." in message
    assert "does not match its checksum" in message


def test_a_file_the_manifest_does_not_list_is_refused(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    with tarfile.open(archive) as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]
    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(extra, "w:gz") as copy:
        for member, data in members:
            copy.addfile(member, io.BytesIO(data))
        smuggled = tarfile.TarInfo("media/smuggled.html")
        smuggled.size = 5
        copy.addfile(smuggled, io.BytesIO(b"hello"))
    assert "files its manifest does not list" in refusal(extra)


def test_something_that_is_not_a_backup_is_refused(db, tmp_path):
    not_a_backup = tmp_path / "photos.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        info = tarfile.TarInfo("photo.jpg")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"jpg"))
    assert "has no manifest.json: not a backup" in refusal(not_a_backup)
    assert "No backup archive at" in refusal(tmp_path / "missing.tar.gz")


def test_a_backup_from_a_newer_version_is_refused(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["app_version"] = "9.0.0"
        manifest["migrations"]["lms"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    message = refusal(rewrite(archive, tmp_path / "newer.tar.gz", newer))
    assert "made by a newer version (9.0.0)" in message
    assert "lms.9999_from_the_future" in message


def test_a_backup_of_another_kind_of_database_is_refused(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def other_kind(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    message = refusal(rewrite(archive, tmp_path / "other.tar.gz", other_kind))
    assert f"The backup is of a {other} database" in message


def test_check_only_verifies(db, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    UserFactory()
    before = row_counts()
    assert "every checksum matches" in restore(archive, "--check")
    assert row_counts() == before


def test_restore_asks_before_replacing_anything(db, tmp_path, monkeypatch):
    archive = backup(tmp_path / "b.tar.gz")
    UserFactory()
    before = row_counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert row_counts() == before

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lms.backups import (
    BackupError,
    check_restorable,
    default_archive_name,
    make_backup,
    read_backup,
    restore_database,
    restore_media,
)


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive: checks every file against the "
        "manifest's checksums first, then replaces the database and the media "
        "folders. Stop the web servers and task workers before restoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive (checksums, database kind, migrations).",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--no-safety-backup",
            action="store_false",
            dest="safety_backup",
            help="Do not back up the current database and media first.",
        )

    def handle(self, *args, archive: Path, check: bool, interactive: bool,
               safety_backup: bool, **options):  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="lms-restore-") as scratch:
            try:
                backup = read_backup(archive, Path(scratch))
                behind = check_restorable(backup)
            except BackupError as error:
                raise CommandError(str(error)) from error
            manifest = backup.manifest
            self.stdout.write(
                f"{archive}: a {manifest['database']['vendor']} backup made "
                f"{manifest['created']} by version {manifest['app_version']}, "
                f"{len(manifest['files'])} files, every checksum matches."
            )
            if check:
                return
            if interactive and not self.confirmed():
                raise CommandError("Nothing was restored.")
            try:
                if safety_backup:
                    before = default_archive_name("before-restore")
                    make_backup(before)
                    self.stdout.write(f"The current state is kept in {before}.")
                restore_database(backup)
                restore_media(backup)
            except BackupError as error:
                raise CommandError(str(error)) from error
        connection.close()
        self.stdout.write("Restored the database and the media folders.")
        if behind:
            self.stdout.write(
                f"The backup is {behind} migrations behind this code: "
                "run `manage.py migrate` before starting the site."
            )

    def confirmed(self) -> bool:
        database = connection.settings_dict["NAME"]
        answer = input(
            f"This replaces the database {database} and the media folders. "
            "Type 'yes' to go on: "
        )
        return answer.strip().lower() == "yes"

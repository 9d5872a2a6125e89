from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.backups import BackupError, default_archive_name, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the media "
        "and private media folders into one archive with a manifest and SHA-256 "
        "checksums. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: "
            "BACKUP_DIR/learning-commons-<time>.tar.gz).",
        )

    def handle(self, *args, output: Path | None, **options):
        output = output or default_archive_name()
        try:
            manifest = make_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database and "
            f"{len(files) - 1} media files to {output} "
            f"({output.stat().st_size // 1024} KiB)."
        )
        if manifest["media_elsewhere"]:
            self.stdout.write(
                "Not in the archive, being in object storage: "
                f"{', '.join(manifest['media_elsewhere'])} (keep those buckets "
                "versioned; docs/deploy.md)."
            )

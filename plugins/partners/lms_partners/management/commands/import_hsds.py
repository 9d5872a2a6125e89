"""manage.py import_hsds FILE: partners from an Open Referral HSDS ZIP of CSV
files (as the directory's "HSDS export" downloads)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms_partners.hsds import ImportRefused, import_zip


class Command(BaseCommand):
    help = "Import partners from an Open Referral HSDS ZIP of CSV files."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            imported = import_zip(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except ImportRefused as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(f"{imported} partners imported from {file}.")

"""manage.py make_default_sectors: the twelve sectors a coalition guide asks
for, in English and Spanish, made where missing (the demo makes them too).
Run once on a new site; leads then rename, add or remove them in the admin.
Made by a command rather than a migration: a migration would put rows in
every test database, also those of runs that switch this plugin off."""

from django.core.management.base import BaseCommand

from lms_partners.models import Sector
from lms_partners.sectors import ensure_default_sectors
from sdk.demo import ensure_locales


class Command(BaseCommand):
    help = "Make the default sectors (English and Spanish) where missing."

    def handle(self, *args, **options):
        before = Sector.objects.count()
        ensure_default_sectors(ensure_locales())
        made = Sector.objects.count() - before
        self.stdout.write(f"{made} sectors made; {Sector.objects.count()} in all.")

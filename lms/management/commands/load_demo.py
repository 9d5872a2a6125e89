from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from lms import demo


class Command(BaseCommand):
    help = "Load the demo programs, pages and people. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts share a known password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "Demo accounts share a published password; refusing with DEBUG off. "
                "Use --force on a throwaway site."
            )
        autodiscover_modules("demo")
        report = demo.DemoReport()
        with transaction.atomic():
            for loader in demo.loaders():
                loader(report)
        if report.created:
            self.stdout.write(f"Demo data: created {len(report.created)} items.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
        )
        for email, role in report.logins:
            self.stdout.write(f"  {email:28} {role}")
        self.stdout.write(f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chapters.setup import ChapterWanted, create_chapter


class Command(BaseCommand):
    help = (
        "Make a working chapter in one step: its site at the host name given, "
        "a home page and a 'Find a group' page in each of its languages, a "
        "leads group that edits only the chapter's pages, images and "
        "documents, and a collection for them. Run again, it mends what is "
        "missing and takes the address and languages given."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The chapter's name, e.g. 'Los Angeles'.")
        parser.add_argument(
            "--host", required=True, help="Its host name, e.g. la.example.org."
        )
        parser.add_argument(
            "--port", type=int, default=80, help="Its port (default 80)."
        )
        parser.add_argument(
            "--languages",
            default="en",
            help="Its languages' codes, comma-separated, e.g. en,es (default en).",
        )

    def handle(self, *args, name, host, port, languages, **options):
        wanted = ChapterWanted(
            name=name.strip(),
            hostname=host.strip().lower(),
            port=port,
            languages=[code.strip() for code in languages.split(",") if code.strip()],
        )
        try:
            chapter, created = create_chapter(wanted)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        done = "Made" if created else "Checked"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} chapter {chapter.name}: http://{chapter.site.hostname}"
                f"{'' if chapter.site.port == 80 else f':{chapter.site.port}'}/ "
                f"(leads group: {chapter.leads.name})"
            )
        )

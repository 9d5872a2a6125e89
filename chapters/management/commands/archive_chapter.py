from django.core.management.base import BaseCommand, CommandError

from chapters.models import Chapter
from chapters.setup import archive_chapter


class Command(BaseCommand):
    help = (
        "Archive a chapter: its site, pages, groups and their history stay; "
        "its leads no longer edit its pages or run its groups. --undo takes "
        "it out of the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The chapter's name, e.g. 'Los Angeles'.")
        parser.add_argument(
            "--undo", action="store_true", help="Take it out of the archive."
        )

    def handle(self, *args, name, undo, **options):
        chapter = Chapter.objects.filter(name=name.strip()).first()
        if chapter is None:
            names = ", ".join(Chapter.objects.values_list("name", flat=True))
            raise CommandError(f"No chapter is named {name!r} (there are: {names}).")
        archive_chapter(chapter, archived=not undo)
        done = "Taken out of the archive" if undo else "Archived"
        self.stdout.write(self.style.SUCCESS(f"{done}: {chapter.name}"))

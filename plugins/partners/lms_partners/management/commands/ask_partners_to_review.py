"""manage.py ask_partners_to_review: e-mail the review link to every listed
partner whose entry is due (not verified for `review_after_days`) and who was
not sent it for this period. A lead's save schedules each entry's own; run
this daily from cron after an import, or to catch up."""

from django.core.management.base import BaseCommand

from lms_partners import reviews


class Command(BaseCommand):
    help = "E-mail the review link to the partners whose entries are due."

    def handle(self, *args, **options):
        due = list(reviews.due().values_list("pk", flat=True))
        sent = sum(reviews.ask_for_review.call(pk) for pk in due)
        self.stdout.write(f"{sent} of {len(due)} partners due were sent the link.")

"""Calendar addresses: keep only a hash of each secret.

The column is renamed and every secret already given is hashed in place, so
existing addresses keep working. Going back leaves the hashes, which open no
feed: people then make new addresses.
"""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("cohorts", "CalendarFeed")
    for feed in CalendarFeed.objects.only("token_hash").iterator():
        feed.token_hash = hashlib.sha256(feed.token_hash.encode()).hexdigest()
        feed.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0004_pending_join"),
    ]

    operations = [
        migrations.RenameField(
            model_name="calendarfeed", old_name="token", new_name="token_hash"
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(
                max_length=64, unique=True, verbose_name="hash of the secret"
            ),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]

"""Certificates issued to people without a name held their e-mail address,
which the public verification page showed; they now hold no name."""

from django.db import migrations
from django.db.models import F


def forget_addresses(apps, schema_editor):
    Certificate = apps.get_model("cohorts", "Certificate")
    Certificate.objects.filter(name__iexact=F("user__email")).update(name="")


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0005_calendar_feed_token_hash"),
    ]

    operations = [
        migrations.RunPython(forget_addresses, migrations.RunPython.noop),
    ]

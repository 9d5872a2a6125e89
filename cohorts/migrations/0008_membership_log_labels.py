"""Admin log entries about memberships kept the member's name as their label
("Rosa Díaz in Circle"), which every lead reads in the site history; they now
name the membership by id, as Membership.__str__ does."""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Concat


def label_by_id(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    membership = ContentType.objects.filter(app_label="cohorts", model="membership")
    ModelLogEntry.objects.filter(content_type__in=membership).update(
        label=Concat(Value("Membership #"), "object_id", output_field=CharField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0007_program_leads"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(label_by_id, migrations.RunPython.noop),
    ]

"""A coaching session with an organisation is linked to the site's
organisation of that name when there is one, keeping the name as the coach
typed it: sessions logged before are linked the same way (no organisation
is made from a name only the coach saw)."""

import django.db.models.deletion
from django.db import migrations, models

from sdk import organisation_named


def link_organisations(apps, schema_editor):
    CoachingSession = apps.get_model("coaching", "CoachingSession")
    Organisation = apps.get_model("organisations", "Organisation")
    named = CoachingSession.objects.exclude(organisation_name="")
    for name in named.values_list("organisation_name", flat=True).distinct():
        found = organisation_named(name, among=Organisation.objects)
        if found is not None:
            named.filter(organisation_name=name).update(organisation=found)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
        ("organisations", "0002_named_until_a_lead_says"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="coachingsession",
            name="coaching_with_a_person_or_an_organisation",
        ),
        migrations.RenameField(
            model_name="coachingsession",
            old_name="organisation",
            new_name="organisation_name",
        ),
        migrations.AddField(
            model_name="coachingsession",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(link_organisations, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="coachingsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("coachee__isnull", False), ("organisation_name", "")),
                    models.Q(
                        ("coachee__isnull", True),
                        models.Q(("organisation_name", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="coaching_with_a_person_or_an_organisation",
            ),
        ),
    ]

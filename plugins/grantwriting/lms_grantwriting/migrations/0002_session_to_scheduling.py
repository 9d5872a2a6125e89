# Sessions moved from cohorts to the scheduling app, keeping their table: the
# key follows in the state only, before cohorts lets go of the model.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grantwriting", "0001_initial"),
        ("scheduling", "0001_initial"),
    ]
    run_before = [("cohorts", "0013_sessions_to_scheduling")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assignment',
                    name='session',
                    field=models.ForeignKey(blank=True, help_text='The workshop session this assignment belongs to.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='scheduling.session', verbose_name='session'),
                ),
            ],
        ),
    ]

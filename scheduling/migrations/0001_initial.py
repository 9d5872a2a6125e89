# Takes over SessionSeries, Session, RSVP and Attendance from cohorts without
# touching their tables (cohorts_sessionseries, cohorts_session, cohorts_rsvp,
# cohorts_attendance) or rows: the models move in the state only, and their
# content types follow (lms/moved_models.py). No task of theirs is queued (the
# modules that moved define none). On a new database there is no such row, and
# nothing happens.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lms.moved_models import move_content_types

MOVED_MODELS = ["sessionseries", "session", "rsvp", "attendance"]


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, "cohorts", "scheduling", MOVED_MODELS)


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, "scheduling", "cohorts", MOVED_MODELS)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cohorts", "0012_merge_program_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SessionSeries',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('first_start', models.DateTimeField(verbose_name='first meeting starts')),
                        ('duration_minutes', models.PositiveIntegerField(default=90, verbose_name='length in minutes')),
                        ('rrule', models.CharField(help_text='An iCalendar RRULE, e.g. FREQ=WEEKLY;COUNT=8', max_length=300, verbose_name='repeats')),
                        ('excluded_dates', models.JSONField(blank=True, default=list, help_text='Dates (YYYY-MM-DD) with no meeting, e.g. holidays.', verbose_name='skipped dates')),
                        ('location_name', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('address', models.TextField(blank=True, verbose_name='address')),
                        ('online_url', models.URLField(blank=True, verbose_name='online meeting link')),
                        ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='seats')),
                        ('sequence', models.PositiveIntegerField(default=0, editable=False, help_text='Raised when the rule or times change, for calendars.', verbose_name='revision')),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_series', to='cohorts.cohortpage')),
                    ],
                    options={
                        'verbose_name': 'repeating session',
                        'verbose_name_plural': 'repeating sessions',
                        'db_table': 'cohorts_sessionseries',
                    },
                ),
                migrations.CreateModel(
                    name='Session',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('original_start', models.DateTimeField(blank=True, help_text='For a meeting of a series: when the series placed it.', null=True, verbose_name='originally scheduled for')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('starts_at', models.DateTimeField(verbose_name='starts')),
                        ('ends_at', models.DateTimeField(verbose_name='ends')),
                        ('location_name', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('address', models.TextField(blank=True, verbose_name='address')),
                        ('online_url', models.URLField(blank=True, verbose_name='online meeting link')),
                        ('capacity', models.PositiveIntegerField(blank=True, help_text='Leave empty for no limit; beyond it people are waitlisted.', null=True, verbose_name='seats')),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', max_length=20, verbose_name='status')),
                        ('sequence', models.PositiveIntegerField(default=0, help_text='Raised when the time or place changes.', verbose_name='revision')),
                        ('local_weekday', models.PositiveSmallIntegerField(editable=False, help_text="Monday is 1, in the cohort's time zone; kept for the catalogue.", null=True, verbose_name='day of the week')),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='cohorts.cohortpage', verbose_name='cohort')),
                        ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sessions', to='scheduling.sessionseries', verbose_name='series')),
                    ],
                    options={
                        'verbose_name': 'session',
                        'verbose_name_plural': 'sessions',
                        'db_table': 'cohorts_session',
                        'ordering': ['starts_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RSVP',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('going', 'Going'), ('maybe', 'Maybe'), ('declined', 'Not going'), ('waitlisted', 'On the waiting list')], max_length=20, verbose_name='answer')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rsvps', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rsvps', to='scheduling.session')),
                    ],
                    options={
                        'verbose_name': 'RSVP',
                        'verbose_name_plural': 'RSVPs',
                        'db_table': 'cohorts_rsvp',
                        'constraints': [models.UniqueConstraint(fields=('session', 'user'), name='one_rsvp_each')],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'Present'), ('late', 'Late'), ('absent', 'Absent')], max_length=20, verbose_name='attendance')),
                        ('recorded_at', models.DateTimeField(auto_now=True)),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='scheduling.session')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'cohorts_attendance',
                        'constraints': [models.UniqueConstraint(fields=('session', 'user'), name='one_attendance_record_each')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='session_ends_after_it_starts'),
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.UniqueConstraint(fields=('series', 'original_start'), name='one_session_per_series_occurrence'),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

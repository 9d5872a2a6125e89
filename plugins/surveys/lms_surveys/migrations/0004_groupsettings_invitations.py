from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_moment_shared_with_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupsettings",
            name="invitations",
            field=models.BooleanField(default=True, verbose_name="send invitations"),
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    # The targets are indicators of logic models now (insights 0002 copied
    # them). After 0014, not after the moves: see 0014.

    dependencies = [
        ("cohorts", "0014_target_ranges"),
        ("insights", "0002_targets_to_indicators"),
    ]

    operations = [migrations.DeleteModel(name="OutcomeTarget")]

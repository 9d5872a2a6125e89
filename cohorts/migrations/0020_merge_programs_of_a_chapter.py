from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0018_equal_sort_orders_in_order"),
        ("cohorts", "0019_programs_of_a_chapter"),
    ]

    operations = []

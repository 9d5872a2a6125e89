"""Each program's targets become indicators of a logic model with no dates
(it counts all the program's time, as the targets did), with the same
measures and the same ends; the targets' table goes in cohorts 0016."""

from django.db import migrations


def targets_to_indicators(apps, schema_editor):
    OutcomeTarget = apps.get_model("cohorts", "OutcomeTarget")
    LogicModel = apps.get_model("insights", "LogicModel")
    Indicator = apps.get_model("insights", "Indicator")
    models = {}
    for target in OutcomeTarget.objects.order_by("program", "sort_order", "pk"):
        model = models.get(target.program_id)
        if model is None:
            model, _ = LogicModel.objects.get_or_create(
                program_id=target.program_id, period="Targets"
            )
            models[target.program_id] = model
        Indicator.objects.create(
            logic_model=model,
            sort_order=target.sort_order,
            stage="outputs",
            measure=target.measure,
            target=target.target,
            maximum=target.maximum,
        )


def indicators_to_targets(apps, schema_editor):
    OutcomeTarget = apps.get_model("cohorts", "OutcomeTarget")
    Indicator = apps.get_model("insights", "Indicator")
    for indicator in Indicator.objects.filter(
        logic_model__period="Targets", measure__gt=""
    ).select_related("logic_model"):
        OutcomeTarget.objects.get_or_create(
            program_id=indicator.logic_model.program_id,
            measure=indicator.measure,
            defaults={
                "sort_order": indicator.sort_order,
                "target": indicator.target,
                "maximum": indicator.maximum,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0014_target_ranges"),
        ("insights", "0001_initial"),
    ]

    operations = [migrations.RunPython(targets_to_indicators, indicators_to_targets)]

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms_toolkits.api import router
from lms_toolkits.models import ChecklistTick, ToolkitPage, dashboard_panels
from sdk import Measure, Panel, hookimpl, latest_per_person


@hookimpl
def lms_dashboard_panels(user, cohort):
    """On the person's own dashboard: the toolkits they have started."""
    if cohort is not None or not user.is_authenticated:
        return []

    def context():
        # Ticks stay with the toolkit ticked; the panel names and links it as
        # the page's language has it, in the same query.
        shown = ToolkitPage.objects.live().filter(
            translation_key=OuterRef("translation_key"),
            locale__language_code=get_language(),
        )
        started = (
            ToolkitPage.objects.live()
            .filter(ticks__user=user)
            # What the panel shows; grouping by every page column costs more.
            .only("title", "url_path", "checklist")
            .annotate(
                done=Count("ticks", filter=Q(ticks__user=user)),
                last=Max("ticks__ticked_at", filter=Q(ticks__user=user)),
                shown_title=Subquery(shown.values("title")[:1]),
                shown_url_path=Subquery(shown.values("url_path")[:1]),
            )
            .order_by("-last")
        )
        toolkits = list(started[:5])
        for toolkit in toolkits:
            if toolkit.shown_url_path:
                toolkit.title = toolkit.shown_title
                toolkit.url_path = toolkit.shown_url_path
        return {"toolkits": toolkits}

    return [
        Panel(
            title=_("Your toolkits"),
            template="lms_toolkits/panel.html",
            context=context,
            cache=dashboard_panels,
            cache_key=str(user.pk),
            cache_scope=str(user.pk),
        )
    ]


@hookimpl
def lms_activity(cohort, since):
    ticks = ChecklistTick.objects.filter(ticked_at__gte=since)
    if cohort is not None:
        ticks = ticks.filter(user__memberships__cohort=cohort)
    return latest_per_person(ticks, person="user", at="ticked_at", kind="toolkit")


def completions() -> int:
    """People times toolkits whose whole checklist is ticked."""
    items = {
        toolkit.pk: set(toolkit.item_ids())
        for toolkit in ToolkitPage.objects.live().only("pk", "checklist")
    }
    done = (
        ChecklistTick.objects.filter(toolkit__in=items)
        .values("user", "toolkit")
        .annotate(n=Count("item", distinct=True))
    )
    return sum(
        1
        for row in done
        if items[row["toolkit"]] and row["n"] >= len(items[row["toolkit"]])
    )


@hookimpl
def lms_measures(program):
    return [
        Measure(
            key="toolkits.completed",
            label=_("Toolkits completed"),
            value=completions(),
            unit=_("toolkits"),
        )
    ]


@hookimpl
def lms_export_user_data(user):
    ticks = ChecklistTick.objects.filter(user=user).select_related("toolkit")
    return {
        "toolkit_checklists": [
            {
                "toolkit": tick.toolkit.title,
                "item": tick.item,
                "ticked": tick.ticked_at.isoformat(),
            }
            for tick in ticks
        ]
    }


@hookimpl
def lms_erase_user_data(user):
    ChecklistTick.objects.filter(user=user).delete()


@hookimpl
def lms_api_routes():
    return router

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Page

from sdk import RESOURCE_LANGUAGES, Topic, VersionedCache, filter_and_paginate

# Each person's "Your toolkits" panel, kept until they tick or untick an item
# or any page changes (a toolkit's title, address or checklist).
dashboard_panels = VersionedCache("toolkits:dashboard-panels", ttl_seconds=3600)


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    body = blocks.RichTextBlock(label=_("what to do"))
    minutes = blocks.IntegerBlock(label=_("minutes"), required=False, min_value=1)
    worksheet = DocumentChooserBlock(
        label=_("worksheet or template to download"), required=False
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")


class ToolkitIndexPage(Page):
    """Every toolkit, filterable by topic and language."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["toolkits.ToolkitPage"]
    template = "lms_toolkits/toolkit_index_page.html"

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("toolkit library")

    def get_context(self, request, *args, **kwargs):
        from lms_toolkits.filters import ToolkitFilter

        context = super().get_context(request, *args, **kwargs)
        # A toolkit with a view restriction is not listed, not even its title
        # (as the resource library lists only public resources).
        toolkits = (
            ToolkitPage.objects.live()
            .public()
            .child_of(self)
            .specific()
            .order_by("title")
        )
        context.update(filter_and_paginate(request, ToolkitFilter, toolkits))
        return context


class ToolkitPage(Page):
    parent_page_types = ["toolkits.ToolkitIndexPage"]
    subpage_types = []
    template = "lms_toolkits/toolkit_page.html"

    intro = models.TextField(_("introduction"), blank=True)
    who_for = models.TextField(
        _("who this is for"),
        blank=True,
        help_text=_("E.g. 'Coalitions about to sign a partnership agreement'."),
    )
    minutes = models.PositiveIntegerField(
        _("time it takes, in minutes"), null=True, blank=True
    )
    toolkit_language = models.CharField(
        _("language"), max_length=10, choices=RESOURCE_LANGUAGES, default="en"
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="toolkits"
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    checklist = StreamField(
        [("item", blocks.CharBlock(label=_("item")))],
        verbose_name=_("checklist"),
        blank=True,
        help_text=_("Things each person ticks off; their ticks are saved for them."),
    )
    related = ParentalManyToManyField(
        "content.ResourcePage",
        verbose_name=_("related resources"),
        blank=True,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("who_for"),
        FieldPanel("minutes"),
        FieldPanel("toolkit_language"),
        FieldPanel("topics"),
        FieldPanel("steps"),
        FieldPanel("checklist"),
        FieldPanel("related"),
    ]

    class Meta:
        verbose_name = _("toolkit")

    def item_ids(self) -> list[str]:
        return [item.id for item in self.checklist]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ticked = set()
        if request.user.is_authenticated:
            ticked = set(
                ChecklistTick.objects.filter(
                    user=request.user, toolkit=self
                ).values_list("item", flat=True)
            )
        context["items"] = [(item, item.id in ticked) for item in self.checklist]
        context["ticked"] = len(ticked & set(self.item_ids()))
        context["related_resources"] = self.related.live().order_by("title")
        return context


class ChecklistTick(models.Model):
    """One checklist item a person ticked. Personal data: exported and erased."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    toolkit = models.ForeignKey(
        ToolkitPage, on_delete=models.CASCADE, related_name="ticks"
    )
    item = models.CharField(_("checklist item"), max_length=64)
    ticked_at = models.DateTimeField(_("ticked"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist tick")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "toolkit", "item"], name="one_tick_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.toolkit_id}: {self.item}"


def set_tick(person, toolkit: ToolkitPage, item: str, done: bool) -> None:
    """Tick (`done`) or untick one item of the toolkit's checklist for the
    person (an item of `toolkit.item_ids()`: the caller checks). Ticking
    twice, from a double click or another tab, leaves one tick."""
    if done:
        ChecklistTick.objects.get_or_create(user=person, toolkit=toolkit, item=item)
    else:
        ChecklistTick.objects.filter(user=person, toolkit=toolkit, item=item).delete()

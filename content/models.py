"""Public pages leads write in Wagtail: home, standard pages, resources, news."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import BodyBlock

INDEX_PAGE_SIZE = 20

# Languages resources are commonly published in across the seed communities;
# independent of the site's interface languages.
RESOURCE_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("tl", _("Tagalog")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("other", _("Other")),
]


def paginate(
    request: HttpRequest, items, per_page: int = INDEX_PAGE_SIZE
) -> PaginatorPage:
    """One page of items; a bad or out-of-range ?page= falls back sensibly."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def filter_and_paginate(request: HttpRequest, filterset_class, queryset) -> dict:
    """Template context for a filterable listing: the filter and one page of it."""
    filterset = filterset_class(request.GET, queryset=queryset)
    return {"filter": filterset, "items": paginate(request, filterset.qs)}


@register_setting(icon="mail")
class ProgramSettings(BaseSiteSetting):
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    donate_url = models.URLField(
        _("donate or support link"),
        blank=True,
        help_text=_("Shown on every page when filled in."),
    )

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Program contact"),
        ),
        FieldPanel("donate_url"),
    ]

    class Meta:
        verbose_name = _("program settings")


@register_snippet
class Topic(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class BasePage(Page):
    """Fields and behaviour every public page shares."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown at the top and in listings."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


class HomePage(BasePage):
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.StandardPage",
        "cohorts.CohortPage",
        "cohorts.CatalogueIndexPage",
        "content.ResourceIndexPage",
        "content.NewsIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live()
            .descendant_of(self)
            .select_related("locale")
            .order_by("-date")[:3]
        )
        return context


class StandardPage(BasePage):
    subpage_types = ["content.StandardPage", "cohorts.CohortPage"]

    class Meta:
        verbose_name = _("standard page")


class ResourceIndexPage(BasePage):
    subpage_types = ["content.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("resource library")

    def resources(self):
        return (
            ResourcePage.objects.live()
            .child_of(self)
            .select_related("document", "locale")
            .prefetch_related("topics")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        from content.filters import ResourceFilter

        context = super().get_context(request, *args, **kwargs)
        context.update(filter_and_paginate(request, ResourceFilter, self.resources()))
        return context


class ResourcePage(BasePage):
    parent_page_types = ["content.ResourceIndexPage"]
    subpage_types = []

    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The file people download."),
    )
    resource_language = models.CharField(
        _("language of the resource"),
        max_length=10,
        choices=RESOURCE_LANGUAGES,
        default="en",
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="resources"
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("document"),
                FieldPanel("resource_language"),
                FieldPanel("topics"),
            ],
            heading=_("Resource"),
        ),
    ]

    class Meta:
        verbose_name = _("resource")

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper() if self.document else ""


class NewsIndexPage(BasePage):
    subpage_types = ["content.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = (
            NewsPage.objects.live()
            .child_of(self)
            .select_related("locale")
            .order_by("-date", "-pk")
        )
        context["posts"] = paginate(request, posts)
        return context


class NewsPage(BasePage):
    parent_page_types = ["content.NewsIndexPage"]
    subpage_types = []

    date = models.DateField(_("date"), default=timezone.localdate)

    content_panels = [*BasePage.content_panels, FieldPanel("date")]

    class Meta:
        verbose_name = _("news post")

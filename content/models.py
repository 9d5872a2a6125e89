"""Public pages leads write in Wagtail: home, standard pages, resources, news."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import INTERACTIVE_BLOCKS, BodyBlock, LessonBlock
from content.brand import BrandSettings  # noqa: F401 (the app's model, kept apart)
from content.listings import filter_and_paginate, paginate, public
from content.program_settings import (  # noqa: F401 (the app's models, kept apart)
    ProgramSettings,
    ProgramSettingsWording,
)
from content.terms import TranslatableTerm
from lms import page_lookups
from lms.plugins import plugin_configs

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


@register_snippet
class Topic(TranslatableTerm):
    """A shared subject that pages, groups and plugins' records are tagged with."""

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


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

    route = page_lookups.route


class HomePage(BasePage):
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.StandardPage",
        "cohorts.CohortPage",
        "cohorts.CatalogueIndexPage",
        "content.ResourceIndexPage",
        "content.NewsIndexPage",
        "content.CourseIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    @classmethod
    def clean_subpage_models(cls):
        """The core's page types, and those of installed plugins that may go at
        the top of the site (their parent_page_types allow a home page)."""
        if cls._clean_subpage_models is None:
            core = super().clean_subpage_models()
            plugins = {config.label for config in plugin_configs()}
            cls._clean_subpage_models = [
                *core,
                *(
                    model
                    for model in get_page_models()
                    if model._meta.app_label in plugins
                    and cls in model.clean_parent_page_models()
                ),
            ]
        return cls._clean_subpage_models

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            public(NewsPage.objects.live())
            .descendant_of(self)
            .select_related("locale")
            .order_by("-date")[:3]
        )
        # Named by its type's label: content sits below cohorts and imports none of it.
        context["catalogue"] = (
            self.get_children()
            .live()
            .filter(
                content_type__app_label="cohorts",
                content_type__model="catalogueindexpage",
            )
            .first()
        )
        return context


class StandardPage(BasePage):
    """An ordinary page of text and blocks."""

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
            public(ResourcePage.objects.live())
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
    """A downloadable resource (a document) with an introduction."""

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
            public(NewsPage.objects.live())
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


class CourseIndexPage(BasePage):
    """Every course, for leads to attach to cohorts and visitors to browse."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = public(CoursePage.objects.live()).child_of(self).order_by("title")
        context["items"] = paginate(request, courses)
        return context


class CoursePage(BasePage):
    """A course: modules of lessons, worked through inside a cohort."""

    parent_page_types = ["content.CourseIndexPage"]
    subpage_types = ["content.ModulePage"]

    hours = models.DecimalField(
        _("hours of work"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Roughly, for the whole course; shown to participants."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("courses to complete first"),
        symmetrical=False,
        blank=True,
        related_name="leads_to",
        help_text=_(
            "People join a group using this course only once they have a "
            "certificate for each of these."
        ),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("hours"),
        FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = _("course")

    def clean(self) -> None:
        super().clean()
        if self.pk is None:
            return
        chosen = list(self.prerequisites.all())
        if any(course.pk == self.pk for course in chosen):
            raise ValidationError(
                {"prerequisites": _("A course cannot come before itself.")}
            )
        if self.pk in prerequisites_of(course.pk for course in chosen):
            raise ValidationError(
                {
                    "prerequisites": _(
                        "This would make a circle: one of these courses already "
                        "needs this one first."
                    )
                }
            )

    def lessons(self):
        """Live lessons in course order: module by module, as in the page tree."""
        return LessonPage.objects.live().descendant_of(self).order_by("path")

    def modules_only(self):
        return ModulePage.objects.live().child_of(self).order_by("path")

    def modules(self) -> list:
        """Live modules in order, each with `.lesson_list`: two queries in all."""
        modules = list(self.modules_only())
        lessons = list(self.lessons())
        for module in modules:
            module.lesson_list = [
                lesson for lesson in lessons if lesson.path.startswith(module.path)
            ]
        return modules

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = self.modules()
        return context


def prerequisites_of(course_ids) -> set[int]:
    """Every course that must come before these, however indirectly; one query
    per level of the chain."""
    found: set[int] = set()
    level = set(course_ids)
    while level:
        level = (
            set(
                CoursePage.prerequisites.through.objects.filter(
                    from_coursepage__in=level
                ).values_list("to_coursepage", flat=True)
            )
            - found
        )
        found |= level
    return found


class ModulePage(BasePage):
    parent_page_types = ["content.CoursePage"]
    subpage_types = ["content.LessonPage"]

    class Meta:
        verbose_name = _("course module")

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = self.lessons()
        return context


class LessonPage(BasePage):
    """One lesson; participants' answers and progress live in their cohort."""

    parent_page_types = ["content.ModulePage"]
    subpage_types = []

    body = StreamField(LessonBlock(), blank=True, verbose_name=_("body"))
    minutes = models.PositiveIntegerField(
        _("minutes"), null=True, blank=True, help_text=_("About how long it takes.")
    )

    content_panels = [*BasePage.content_panels, FieldPanel("minutes")]

    class Meta:
        verbose_name = _("lesson")

    def interactive_blocks(self) -> list:
        return [block for block in self.body if block.block_type in INTERACTIVE_BLOCKS]

    def get_context(self, request, *args, **kwargs):
        # Read-only here; a cohort's lesson view passes answers and a form action.
        context = super().get_context(request, *args, **kwargs)
        context["lesson_blocks"] = [(block, None) for block in self.body]
        context["course_and_module"] = page_lookups.ancestors_shown(request, self, 2)
        return context

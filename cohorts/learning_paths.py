"""Learning paths: courses in the order to take them, a page of the catalogue.
Models of the cohorts app (`cohorts.models` imports them); the learning app
fills in where a person stands (`path_contexts`)."""

from collections.abc import Callable

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel

from content.models import BasePage, CoursePage
from lms.models import InOrder


class LearningPathForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        steps = [
            form.cleaned_data
            for form in self.formsets["steps"].forms
            if form.is_valid()
            and form.cleaned_data.get("course")
            and not form.cleaned_data.get("DELETE")
        ]
        steps.sort(key=lambda step: step.get("ORDER") or 0)
        courses = [step["course"] for step in steps]
        if len({course.pk for course in courses}) < len(courses):
            self.add_error(None, _("Each course can be in the path once."))
        needs = CoursePage.prerequisites.through.objects.filter(
            from_coursepage__in=courses
        ).values_list("from_coursepage", "to_coursepage")
        position = {course.pk: index for index, course in enumerate(courses)}
        titles = {course.pk: course.title for course in courses}
        for course_id, first_id in needs:
            if position.get(first_id, len(courses)) > position[course_id]:
                self.add_error(
                    None,
                    _("%(course)s needs a course that is not before it in the path.")
                    % {"course": titles[course_id]},
                )
        return cleaned


class LearningPathPage(BasePage):
    """Courses in the order to take them, e.g. "Ready to apply for a grant"."""

    parent_page_types = ["cohorts.CatalogueIndexPage"]
    subpage_types = []
    base_form_class = LearningPathForm

    content_panels = [
        *BasePage.content_panels,
        InlinePanel("steps", label=_("Courses in order"), min_num=1),
    ]

    class Meta:
        verbose_name = _("learning path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for extra in path_contexts.values():
            context.update(extra(self, request))
        return context


# Where the person stands with each course of a learning path (the learning
# app's `steps`, from the certificates they hold): name -> context(page,
# request), added in the app's AppConfig.ready().
path_contexts: dict[str, Callable[[LearningPathPage, HttpRequest], dict]] = {}


class LearningPathStep(InOrder):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(
        _("why this step"),
        max_length=250,
        blank=True,
        help_text=_("Optional, e.g. 'Start here if you have never written a grant'."),
    )

    panels = [FieldPanel("course"), FieldPanel("note")]

    class Meta(InOrder.Meta):
        verbose_name = _("course in the path")
        verbose_name_plural = _("courses in the path")

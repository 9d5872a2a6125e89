"""Admin screens beyond the model viewsets."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_list_or_404, get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from cohorts import permissions
from cohorts.models import CohortPage
from cohorts.new_term import duplicate_for_new_term, first_meeting_day
from lms.forms import BoundedDateField


class NewTermForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the new term"), max_length=255)
    slug = forms.SlugField(
        label=gettext_lazy("Address (slug)"),
        max_length=255,
        help_text=gettext_lazy("The last part of the new page's web address."),
    )
    first_meeting = BoundedDateField(
        label=gettext_lazy("First meeting on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "Every meeting moves by the same number of days and keeps its local "
            "time. Skipped dates are not copied: add this term's holidays."
        ),
    )

    def __init__(self, *args, cohort: CohortPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        siblings = self.cohort.get_parent().get_children()
        if siblings.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another page here already uses this address.")
            )
        return slug


def new_term(request: HttpRequest, page_id: int) -> HttpResponse:
    """Copy a cohort, circle or training with its schedule for a new term."""
    cohort = get_object_or_404(CohortPage, pk=page_id)
    if not (
        permissions.leads_cohort(request.user, cohort)
        and cohort.permissions_for_user(request.user).can_copy()
        and request.user.has_perm("scheduling.add_session")
    ):
        raise PermissionDenied
    suggested = _("%(title)s (new term)") % {"title": cohort.title}
    form = NewTermForm(
        request.POST or None,
        cohort=cohort,
        initial={
            "title": suggested,
            "slug": slugify(f"{cohort.slug}-new-term"),
            "first_meeting": first_meeting_day(cohort),
        },
    )
    if request.method == "POST" and form.is_valid():
        new = duplicate_for_new_term(cohort, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The new term is a draft: check its dates, then publish it."),
        )
        return redirect("wagtailadmin_pages:edit", new.pk)
    return TemplateResponse(
        request,
        "cohorts/admin/new_term.html",
        {"cohort": cohort, "form": form},
        status=400 if form.errors else 200,
    )


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's "delete selected" for a snippet a lead reaches only within
    the programs they lead: ids outside `scoped(user)` are no objects at all
    (not listed, not deleted), "all" means all of theirs."""

    def scoped(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self, model, object_ids):
        return get_list_or_404(self.scoped(self.request.user), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        return self.scoped(self.request.user).values_list("pk", flat=True)


class PermittedDeleteBulkAction(ScopedDeleteBulkAction):
    """ "Delete selected" for a snippet whose permission policy decides for
    the whole model (such as `ProgramLeadsPolicy`): someone it does not let
    delete is shown no rows at all, not a list of names they may not delete."""

    def scoped(self, user) -> QuerySet:
        policy = policy_registry.get_by_type(self.model)
        if policy.user_has_permission(user, "delete"):
            return self.model.objects.all()
        return self.model.objects.none()


class _Scoped:
    # Set by ScopedChooserViewSet: the rows a user may see, by user.
    scoped = None


class _ScopedList(_Scoped):
    def get_object_list(self):
        return self.scoped(self.request.user)


class ScopedChooseView(_ScopedList, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedList, ChooseResultsView):
    pass


class ScopedChosenView(_Scoped, SnippetChosenView):
    def get_object(self, pk):
        try:
            return self.scoped(self.request.user).get(pk=pk)
        except (ValueError, ValidationError) as error:  # not an id: no object
            raise ObjectDoesNotExist from error


class ScopedChosenMultipleView(_Scoped, SnippetChosenMultipleView):
    def get_objects(self, pks):
        ids = [pk for pk in pks if pk.isascii() and pk.isdigit()]
        return self.scoped(self.request.user).filter(pk__in=ids)


class ScopedChooserCreateView(_Scoped, SnippetCreateView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    """Wagtail's chooser for a snippet, which otherwise lists and returns
    every row to anyone with admin access: only the rows `scoped(user)`, by
    any of its addresses (others are no objects at all)."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_view_class = ScopedChooserCreateView

    def scoped(self, user) -> QuerySet:
        raise NotImplementedError

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scoped=self.scoped, **kwargs)


class PermittedChooserViewSet(ScopedChooserViewSet):
    """The chooser of a snippet whose permission policy decides for the whole
    model: every row to whoever may change them, none to anyone else."""

    def scoped(self, user) -> QuerySet:
        policy = policy_registry.get_by_type(self.model)
        if policy.user_has_permission(user, "change"):
            return self.model.objects.all()
        return self.model.objects.none()

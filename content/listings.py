"""Listings: one page of items, optionally narrowed by a filter."""

from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet

from lms.page_cache import may_keep_query

INDEX_PAGE_SIZE = 20


def paginate(
    request: HttpRequest, items, per_page: int = INDEX_PAGE_SIZE
) -> PaginatorPage:
    """One page of items; a bad or out-of-range ?page= falls back sensibly."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# The page cache keeps a listing filtered by this many choices at most: each
# combination is a copy, and the pages cache shares its server's memory.
MOST_FILTERS_KEPT = 2


def filter_and_paginate(request: HttpRequest, filterset_class, queryset) -> dict:
    """Template context for a filterable listing: the filter and one page of it.
    The first page filtered by one or two choices is the same for every
    visitor who is not signed in: the page cache may keep it."""
    filterset = filtered(request, filterset_class, queryset)
    return {"filter": filterset, "items": paginate(request, filterset.qs)}


def filtered(request: HttpRequest, filterset_class, queryset):
    """The listing's filter set on the request's query, telling the page
    cache whether it may keep the page (as `filter_and_paginate` does), for
    a listing paginated its own way."""
    filterset = filterset_class(request.GET, queryset=queryset)
    form = filterset.form
    chosen = {name: value for name, value in request.GET.items() if value}
    if (
        form.is_valid()
        and set(request.GET) <= set(form.fields)  # even empty, what links keep
        and len(chosen) <= MOST_FILTERS_KEPT
        and all(isinstance(form.fields[name], forms.ChoiceField) for name in chosen)
    ):
        may_keep_query(request, chosen)
    return filterset


def public(pages: PageQuerySet) -> PageQuerySet:
    """The pages in no private section: Wagtail's `public()` in the same query
    (it reads every restriction first, one more query on each listing)."""
    restricted_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted_above))

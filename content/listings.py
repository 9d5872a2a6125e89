"""Listings: one page of items, optionally narrowed by a filter."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet

INDEX_PAGE_SIZE = 20


def paginate(
    request: HttpRequest, items, per_page: int = INDEX_PAGE_SIZE
) -> PaginatorPage:
    """One page of items; a bad or out-of-range ?page= falls back sensibly."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def filter_and_paginate(request: HttpRequest, filterset_class, queryset) -> dict:
    """Template context for a filterable listing: the filter and one page of it."""
    filterset = filterset_class(request.GET, queryset=queryset)
    return {"filter": filterset, "items": paginate(request, filterset.qs)}


def public(pages: PageQuerySet) -> PageQuerySet:
    """The pages in no private section: Wagtail's `public()` in the same query
    (it reads every restriction first, one more query on each listing)."""
    restricted_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted_above))

"""Rows a person puts in order are listed the same way on every read."""

from django.apps import apps
from wagtail.models import Orderable

from lms.models import InOrder

THIRD_PARTY = ("wagtail", "django", "taggit", "modelcluster")


def test_every_orderable_of_ours_breaks_ties_of_sort_order_by_when_made():
    ours = [
        model
        for model in apps.get_models()
        if issubclass(model, Orderable) and not model.__module__.startswith(THIRD_PARTY)
    ]
    assert ours, "no orderable models found: the filter is wrong"
    for model in ours:
        assert issubclass(model, InOrder), model
        assert list(model._meta.ordering) == ["sort_order", "pk"], model

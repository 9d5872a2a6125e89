"""Lookups that find nothing for a number the database cannot hold,
registered once in LmsConfig.ready.

Django's integer `exact`, `gt`, `lt`… already do so (IntegerFieldOverflow),
but `in` on an integer field, and `exact` or `in` through a foreign key or a
page's parent link (`CohortPage.objects.get(pk=…)`: a page's primary key is
its link to Wagtail's Page) pass the number on, and SQLite raises
OverflowError past 2**63 - 1. A ModelChoiceField or ModelMultipleChoiceField
given such a value was a server error instead of "Select a valid choice".
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

from lms.converters import MAX_DATABASE_ID


def holdable(value) -> bool:
    if not isinstance(value, int):
        return True
    return -MAX_DATABASE_ID - 1 <= value <= MAX_DATABASE_ID


class RelatedExactInRange(RelatedExact):
    def process_rhs(self, compiler, connection):
        if not holdable(self.rhs):
            raise EmptyResultSet  # matches no row
        return super().process_rhs(compiler, connection)


class HoldableValuesOnly:
    """An `in` lookup without the values no row can have (none left: nothing
    found, as Django's `in` does with an empty list)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if holdable(value)]
        return super().process_rhs(compiler, connection)


class RelatedInInRange(HoldableValuesOnly, RelatedIn):
    pass


class IntegerInInRange(HoldableValuesOnly, In):
    pass


def register() -> None:
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInInRange)
    IntegerField.register_lookup(IntegerInInRange)

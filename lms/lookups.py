"""Lookups through a relation that find nothing for a number the database
cannot hold, registered once in LmsConfig.ready.

Django's integer lookups already do so (IntegerFieldOverflow), but a lookup
through a foreign key or a page's parent link (`CohortPage.objects.get(pk=…)`:
a page's primary key is its link to Wagtail's Page) passes the number on, and
SQLite raises OverflowError past 2**63 - 1. A ModelChoiceField given such a
value, or a filter on it, was a server error instead of "Select a valid choice"
or nothing found.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn

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


class RelatedInInRange(RelatedIn):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if holdable(value)]
        return super().process_rhs(compiler, connection)  # none left: nothing found


def register() -> None:
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInInRange)

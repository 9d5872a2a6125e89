"""Organisations' part of a person's data, through the hooks plugins answer:
the organisations they belong to are theirs; confirming someone else's
belonging is the other person's."""

from lms.hookspecs import hookimpl
from organisations.models import Affiliation


@hookimpl
def lms_export_user_data(user):
    return {
        "affiliations": [
            {
                "organisation": affiliation.organisation_name,
                "role": affiliation.role,
                "added": affiliation.created_at,
                "confirmed": affiliation.confirmed_at,
            }
            for affiliation in Affiliation.objects.filter(user=user).select_related(
                "organisation"
            )
        ]
    }


@hookimpl(trylast=True)
def lms_erase_user_data(user):
    Affiliation.objects.filter(user=user).delete()
    Affiliation.objects.filter(confirmed_by=user).update(confirmed_by=None)

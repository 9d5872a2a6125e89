"""The part of the public API that imports Django models.

Import it through `sdk` (`from sdk import CohortPage`), which loads this
module on first use: it can be imported only once Django's apps are loaded.
Grouped by the module each name comes from.
"""

from cohorts.admin_views import (
    PermittedChooserViewSet,
    PermittedDeleteBulkAction,
    ScopedChooserViewSet,
    ScopedDeleteBulkAction,
)
from cohorts.group_pages import nav_context, plugin_space
from cohorts.membership import record_goal
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership, Program
from cohorts.panels import drop_panels_with_memberships
from cohorts.permissions import (
    STAFF_ROLES,
    ProgramLeadsPolicy,
    admitted_by_privacy,
    groups_using_plugin,
    insider,
    leads_cohort,
    led_programs,
    managed_cohorts,
    privacy_refuses,
    staff_role,
    viewable_cohort,
    viewable_groups,
    viewable_pages,
)
from cohorts.permissions import can_facilitate as facilitates
from cohorts.permissions import membership as is_member
from cohorts.privacy import shown_name
from content.filters import (
    in_active_language,
    language_filter,
    topic_filter,
    topics_in_use,
    translated_filter,
)
from content.listings import filter_and_paginate
from content.models import RESOURCE_LANGUAGES, ResourcePage, StandardPage, Topic
from content.terms import TranslatableTerm
from insights.organisations import (
    Participation,
    organisation_participation,
    organisation_work,
    organisations_attending,
)
from insights.outcomes import as_csv as report_as_csv
from insights.outcomes import as_xlsx as reports_as_xlsx
from lms.delivery import deliver_once, sent_counts
from lms.people import display_name, staff_label
from lms.personal_data import addresses_of
from lms.spreadsheets import SafeCsvWriter, SafeExportMixin, quote_formula
from lms.throttle import may_leave_message
from lms.versioned_cache import VersionedCache
from notifications.emails import email_language, email_member, link
from notifications.inbox import notify
from organisations.belonging import organisation_named, same_name
from organisations.models import Affiliation, Organisation
from scheduling.models import Session, SessionSeries
from scheduling.permissions import sees_session_place

__all__ = [
    "CURRENT_MEMBER_STATUSES",
    "RESOURCE_LANGUAGES",
    "STAFF_ROLES",
    "Affiliation",
    "CohortPage",
    "Membership",
    "Organisation",
    "Participation",
    "PermittedChooserViewSet",
    "PermittedDeleteBulkAction",
    "Program",
    "ProgramLeadsPolicy",
    "ResourcePage",
    "SafeCsvWriter",
    "SafeExportMixin",
    "ScopedChooserViewSet",
    "ScopedDeleteBulkAction",
    "Session",
    "SessionSeries",
    "StandardPage",
    "Topic",
    "TranslatableTerm",
    "VersionedCache",
    "addresses_of",
    "admitted_by_privacy",
    "deliver_once",
    "display_name",
    "drop_panels_with_memberships",
    "email_language",
    "email_member",
    "facilitates",
    "filter_and_paginate",
    "groups_using_plugin",
    "in_active_language",
    "insider",
    "is_member",
    "language_filter",
    "leads_cohort",
    "led_programs",
    "link",
    "managed_cohorts",
    "may_leave_message",
    "nav_context",
    "notify",
    "organisation_named",
    "organisation_participation",
    "organisation_work",
    "organisations_attending",
    "plugin_space",
    "privacy_refuses",
    "quote_formula",
    "record_goal",
    "report_as_csv",
    "reports_as_xlsx",
    "same_name",
    "sees_session_place",
    "sent_counts",
    "shown_name",
    "staff_label",
    "staff_role",
    "topic_filter",
    "topics_in_use",
    "translated_filter",
    "viewable_cohort",
    "viewable_groups",
    "viewable_pages",
]

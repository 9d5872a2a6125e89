"""The public API for plugins: the only part of core a plugin imports.

    from sdk import hookimpl, Panel, Tab, PluginConfig, is_member, plugin_space

Tests import `sdk.testing` as well, and demo loaders `sdk.demo`. Everything
else in core may change without notice; docs/plugins.md documents each name
here. The definitions live in core's apps: this package only re-exports them,
so that core can move them without breaking plugins.

A plugin's apps.py imports `PluginConfig` from here while Django is still
loading the apps, before any model exists, so this module imports no models:
the names that need them come from `sdk.with_models`, looked up on first use.
"""

from importlib import import_module
from typing import Any

from content.logos import logo_alt_field, logo_field, logo_without_words
from lms.activity import latest_per_person
from lms.dates import day, day_and_time, full_date
from lms.events import (
    AttendanceRecorded,
    CohortCompleted,
    Event,
    LessonCompleted,
    MemberJoined,
    MemberLeft,
    RSVPChanged,
    SessionCancelled,
    SessionScheduled,
)
from lms.files import (
    SHARED_FILE_EXTENSIONS,
    XLSX,
    MaxFileSize,
    PrivateStorage,
    delete_on_commit,
    private_download,
    serve_private,
)
from lms.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    CheckedFormSet,
    DatabaseIdField,
    PlainTextForm,
    TickBox,
    first_error,
)
from lms.hookspecs import (
    Activity,
    CalendarItem,
    Delivery,
    Embed,
    Group,
    Measure,
    NotificationKind,
    OrganisationWork,
    Panel,
    Period,
    ProgramLike,
    Report,
    Tab,
    Testimony,
    hookimpl,
)
from lms.mail import send_templated_email
from lms.plugins import PluginConfig
from lms.task_queues import EMAIL_QUEUE
from lms.timezones import zone_name
from lms.tokens import make_token, read_token
from lms.user_text import plain_text, render_markdown

# Kept in step with sdk.with_models.__all__ (a test checks).
WITH_MODELS = (
    "VersionedCache",
    "deliver_once",
    "sent_counts",
    "record_goal",
    "display_name",
    "staff_label",
    "CURRENT_MEMBER_STATUSES",
    "CohortPage",
    "Membership",
    "Program",
    "Organisation",
    "Affiliation",
    "ProgramLeadsPolicy",
    "PermittedChooserViewSet",
    "PermittedDeleteBulkAction",
    "SafeCsvWriter",
    "TranslatableTerm",
    "SafeExportMixin",
    "quote_formula",
    "ScopedChooserViewSet",
    "ScopedDeleteBulkAction",
    "drop_panels_with_memberships",
    "Session",
    "SessionSeries",
    "email_language",
    "email_member",
    "link",
    "organisation_participation",
    "organisation_work",
    "organisations_attending",
    "organisation_named",
    "same_name",
    "report_as_csv",
    "reports_as_xlsx",
    "Participation",
    "may_leave_message",
    "notify",
    "facilitates",
    "groups_using_plugin",
    "STAFF_ROLES",
    "insider",
    "is_member",
    "leads_cohort",
    "led_programs",
    "managed_cohorts",
    "privacy_refuses",
    "staff_role",
    "viewable_cohort",
    "viewable_groups",
    "viewable_pages",
    "addresses_of",
    "admitted_by_privacy",
    "shown_name",
    "nav_context",
    "plugin_space",
    "language_filter",
    "topic_filter",
    "topics_in_use",
    "translated_filter",
    "in_active_language",
    "RESOURCE_LANGUAGES",
    "ResourcePage",
    "sees_session_place",
    "StandardPage",
    "Topic",
    "filter_and_paginate",
)

__all__ = [
    "EMAIL_QUEUE",
    "Activity",
    "AttendanceRecorded",
    "BoundedDateField",
    "BoundedDateTimeField",
    "CalendarItem",
    "CheckedFormSet",
    "CohortCompleted",
    "DatabaseIdField",
    "Delivery",
    "Embed",
    "Event",
    "Group",
    "LessonCompleted",
    "MaxFileSize",
    "SHARED_FILE_EXTENSIONS",
    "XLSX",
    "Measure",
    "MemberJoined",
    "MemberLeft",
    "NotificationKind",
    "OrganisationWork",
    "Panel",
    "Period",
    "PlainTextForm",
    "PluginConfig",
    "PrivateStorage",
    "ProgramLike",
    "RSVPChanged",
    "Report",
    "SessionCancelled",
    "SessionScheduled",
    "Tab",
    "Testimony",
    "TickBox",
    "day",
    "day_and_time",
    "delete_on_commit",
    "first_error",
    "full_date",
    "hookimpl",
    "latest_per_person",
    "logo_alt_field",
    "logo_field",
    "logo_without_words",
    "make_token",
    "plain_text",
    "read_token",
    "render_markdown",
    "private_download",
    "send_templated_email",
    "serve_private",
    "zone_name",
    *WITH_MODELS,
]


def __getattr__(name: str) -> Any:
    # Module-level __getattr__ (PEP 562) runs only for names not defined
    # above: those that need Django's models, imported once the apps are
    # loaded (the first lookup is at the earliest from a plugin's models.py).
    if name in WITH_MODELS:
        value = getattr(import_module("sdk.with_models"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sdk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

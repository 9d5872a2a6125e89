"""A person's data, end to end: one download of everything the site holds
about them, and erasure.

Core apps and plugins answer through the same two hooks,
`lms_export_user_data` and `lms_erase_user_data` (cohorts and newsletter
register theirs in their AppConfig.ready, as plugins do); this module adds
the account itself (the user row, allauth's addresses, Wagtail's profile and
log labels, queued tasks) and packs or deletes.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from lms.audit import AuditEntry, record
from lms.files import delete_on_commit
from lms.models import Delivery
from lms.plugins import call_each, plugin_configs

EXPORT_HOOK = "lms_export_user_data"
ERASE_HOOK = "lms_erase_user_data"
# In a file the person keeps: the same name in every language.
DATA_FILE = "data.json"
FILES_FOLDER = "files"


# Every model outside the plugins with a person's key or an e-mail address,
# and what the download and erasure do with it (plugins answer for their own
# models through the hooks; tests/test_your_data.py fails on a model in
# neither place).
CORE_MODELS = {
    "lms.User": "exported; deleted last",
    "lms.Delivery": "exported; deleted with the account",
    "lms.AuditEntry": "actions about them exported; ids only, people emptied",
    "account.EmailAddress": "exported; deleted with the account",
    "cohorts.Membership": "exported; left (waiting lists move), then deleted",
    "scheduling.RSVP": "exported; seats given up (waiting lists move), then deleted",
    "scheduling.Attendance": "exported; deleted, or kept without who recorded it",
    "calendars.CalendarFeed": "exported; deleted with the account",
    "notifications.Announcement": "exported; kept for the group without the author",
    "notifications.Notification": "exported; deleted with the account, kept for "
    "others without them as the one who acted",
    "notifications.NotificationPreference": "exported; deleted with the account",
    "learning.LessonProgress": "exported with the answers; deleted",
    "learning.Certificate": "exported; deleted",
    "cohorts.PendingJoin": "exported and deleted, by any of their addresses",
    "cohorts.Program": "programs they lead exported; removed as a lead",
    "insights.IndicatorResult": "the program's results: kept without who entered them",
    "chapters.AdoptedCourse": "the chapter's copy: kept without who adopted it",
    "newsletter.Subscriber": "exported and deleted, by any of their addresses",
    "organisations.Affiliation": "exported; deleted, kept for others without "
    "them as the one who confirmed it",
    "content.ProgramSettings": "the program's contact address, not a person's",
    "wagtailusers.UserProfile": "exported; deleted with its avatar",
    "wagtailcore.ModelLogEntry": "ids only; the label naming them is replaced",
    "wagtailcore.PageLogEntry": "ids only",
    "wagtailcore.Revision": "kept for the page without the editor",
    "wagtailcore.Page": "kept without the owner or lock",
    "wagtailcore.WorkflowState": "kept without who asked",
    "wagtailcore.TaskState": "kept without who finished it",
    "wagtailcore.Comment": "deleted with the account (Wagtail's cascade)",
    "wagtailcore.CommentReply": "deleted with the account (Wagtail's cascade)",
    "wagtailcore.PageSubscription": "deleted with the account",
    "wagtailcore.APIToken": "deleted with the account",
    "wagtailcore.UploadedFile": "kept for the site without the uploader",
    "wagtailimages.Image": "kept for the site without the uploader",
    "wagtaildocs.Document": "kept for the site without the uploader",
    "wagtailadmin.EditingSession": "deleted with the account",
    "wagtailadmin.FormState": "deleted with the account",
    "wagtail_localize.StringTranslation": "kept without the translator",
    "wagtail_localize.SegmentOverride": "kept without the translator",
}


class ErasureFailed(Exception):
    """A part of the site could not erase its data; nothing was erased."""


def addresses_of(user: AbstractBaseUser) -> set[str]:
    """The addresses that are the person's, lower-cased: the account's and
    those they verified. An address merely added in allauth may be anyone's,
    so what is filed under it is neither exported to them nor erased."""
    verified = EmailAddress.objects.filter(user=user, verified=True)
    return {user.email.lower()} | {
        address.lower() for address in verified.values_list("email", flat=True)
    }


# --- export ------------------------------------------------------------------


@dataclass
class _Archive:
    """Files met while the JSON is written, each named by its place in the ZIP."""

    files: dict[str, FieldFile] = field(default_factory=dict)

    def encode(self, value: Any, folder: str) -> Any:
        """`value` as plain JSON data, each file in it replaced by its name in
        the archive (None when the file is missing from storage)."""
        archive = self

        class Encoder(DjangoJSONEncoder):
            def default(self, value: Any) -> Any:
                if isinstance(value, FieldFile):
                    return archive.add(folder, value)
                return super().default(value)

        return json.loads(json.dumps(value, cls=Encoder))

    def add(self, folder: str, file: FieldFile) -> str | None:
        if not file or not file.storage.exists(file.name):
            return None
        name = f"{FILES_FOLDER}/{folder}/{file.name}"
        self.files[name] = file
        return name


def export_sections(user: AbstractBaseUser) -> dict[str, Any]:
    """What the download's JSON holds: the account, each core app's part under
    its app label, each plugin's under "plugins" and its label. A part that
    failed is named in "incomplete" rather than left out silently."""
    plugin_labels = {config.label for config in plugin_configs()}
    sections: dict[str, Any] = {
        "exported_at": timezone.now(),
        "account": account_data(user),
        "plugins": {},
        "incomplete": [],
    }
    for result in call_each(EXPORT_HOOK, user=user):
        if result.error is not None:
            sections["incomplete"].append(result.plugin)
        elif result.plugin in plugin_labels:
            sections["plugins"][result.plugin] = result.value or {}
        else:
            sections[result.plugin] = result.value or {}
    return sections


def export_archive(user: AbstractBaseUser) -> SpooledTemporaryFile:
    """One ZIP with data.json and the person's files under files/.

    Always a ZIP, even with no files: one format to open whatever the
    person has, the JSON's file names always point inside the same archive,
    and files travel as they are rather than base64 in the JSON.
    """
    archive = _Archive()
    sections = export_sections(user)
    # Each part is encoded on its own so that its files go under its label.
    data = {
        key: archive.encode(value, folder=key)
        for key, value in sections.items()
        if key != "plugins"
    }
    data["plugins"] = {
        label: archive.encode(value, folder=label)
        for label, value in sections["plugins"].items()
    }
    # Returned open: the response that sends it closes it.
    spool = SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(DATA_FILE, json.dumps(data, indent=2, ensure_ascii=False))
        zipped.writestr("README.txt", _readme())
        for name, file in archive.files.items():
            with file.open("rb") as source, zipped.open(name, "w") as target:
                shutil.copyfileobj(source, target)
    spool.seek(0)
    return spool


def _readme() -> str:
    return _(
        "This archive holds what the site keeps about you. data.json has your "
        "account, groups, answers and what each part of the site stores; the "
        "files folder has the files you uploaded or were given privately."
    )


def account_data(user: AbstractBaseUser) -> dict[str, Any]:
    """The account itself: details, addresses, settings, what was sent and
    what the audit log says about it (actions and times)."""
    profile = UserProfile.objects.filter(user=user).first()
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "session_reminders": user.session_reminders,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "admin_profile": {
            "language": profile.preferred_language,
            "time_zone": profile.current_time_zone,
            "avatar": profile.avatar or None,
        }
        if profile
        else None,
        "messages_sent": [
            {"what": key, "sent": sent}
            for key, sent in Delivery.objects.filter(user=user).values_list(
                "key", "sent_at"
            )
        ],
        "audit_log": [
            {"action": action, "at": at}
            for action, at in AuditEntry.objects.filter(subject=user).values_list(
                "action", "at"
            )
        ],
    }


# --- erasure -----------------------------------------------------------------


def erase(user: AbstractBaseUser, *, by: AbstractBaseUser) -> None:
    """Erase the person: every plugin's part first, then the core apps', then
    the account. One transaction, so a part that fails leaves everything as
    it was (ErasureFailed) rather than half a person.

    The audit entry is written first so it keeps the ids; its subject (and
    actor, for someone erasing themselves) empties when the user row goes.
    """
    with transaction.atomic():
        record(by, "data.erase", subject=user, before={"user_id": user.pk})
        for result in call_each(ERASE_HOOK, user=user):
            if result.error is not None:
                raise ErasureFailed(result.plugin)
        _erase_account(user)


def _erase_account(user: AbstractBaseUser) -> None:
    addresses = addresses_of(user)
    # Core's tasks take ids, which name nothing once the rows are gone; a
    # plugin's task may keep an address in its arguments, queued or finished:
    # a JSON string equal to one of the person's addresses is theirs.
    for address in addresses:
        DBTaskResult.objects.filter(args_kwargs__icontains=f'"{address}"').delete()
    # Wagtail's log names a user it created or edited by their name.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(label=f"#{user.pk}")
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None:
        delete_on_commit(profile.avatar)
    user.delete()

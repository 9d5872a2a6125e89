"""Private files: stored outside MEDIA_ROOT, served only by permission-checked views.

Wagtail images have no privacy and documents are only as private as their
collection, so attachments that belong to one person (coaching notes, draft
proposals) use this storage instead. It has no public URL at all.
"""

import os
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible(path="lms.files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read when used (tests move it)."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them with serve_private.")


def serve_private(file: FieldFile) -> FileResponse:
    """A download of `file`, for a view that has already checked who asks."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=PurePath(file.name).name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_on_commit(file: FieldFile) -> None:
    """Remove a deleted row's stored file once the deletion commits, so a
    rolled-back one (an erasure a plugin stopped) keeps its file."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


@deconstructible(path="lms.files.MaxFileSize")
class MaxFileSize:
    """A form or model validator refusing uploads bigger than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, upload) -> None:
        if upload and upload.size > self.limit:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(self.limit),
                },
                code="file_too_big",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxFileSize) and other.limit == self.limit

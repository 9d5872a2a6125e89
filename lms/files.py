"""Private files: never under a public address, served only by permission-checked views.

Wagtail images have no privacy and documents are only as private as their
collection, so attachments that belong to one person (coaching notes, draft
proposals) use `PrivateStorage` instead. It stands for the storage
`STORAGES["private"]`: a folder outside MEDIA_ROOT by default
(`PrivateFileSystemStorage`), or a private bucket of S3-compatible object
storage (`PrivateS3Storage`) when the settings name one. Either has no URL at
all: `serve_private` streams a file through the view that checked who asks,
so no link to it can be passed on.
"""

import os
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from storages.backends.s3 import S3Storage

PRIVATE_STORAGE = "private"
NO_URL = "Private files have no URL; serve them with serve_private."


class PrivateStorage(LazyObject):
    """The storage of private files (`STORAGES["private"]`), as Django's
    `default_storage` stands for the default one: model fields keep this one
    name in their migrations whichever storage the settings choose."""

    @property
    def _wrapped(self) -> Any:
        # Looked up at each use (Django keeps the instance): a change of
        # STORAGES (tests) reaches every field holding this proxy.
        return storages[PRIVATE_STORAGE]

    def _setup(self) -> None:
        pass

    def __deepcopy__(self, memo: dict) -> "PrivateStorage":
        return type(self)()

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return ("lms.files.PrivateStorage", (), {})


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read when used (tests move it)."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError(NO_URL)


class PrivateS3Storage(S3Storage):
    """A private bucket: objects stored without public access and never given
    an address (not even a signed one, which anyone could be sent)."""

    default_acl = "private"
    querystring_auth = True

    def url(self, name: str | None, *args, **kwargs) -> str:
        raise ValueError(NO_URL)


# What members hand each other (coaching attachments, files on posts):
# documents, spreadsheets, slides and photos.
SHARED_FILE_EXTENSIONS = [
    "pdf", "doc", "docx", "odt", "txt", "rtf", "xls", "xlsx", "ods", "csv",
    "ppt", "pptx", "odp", "png", "jpg", "jpeg",
]  # fmt: skip


# What a spreadsheet download says it is.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def private_download(content, filename: str, content_type: str) -> HttpResponse:
    """What a view made for the person asking (a report, an export, their
    certificate) as a file to save, which no cache on the way or in the
    browser keeps. A CSV writer may write more into it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_private(file: FieldFile, *, inline: bool = False) -> FileResponse:
    """A download of `file`, for a view that has already checked who asks;
    `inline`, shown in the page instead (a picture in a post: check that it
    is one, since its type follows its name)."""
    response = FileResponse(
        file.open("rb"), as_attachment=not inline, filename=PurePath(file.name).name
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

"""Sending e-mail written as templates, in the recipient's language."""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """The site's address of `path`. A page's `url` is already whole when the
    installation has several sites (chapters): it is kept as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_templated_email(
    template_prefix: str,
    context: Mapping[str, Any],
    to: str,
    language: str,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`, send.

    `attachments` are (file name, content, MIME type).
    """
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string(f"{template_prefix}.txt", context),
            to=[to],
            headers=dict(headers or {}),
        )
        message.attach_alternative(
            render_to_string(f"{template_prefix}.html", context), "text/html"
        )
        for attachment in attachments:
            message.attach(*attachment)
        message.send()

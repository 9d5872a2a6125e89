"""Plugin content inside lessons: what plugins offer, and showing one.

A lesson stores the choice as "<plugin label>:<key>". Showing it calls that
plugin alone; a plugin that fails shows a small error box, and one that is
no longer installed a short note, while the rest of the lesson renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from lms.plugins import call_each


@dataclass(frozen=True)
class RenderedEmbed:
    html: SafeString | str = ""
    available: bool = True
    failed: bool = False


def embed_choices() -> list[tuple[str, str]]:
    """(stored value, label) of everything installed plugins offer."""
    choices = []
    for result in call_each("lms_lesson_embeds"):
        if result.error is not None:
            continue
        name = _plugin_name(result.plugin)
        for embed in result.value or []:
            choices.append((f"{result.plugin}:{embed.key}", f"{name}: {embed.label}"))
    return choices


def render_embed(
    choice: str,
    user: AbstractBaseUser,
    cohort: Any | None = None,
    request: HttpRequest | None = None,
) -> RenderedEmbed:
    plugin, _, key = choice.partition(":")
    results = call_each(
        "lms_render_embed",
        plugins=[plugin],
        key=key,
        user=user,
        cohort=cohort,
        request=request,
    )
    if not results:  # the plugin is not installed or not enabled (any more)
        return RenderedEmbed(available=False)
    (result,) = results
    if result.error is not None:
        return RenderedEmbed(failed=True)
    # Plugins' rendered templates are safe already; plain text is escaped.
    return RenderedEmbed(conditional_escape(result.value or ""))


def _plugin_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label

"""Dashboard panels from plugins, each rendered in isolation.

A plugin whose hook raises, or whose template fails, gets a small error box
in place of its panel; the rest of the page renders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from lms.hookspecs import Panel
from lms.plugins import call_each, strict

CSRF_FIELD = 'name="csrfmiddlewaretoken"'

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPanel:
    plugin: str
    title: str
    html: SafeString | str = ""
    failed: bool = False


def render_panels(
    request: HttpRequest, cohort: Any | None = None, plugins: list[str] | None = None
) -> list[RenderedPanel]:
    rendered = []
    for result in call_each(
        "lms_dashboard_panels",
        plugins=plugins,
        user=request.user,
        cohort=cohort,
        request=request,
    ):
        if result.error is not None:
            rendered.append(RenderedPanel(result.plugin, result.plugin, failed=True))
            continue
        for panel in result.value or []:
            try:
                html = _render(panel, request)
            except Exception:
                logger.exception(
                    "Plugin '%s' panel template %s failed",
                    result.plugin,
                    panel.template,
                )
                if strict():
                    raise
                rendered.append(RenderedPanel(result.plugin, panel.title, failed=True))
            else:
                rendered.append(RenderedPanel(result.plugin, panel.title, html))
    return rendered


class _FormInPanel(Exception):
    def __init__(self, html: str) -> None:
        self.html = html


def _render(panel: Panel, request: HttpRequest) -> str:
    def render() -> str:
        context = panel.context() if callable(panel.context) else panel.context
        return render_to_string(panel.template, dict(context), request)

    def render_once() -> str:
        html = render()
        if CSRF_FIELD in html:
            # A form's token is good for one visitor: never show it to another.
            raise _FormInPanel(html)
        return html

    if panel.cache is None or not panel.cache_key:
        return render()
    try:
        return panel.cache.get(
            f"{panel.cache_key}:{translation.get_language()}", render_once
        )
    except _FormInPanel as form:
        logger.warning("Panel '%s' has a form, so it is not cached", panel.title)
        return form.html

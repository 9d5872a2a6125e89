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
from django.utils.safestring import SafeString

from lms.plugins import call_each, strict

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
                html = render_to_string(panel.template, dict(panel.context), request)
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

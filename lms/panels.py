"""Dashboard panels from plugins, each rendered in isolation.

A plugin whose hook raises, or whose template fails, gets a small error box
in place of its panel; the rest of the page renders. The panels of a page
share one template context, so the context processors run once for them all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import RequestContext
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from lms.hookspecs import Panel
from lms.plugins import call_each, strict
from lms.tokens import csrf_placeholder

logger = logging.getLogger(__name__)
# The template the panels are shown in (their context is bound to it).
PANELS_TEMPLATE = "lms/includes/panels.html"


@dataclass(frozen=True)
class RenderedPanel:
    """One plugin's panel as shown: its HTML, or `failed` for the error box."""

    plugin: str
    title: str
    html: SafeString | str = ""
    failed: bool = False


def render_panels(
    request: HttpRequest, cohort: Any | None = None, plugins: list[str] | None = None
) -> list[RenderedPanel]:
    rendered = []
    context = RequestContext(request)
    with context.bind_template(get_template(PANELS_TEMPLATE).template):
        for result in call_each(
            "lms_dashboard_panels",
            plugins=plugins,
            user=request.user,
            cohort=cohort,
            request=request,
        ):
            if result.error is not None:
                rendered.append(
                    RenderedPanel(result.plugin, result.plugin, failed=True)
                )
                continue
            for panel in result.value or []:
                shown = _isolated(result.plugin, panel, request, context)
                # A panel with nothing in it for this person is left out, so
                # a newcomer's page is not a wall of empty boxes.
                if shown.failed or shown.html.strip():
                    rendered.append(shown)
    return rendered


def _isolated(
    plugin: str, panel: Panel, request: HttpRequest, context: RequestContext
) -> RenderedPanel:
    try:
        html = _render(panel, request, context)
    except Exception:
        logger.exception(
            "Plugin '%s' panel template %s failed",
            plugin,
            panel.template,
            extra={"plugin": plugin, "template": panel.template},
        )
        if strict():
            raise
        return RenderedPanel(plugin, panel.title, failed=True)
    return RenderedPanel(plugin, panel.title, html)


def _render(panel: Panel, request: HttpRequest, context: RequestContext) -> SafeString:
    def render(csrf_token: str | None = None) -> SafeString:
        values = dict(panel.context() if callable(panel.context) else panel.context)
        if csrf_token is not None:
            values["csrf_token"] = csrf_token
        with context.push(values):
            return get_template(panel.template).template.render(context)

    if panel.cache is None or not panel.cache_key:
        return render()
    # A form's CSRF token belongs to one visitor: the kept HTML holds a
    # placeholder that only this site can write, swapped for the visitor's own.
    placeholder = csrf_placeholder()
    html = panel.cache.get(
        f"{panel.cache_key}:{translation.get_language()}",
        partial(render, placeholder),
        scope=panel.cache_scope,
    )
    if placeholder in html:
        html = mark_safe(html.replace(placeholder, get_token(request)))  # noqa: S308
    return html

"""Dashboard panels from plugins, each rendered in isolation.

A plugin whose hook raises, or whose template fails, gets a small error box
in place of its panel; the rest of the page renders. The panels of a page
share one template context, so the context processors run once for them all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template import RequestContext
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from lms.hookspecs import Panel
from lms.kept_together import Kept, keep_together, read_together
from lms.plugins import call_each, strict
from lms.serving import site_key
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
    context = RequestContext(request)
    with context.bind_template(get_template(PANELS_TEMPLATE).template):
        asked: list[tuple[str, Panel | None]] = []  # None: the hook failed
        for result in call_each(
            "lms_dashboard_panels",
            plugins=plugins,
            user=request.user,
            cohort=cohort,
            request=request,
        ):
            if result.error is not None:
                asked.append((result.plugin, None))
            else:
                asked.extend((result.plugin, panel) for panel in result.value or [])
        kept = _read_kept(panel for _plugin, panel in asked)
        rendered, built = [], []
        for plugin, panel in asked:
            if panel is None:
                rendered.append(RenderedPanel(plugin, plugin, failed=True))
                continue
            found = kept.get(id(panel))
            if found is not None and found.found:
                shown = RenderedPanel(
                    plugin, panel.title, _own_token(found.value, context)
                )
            else:
                shown = _isolated(plugin, panel, context, found, built)
            # A panel with nothing in it for this person is left out, so
            # a newcomer's page is not a wall of empty boxes.
            if shown.failed or shown.html.strip():
                rendered.append(shown)
        keep_together(built)
    return rendered


def _read_kept(panels: Iterable[Panel | None]) -> dict[int, Kept]:
    """The cached panels' kept HTML (by the panel's id), every one read in a
    single round trip to the cache; kept per site and language, as the
    addresses in it are written for them."""
    cached = [
        panel
        for panel in panels
        if panel is not None and panel.cache is not None and panel.cache_key
    ]
    addressed = f"{site_key()}:{translation.get_language()}"
    read = read_together(
        [
            (panel.cache, f"{panel.cache_key}:{addressed}", panel.cache_scope)
            for panel in cached
        ]
    )
    return {id(panel): kept for panel, kept in zip(cached, read, strict=True)}


def _isolated(
    plugin: str,
    panel: Panel,
    context: RequestContext,
    kept: Kept | None,
    built: list[tuple[Kept, str]],
) -> RenderedPanel:
    """The panel rendered, or the error box if it fails; a cached one's
    HTML added to `built` to be kept."""
    try:
        if kept is None:
            html = _render(panel, context)
        else:
            # A form's CSRF token belongs to one visitor: the kept HTML holds
            # a placeholder that only this site can write, swapped for the
            # visitor's own.
            html = _render(panel, context, csrf_placeholder())
            built.append((kept, html))
            html = _own_token(html, context)
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


def _render(
    panel: Panel, context: RequestContext, csrf_token: str | None = None
) -> SafeString:
    values = dict(panel.context() if callable(panel.context) else panel.context)
    if csrf_token is not None:
        values["csrf_token"] = csrf_token
    with context.push(values):
        return get_template(panel.template).template.render(context)


def _own_token(html: str, context: RequestContext) -> SafeString:
    """Kept HTML with the visitor's own CSRF token for the placeholder (the
    panels' context's, made once for all of them: making one costs more
    than a whole panel read from the cache)."""
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, str(context["csrf_token"]))
    return mark_safe(html)  # noqa: S308 (rendered by the panel's template)

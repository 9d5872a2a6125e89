"""Helpers for a plugin's demo data (`manage.py load_demo`).

Register a loader with `@register(order)`; it receives a `DemoReport`. Grouped
by the module each name comes from.
"""

from cohorts.demo import ZONE, member, next_weekday
from content.demo import (
    child_page,
    demo_document,
    demo_logo,
    in_spanish,
    paragraph,
    simple_pdf,
    topic,
    translation_of,
)
from content.site import ensure_home_page, ensure_locales
from lms.demo import DemoReport, demo_user, register
from scheduling.sessions import sync_series

__all__ = [
    "ZONE",
    "DemoReport",
    "child_page",
    "demo_document",
    "demo_logo",
    "demo_user",
    "ensure_home_page",
    "ensure_locales",
    "in_spanish",
    "member",
    "next_weekday",
    "paragraph",
    "register",
    "simple_pdf",
    "sync_series",
    "topic",
    "translation_of",
]

"""What a plugin's routes in the REST API use (the `lms_api_routes` hook):

    from sdk.api import PERSON, Pages, Router, Schema, answers, paginate

    router = Router(tags=["coaching"], auth=PERSON)

Its own authentication, pagination and problem documents, so a plugin's
routes answer as core's do (docs/api.md).
"""

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from api.auth import ANYONE, PERSON, check_staff_rights, staff_rights
from api.shapes import (
    LIST_PROBLEMS,
    PERSON_PROBLEMS,
    Pages,
    PlainText,
    ShapedPages,
    answers,
)

__all__ = [
    "ANYONE",
    "LIST_PROBLEMS",
    "PERSON",
    "PERSON_PROBLEMS",
    "Field",
    "HttpError",
    "Pages",
    "PlainText",
    "Router",
    "Schema",
    "ShapedPages",
    "answers",
    "check_staff_rights",
    "paginate",
    "staff_rights",
]

"""`/api/v1/`: the site's REST API (django-ninja, in the style of Wagtail's
own v3 API: problem details for errors, limit and offset pagination).

Permissions come from the functions the site's views use; the routers only
shape what they allow into JSON. Plugins add routers of their own
(`lms_api_routes`), mounted at `/api/v1/p/<label>/`. See docs/api.md.
"""

import math

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from wagtail.api.v3.errors import (
    PROBLEM_JSON,
    problem_response,
    register_exception_handlers,
)

from api import (
    calendar,
    course_library,
    courses,
    facilitating,
    inbox,
    leading,
    own,
    public,
)
from api.throttles import AnonymousRate, PersonRate
from lms.plugins import call_each


class LearningCommonsAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as what they are sent as: problem details."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {PROBLEM_JSON: content["application/json"]}
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """Named by the function, whichever module of the API holds it; a
        plugin's by its package and function."""
        package = _plugin_package(operation.view_func)
        return f"{package or 'api_v1'}_{operation.view_func.__name__}"

    def get_operation_url_name(self, operation, router) -> str:
        """Core's by the function (`api-v1:me`); a plugin's with its
        package first, so no plugin's name can take one of core's."""
        package = _plugin_package(operation.view_func)
        name = operation.view_func.__name__
        return f"{package}_{name}" if package else name


def _plugin_package(function) -> str | None:
    package = function.__module__.split(".")[0]
    return None if package == "api" else package


api = LearningCommonsAPI(
    title="Learning Commons API",
    version="1",
    description="Programs, groups and courses for everyone; a person's own "
    "data with their personal access token; a group's members, attendance, "
    "standing and reports for those who run it; a program's indicators and "
    "reports for its leads. See docs/api.md.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[AnonymousRate(), PersonRate()],
)
register_exception_handlers(api)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled):
    answer = problem_response(
        status=429, detail="Too many requests: try again after Retry-After seconds."
    )
    answer["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
    return answer


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError):
    return problem_response(status=401, detail="Authentication required")


api.add_router("", public.router)
api.add_router("", course_library.router)
api.add_router("", own.router)
api.add_router("", calendar.router)
api.add_router("", courses.router)
api.add_router("", inbox.router)
api.add_router("", facilitating.router)
api.add_router("", leading.router)
for result in call_each("lms_api_routes"):
    # A plugin whose hook failed is logged by call_each; its routes are left out.
    if result.error is None and result.value is not None:
        api.add_router(f"/p/{result.plugin}/", result.value)

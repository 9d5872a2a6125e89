import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Locale, Page, Site

# One reading of a response's text for core's tests and plugins' privacy matrix.
from sdk.testing import _body as body_of  # noqa: F401


def run_python(*args: str, env: dict[str, str | None] | None = None):
    """Run the project's Python (e.g. manage.py) in a subprocess from the root.
    A variable given as None is unset for it."""
    merged = {**os.environ, **(env or {}), "DJANGO_ALLOW_ASYNC_UNSAFE": None}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={name: value for name, value in merged.items() if value is not None},
        capture_output=True,
        text=True,
        check=False,
    )


def install_plugin(package: Path, site: Path) -> dict[str, str]:
    """Install the plugin in folder `package` into `site`, a folder of its own,
    not into the project's environment (runs side by side share it); the
    environment to give run_python so that the plugin is found and on alone.
    No build isolation: hatchling comes from the dev environment, no network."""
    install = run_python(
        "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--target", str(site), str(package),
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    # pytest-django adds this suffix to the test database's name: a plugin's
    # own pytest run never drops this run's test database, nor another
    # plugin's run beside it on the other xdist worker.
    suffix = "plugin_" + package.name.replace("-", "_")
    return {"PYTHONPATH": path, "TOX_PARALLEL_ENV": suffix}


def panel_of(user, plugin: str, cohort=None) -> tuple[str, int]:
    """One plugin's dashboard panel for `user`: its HTML and the queries it took."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from lms.panels import render_panels

    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        panels = render_panels(request, cohort, plugins=[plugin])
    assert len(panels) <= 1, panels
    return (str(panels[0].html) if panels else ""), len(queries)


def restrict_to(page, *people):
    """Wagtail's privacy setting "private, for these groups" on `page`, for a
    new Django group holding `people` (returned, to add more later)."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    group = Group.objects.create(name=f"Only for page {page.pk}")
    group.user_set.add(*people)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(group)
    return group


def undocumented(code: Path, pattern: str, known: set[str]) -> list[str]:
    """The environment variables `code` reads (each match of `pattern`) that
    docs/deploy.md does not name; `known` must be among those read."""
    variables = set(re.findall(pattern, code.read_text()))
    assert known <= variables, f"{code} no longer reads {known - variables}"
    guide = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    return sorted(name for name in variables if not re.search(rf"\b{name}\b", guide))


def site_address(page) -> tuple[str, str]:
    """(host name, path) a page answers at: its own site's (a chapter's pages
    are at the chapter's host name, the network's at the default site's)."""
    _site_id, root_url, path = page.get_url_parts()
    return urlsplit(root_url).hostname, path


def default_site_pages() -> dict[str, object]:
    """The default site's live pages (where the test client and the live
    server ask) by their path there; a chapter's are at its own host name."""
    default = Site.objects.get(is_default_site=True)
    found = {}
    for page in Page.objects.live().specific().exclude(depth=1):
        site_id, _root_url, path = page.get_url_parts() or (None, None, None)
        if site_id == default.pk:
            found[path] = page
    return found


def default_home(language: str):
    """The default site's home page in `language`."""
    home = Site.objects.get(is_default_site=True).root_page
    return home.get_translation(Locale.objects.get(language_code=language)).specific

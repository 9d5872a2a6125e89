import keyword
import re
import sys
from pathlib import Path
from string import Template

from django.core.management.base import BaseCommand, CommandError

FILES = {
    "pyproject.toml": """\
[project]
name = "$distribution"
version = "0.1.0"
description = "A Learning Commons plugin."
requires-python = ">=3.11"
dependencies = []

[project.entry-points."lms.plugins"]
$label = "$module"

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["$module"]

[tool.pytest.ini_options]
DJANGO_SETTINGS_MODULE = "lms.settings.test"
addopts = "-p sdk.testing"
""",
    "README.md": """\
# $distribution

A Learning Commons plugin. Install it into the LMS's environment, enable it
beside the plugins already on (LMS_PLUGINS_EXTRA adds to them; LMS_PLUGINS
would replace them) and migrate:

    pip install .
    LMS_PLUGINS_EXTRA=$label python manage.py migrate
    LMS_PLUGINS_EXTRA=$label python manage.py lms_plugins --check

Run its tests from the LMS checkout:

    LMS_PLUGINS_EXTRA=$label python -m pytest path/to/$distribution/tests
""",
    "$module/__init__.py": "",
    "$module/apps.py": """\
from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class ${camel}Config(PluginConfig):
    name = "$module"
    label = "$label"
    verbose_name = _("$title")
    requires_lms = ">=0.1,<2"
    default_settings = {}
""",
    "$module/hooks.py": """\
from django.utils.translation import gettext as _

from sdk import Panel, hookimpl


@hookimpl
def lms_dashboard_panels(user, request):
    return [Panel(title=_("$title"), template="$module/panel.html")]
""",
    "$module/templates/$module/panel.html": """\
{% load i18n %}
<p>{% translate "Hello from the $title plugin." %}</p>
""",
    "tests/test_$label.py": """\
import pytest

from sdk.testing import check_plugin, render_panels


def test_plugin_meets_the_plugin_contract(db):
    assert check_plugin("$label") == []


def test_dashboard_shows_the_panel(rf, django_user_model, db, strict_hooks):
    request = rf.get("/")
    request.user = django_user_model.objects.create_user("p@example.org")
    panels = [p for p in render_panels(request) if p.plugin == "$label"]
    assert [p.title for p in panels] == ["$title"]
    assert "Hello from the $title plugin." in panels[0].html
""",
}


def is_lower_identifier(name: str) -> bool:
    return bool(re.fullmatch(r"[a-z][a-z0-9_]*", name)) and not keyword.iskeyword(name)


class Command(BaseCommand):
    help = "Create a working plugin package (pyproject, PluginConfig, hooks, test)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the plugin's label, e.g. reading_notes")
        parser.add_argument(
            "--dir", default=".", help="folder to create the package folder in"
        )
        parser.add_argument(
            "--module",
            help="the Python package's name (default lms_plugin_<name>); the "
            "distribution is named after it, with dashes",
        )

    def handle(self, *args, name: str, dir: str, module: str | None, **options):
        if not is_lower_identifier(name):
            raise CommandError(
                "The name must be lower case letters, digits and underscores, "
                "starting with a letter, e.g. reading_notes."
            )
        module = module or f"lms_plugin_{name}"
        if not is_lower_identifier(module) or module in sys.stdlib_module_names:
            raise CommandError(
                f"--module {module!r} must be lower case letters, digits and "
                "underscores, starting with a letter, and not a module of "
                "Python's own, e.g. lms_reading_notes."
            )
        words = name.split("_")
        values = {
            "label": name,
            "module": module,
            "distribution": module.replace("_", "-"),
            "camel": "".join(word.capitalize() for word in words),
            "title": " ".join(words).capitalize(),
        }
        target = Path(dir) / values["distribution"]
        if target.exists():
            raise CommandError(f"{target} already exists; choose another --dir.")
        for path, content in FILES.items():
            destination = target / Template(path).substitute(values)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(Template(content).substitute(values))
        self.stdout.write(self.style.SUCCESS(f"Created {target}"))
        self.stdout.write(
            f"Next: pip install {target}, then enable it with "
            f"LMS_PLUGINS_EXTRA={name} (see its README)."
        )

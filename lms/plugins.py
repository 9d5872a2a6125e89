"""The plugin framework: discovery, configuration, hook calls and isolation.

A plugin is a Django app whose AppConfig subclasses `PluginConfig`, shipped in
a package that declares an entry point in the group `lms.plugins`. Settings
call `plugin_apps(LMS_PLUGINS)` to add the enabled plugins that load to
INSTALLED_APPS; a plugin that is missing, fails to import or needs another
LMS version is left out and reported (admin, logs, `manage.py lms_plugins`),
never a crash. Core calls hooks only through `call_each` and `collect`.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy
from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from lms import __version__, hookspecs

ENTRY_POINT_GROUP = "lms.plugins"
logger = logging.getLogger(__name__)

plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
plugin_manager.add_hookspecs(hookspecs)


@dataclass
class PluginStatus:
    """What start-up learnt about one plugin named in LMS_PLUGINS."""

    name: str
    module: str = ""
    version: str = ""
    label: str = ""
    loaded: bool = False
    error: str = ""
    hooks: list[str] = field(default_factory=list)
    # Why it is on: which setting or variable named it (lms_plugins prints it).
    reason: str = "installed directly in INSTALLED_APPS"

    @property
    def healthy(self) -> bool:
        return self.loaded and not self.error


# Filled at settings time by plugin_apps(), completed by PluginConfig.ready().
statuses: dict[str, PluginStatus] = {}


class PluginConfig(AppConfig):
    """Base AppConfig for plugins.

    requires_lms: a version specifier (PEP 440) this LMS must satisfy.
    default_settings: every setting the plugin reads, with its default.
    required_settings: settings an operator must supply in LMS_PLUGINS_CONFIG.
    cohort_scoped: leads switch the plugin on per cohort.
    setting_problems(): what is wrong with the settings' values (override it).
    """

    requires_lms: str = ""
    default_settings: dict[str, Any] = {}
    required_settings: tuple[str, ...] = ()
    cohort_scoped: bool = False
    hooks_module: str = "hooks"
    urls_module: str = "urls"

    @property
    def plugin_settings(self) -> dict[str, Any]:
        configured = getattr(settings, "LMS_PLUGINS_CONFIG", {}).get(self.label, {})
        return {**self.default_settings, **configured}

    def setting_problems(self, values: dict[str, Any]) -> list[str]:
        """What is wrong with the merged settings' values, each a sentence
        naming the setting; start-up stops on any. None by default."""
        return []

    def ready(self) -> None:
        problems = settings_problems(self)
        if problems:
            raise ImproperlyConfigured(
                f"Plugin '{self.label}' is misconfigured in LMS_PLUGINS_CONFIG: "
                + "; ".join(problems)
            )
        register_hooks(self)


def settings_problems(config: PluginConfig) -> list[str]:
    configured = getattr(settings, "LMS_PLUGINS_CONFIG", {}).get(config.label, {})
    known = set(config.default_settings) | set(config.required_settings)
    problems = [
        f"unknown setting '{key}' (known: {', '.join(sorted(known)) or 'none'})"
        for key in sorted(set(configured) - known)
    ]
    problems += [
        f"required setting '{key}' is missing"
        for key in config.required_settings
        if key not in configured
    ]
    return problems or config.setting_problems(config.plugin_settings)


def register_hooks(config: PluginConfig) -> None:
    """Register the plugin's hooks module; a misspelt hook fails start-up."""
    module_name = f"{config.name}.{config.hooks_module}"
    if importlib.util.find_spec(module_name) is None:
        hooks_module = None
    else:
        hooks_module = importlib.import_module(module_name)
        if not plugin_manager.is_registered(hooks_module):
            plugin_manager.register(hooks_module, name=config.label)
        plugin_manager.check_pending()
    status = status_for_module(config.name)
    status.label = config.label
    status.loaded = True
    status.hooks = implemented_hooks(config.label) if hooks_module else []


def implemented_hooks(plugin_name: str) -> list[str]:
    plugin = plugin_manager.get_plugin(plugin_name)
    if plugin is None:
        return []
    return sorted(caller.name for caller in plugin_manager.get_hookcallers(plugin))


def status_for_module(module: str) -> PluginStatus:
    for status in statuses.values():
        if status.module == module:
            return status
    # Installed directly in INSTALLED_APPS rather than through LMS_PLUGINS.
    return statuses.setdefault(module, PluginStatus(name=module, module=module))


NAMED = "named in LMS_PLUGINS"
ADDED = "added by LMS_PLUGINS_EXTRA"


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def enabled_plugins(
    defaults: Iterable[str], why_defaults: str, environ=os.environ
) -> dict[str, str]:
    """The plugins to enable, each with why it is on.

    `LMS_PLUGINS`, when set (even empty), replaces the settings' defaults;
    `LMS_PLUGINS_EXTRA` adds to whichever of the two applies. So a developer
    trying one more plugin sets LMS_PLUGINS_EXTRA and keeps the others on.
    """
    if "LMS_PLUGINS" in environ:
        chosen = dict.fromkeys(_names(environ["LMS_PLUGINS"]), NAMED)
    else:
        chosen = dict.fromkeys(defaults, why_defaults)
    for name in _names(environ.get("LMS_PLUGINS_EXTRA", "")):
        chosen.setdefault(name, ADDED)
    return chosen


def installed_but_off() -> list[str]:
    """Plugins whose packages are installed but that nobody enabled."""
    return sorted(set(_entry_points()) - set(statuses))


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _find_config_class(module: str) -> type[PluginConfig]:
    apps_module = importlib.import_module(f"{module}.apps")
    for _, value in inspect.getmembers(apps_module, inspect.isclass):
        if issubclass(value, PluginConfig) and getattr(value, "name", "") == module:
            return value
    raise ImproperlyConfigured(f"{module}.apps has no PluginConfig for '{module}'")


def version_problem(config_class: type[PluginConfig]) -> str:
    try:
        allowed = SpecifierSet(config_class.requires_lms)
    except InvalidSpecifier:
        return f"requires_lms '{config_class.requires_lms}' is not a version range"
    if Version(__version__) not in allowed:
        return (
            f"needs Learning Commons {config_class.requires_lms}, this is {__version__}"
        )
    return ""


def plugin_apps(names: Iterable[str] | dict[str, str]) -> list[str]:
    """INSTALLED_APPS entries for the enabled plugins that can be loaded.

    `names` may map each name to why it is on (see `enabled_plugins`)."""
    reasons = names if isinstance(names, dict) else dict.fromkeys(names, NAMED)
    available = _entry_points()
    app_entries = []
    for name, reason in reasons.items():
        status = statuses[name] = PluginStatus(name=name, reason=reason)
        entry_point = available.get(name)
        if entry_point is None:
            status.error = (
                f"no installed package provides '{name}' in the "
                f"'{ENTRY_POINT_GROUP}' entry-point group"
            )
        else:
            status.module = entry_point.value
            status.version = entry_point.dist.version if entry_point.dist else ""
            try:
                config_class = _find_config_class(entry_point.value)
            except Exception as error:  # any import-time failure disables it
                status.error = f"failed to import: {error!r}"
            else:
                status.error = version_problem(config_class)
                if not status.error:
                    app_entries.append(
                        f"{config_class.__module__}.{config_class.__qualname__}"
                    )
        if status.error:
            logger.error(
                "Plugin '%s' is disabled: %s",
                name,
                status.error,
                extra={"plugin": name},
            )
    return app_entries


PERSONAL_DATA_HOOKS = ("lms_export_user_data", "lms_erase_user_data")


def personal_fields(model: type) -> list[str]:
    """The model's own fields that point at a person or hold an e-mail
    address. Fields it inherits from another app's model (a Page's owner) are
    that app's to export and erase."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    own = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [
        each.name
        for each in own
        if isinstance(each, models.EmailField)
        or (each.is_relation and each.related_model is user_model)
    ]


def missing_personal_data_hooks(config: PluginConfig) -> list[str]:
    """The export and erase hooks a plugin that stores personal data lacks."""
    if not any(personal_fields(model) for model in config.get_models()):
        return []
    plugin = plugin_manager.get_plugin(config.label)
    implemented = (
        {caller.name for caller in plugin_manager.get_hookcallers(plugin)}
        if plugin is not None
        else set()
    )
    return [hook for hook in PERSONAL_DATA_HOOKS if hook not in implemented]


def plugin_configs() -> list[PluginConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, PluginConfig)]


def strict() -> bool:
    return getattr(settings, "LMS_PLUGINS_STRICT", settings.DEBUG)


@dataclass(frozen=True)
class HookResult:
    """One plugin's answer to a hook call: a value, or the error it raised."""

    plugin: str
    value: Any = None
    error: BaseException | None = None


def call_each(
    hook_name: str, *, plugins: Iterable[str] | None = None, **kwargs: Any
) -> list[HookResult]:
    """Call a hook on each plugin separately, in pluggy's order: `tryfirst`
    implementations first, then the last registered before the earlier ones.

    An exception from one plugin is logged with the plugin's name and
    returned as that plugin's result; the others still run. In strict mode
    (tests, DEBUG) it is raised instead. `plugins` limits the call to those
    plugin labels (e.g. the plugins switched on for a cohort).
    """
    allowed = None if plugins is None else set(plugins)
    results = []
    for impl in reversed(getattr(plugin_manager.hook, hook_name).get_hookimpls()):
        if allowed is not None and impl.plugin_name not in allowed:
            continue
        arguments = {name: kwargs[name] for name in impl.argnames}
        try:
            value = impl.function(**arguments)
        except Exception as error:
            logger.exception(
                "Plugin '%s' failed in %s",
                impl.plugin_name,
                hook_name,
                extra={"plugin": impl.plugin_name, "hook": hook_name},
            )
            if strict():
                raise
            results.append(HookResult(impl.plugin_name, error=error))
        else:
            results.append(HookResult(impl.plugin_name, value))
    return results


def collect(
    hook_name: str, *, plugins: Iterable[str] | None = None, **kwargs: Any
) -> list[Any]:
    """Everything plugins returned for a list-returning hook, failures skipped."""
    items: list[Any] = []
    for result in call_each(hook_name, plugins=plugins, **kwargs):
        if result.error is None and result.value is not None:
            items.extend(result.value)
    return items


def plugin_url_patterns() -> list:
    """Each loaded plugin's `urls` module, mounted under /p/<label>/."""
    from django.urls import include, path

    return [
        path(f"p/{config.label}/", include(f"{config.name}.{config.urls_module}"))
        for config in plugin_configs()
        if importlib.util.find_spec(f"{config.name}.{config.urls_module}")
    ]


def problems() -> list[PluginStatus]:
    """Plugins named in LMS_PLUGINS that are not working."""
    return [status for status in statuses.values() if not status.healthy]

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from lms import plugins


class Command(BaseCommand):
    help = (
        "List the enabled plugins (LMS_PLUGINS or the settings' defaults, plus "
        "LMS_PLUGINS_EXTRA, and any plugin app installed directly): why each "
        "is on, version, hooks implemented, health; then the installed plugins "
        "that are off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print JSON."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error when any plugin is unhealthy.",
        )

    def handle(self, *args, as_json: bool = False, check: bool = False, **options):
        # A plugin that keeps personal data must let people take it and erase it.
        missing = {
            plugins.status_for_module(config.name).name: (
                plugins.missing_personal_data_hooks(config)
            )
            for config in plugins.plugin_configs()
        }
        statuses = sorted(plugins.statuses.values(), key=lambda s: s.name)
        if as_json:
            self.stdout.write(self._json(statuses, missing))
        else:
            self._table(statuses, missing)
        unhealthy = [
            status.name
            for status in statuses
            if not status.healthy or missing.get(status.name)
        ]
        if check and unhealthy:
            raise CommandError(f"Unhealthy plugins: {', '.join(unhealthy)}")

    @staticmethod
    def _json(statuses, missing) -> str:
        return json.dumps(
            [
                {
                    **asdict(status),
                    "healthy": status.healthy and not missing.get(status.name),
                    "missing_hooks": missing.get(status.name, []),
                }
                for status in statuses
            ],
            indent=2,
        )

    def _table(self, statuses, missing) -> None:
        if not statuses:
            self.stdout.write(
                "No plugins are enabled (set LMS_PLUGINS or LMS_PLUGINS_EXTRA)."
            )
        for status in statuses:
            state = (
                self.style.SUCCESS("healthy")
                if status.healthy
                else self.style.ERROR(f"disabled: {status.error}")
            )
            if status.healthy and missing.get(status.name):
                state = self.style.ERROR(
                    "stores personal data without " + ", ".join(missing[status.name])
                )
            self.stdout.write(f"{status.name} {status.version or '-'}  {state}")
            self.stdout.write(f"    on because: {status.reason}")
            if status.hooks:
                self.stdout.write(f"    hooks: {', '.join(status.hooks)}")
        off = plugins.installed_but_off()
        if off:
            self.stdout.write(
                f"Installed but off: {', '.join(off)} "
                "(add them to LMS_PLUGINS_EXTRA to switch them on)"
            )

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Development: run the task worker (db_worker) beside runserver, so "
        "e-mails and Wagtail's background jobs are processed. Ctrl-C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
        )

    def handle(self, *args, addrport: str, **options):
        link_to(addrport)
        # runserver's autoreloader re-runs this command in a child process
        # (RUN_MAIN=true); only the parent starts the worker.
        worker = None
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen(  # noqa: S603 (our own manage.py)
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"]
            )
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def link_to(addrport: str) -> None:
    """Links in e-mails and feeds name the address served, unless
    WAGTAILADMIN_BASE_URL is set. Put in the environment too, so the worker
    and runserver's reloading child, which load the settings afresh, agree."""
    if os.environ.get("WAGTAILADMIN_BASE_URL"):
        return
    host, _, port = addrport.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):  # noqa: S104 (the address served, not bound)
        host = "127.0.0.1"
    base_url = f"http://{host}:{port}"
    os.environ["WAGTAILADMIN_BASE_URL"] = base_url
    settings.WAGTAILADMIN_BASE_URL = base_url

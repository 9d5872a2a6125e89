import os
import subprocess
import sys

from django.conf import settings


def run_python(*args: str, env: dict[str, str] | None = None):
    """Run the project's Python (e.g. manage.py) in a subprocess from the root."""
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )

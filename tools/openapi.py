"""docs/openapi.json: the API's OpenAPI document, as /api/v1/openapi.json
serves it, committed so that a change to the API shows in review.

    .venv/bin/python tools/openapi.py          # rewrite docs/openapi.json
    .venv/bin/python tools/openapi.py --check  # exit 1 if out of date

tests/test_api.py fails when docs/openapi.json is out of date.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
DOCUMENT = ROOT / "docs" / "openapi.json"


def openapi_text() -> str:
    from api.v1 import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    django.setup()
    text = openapi_text()
    if "--check" in argv:
        if DOCUMENT.read_text(encoding="utf-8") != text:
            print("docs/openapi.json is out of date: run tools/openapi.py")
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

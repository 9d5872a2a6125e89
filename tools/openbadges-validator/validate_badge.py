"""Validate a hosted Open Badges assertion with IMS Global's validator.

Usage: validate_badge.py ASSERTION_URL RECIPIENT_EMAIL; prints the report as
JSON. Runs in the validator's own virtualenv (.obv/). The Open Badges v2
JSON-LD context is served from the copy inside the validator package, because
w3id.org is not reachable from test machines.
"""

import json
import sys

from openbadges.verifier import utils
from openbadges.verifier.openbadges_context import (
    OPENBADGES_CONTEXT_V2_DICT,
    OPENBADGES_CONTEXT_V2_URI,
)

load_document = utils.CachableDocumentLoader.__call__


def load_offline(self, url):
    if url.rstrip("/") == OPENBADGES_CONTEXT_V2_URI:
        document = json.dumps(OPENBADGES_CONTEXT_V2_DICT)
        return {"contextUrl": None, "documentUrl": url, "document": document}
    return load_document(self, url)


utils.CachableDocumentLoader.__call__ = load_offline

from openbadges import verify  # noqa: E402 (after the loader is patched)

if __name__ == "__main__":
    result = verify(sys.argv[1], recipient_profile={"email": sys.argv[2]})
    print(json.dumps(result["report"]))

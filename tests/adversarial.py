"""Adversarial input shared by the fuzz tests (issue #28): the values people
and robots send that a form or an address must answer with a message or a
404, never a server error.

`VALUES` is the fixed list every run sends (the families the issue names),
the one list of the form fuzz, the crawl (tests/crawl.py) and test_fuzz (on
PostgreSQL the first two send `DATABASE_VALUES`, the ones whose fate
depends on the database);
`form_values()` is the Hypothesis strategy that draws from it and, in long
runs (FUZZ_EXAMPLES=500), generates more of each family.
"""

import os
from datetime import date, datetime

from django.db import connection
from hypothesis import strategies as st

from lms.converters import MAX_DATABASE_ID

# Examples per form in `make test`; FUZZ_EXAMPLES=500 for a long run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))

SCRIPT = "<script>alert("  # must never come back unescaped
RTL, ZERO_WIDTH = "\u202e", "\u200b"

VALUES = [
    # empty and long
    "",
    " ",
    "x" * 10_000,
    # bytes a database or a file format cannot hold
    "\x00",
    "a\x00b",
    "bell\x07tab\x0b",
    # digits that are not ASCII digits
    "²",
    "\u0661\u0662\u0663",  # Arabic-Indic 123
    "\U0001d7d9\U0001d7da",  # double-struck 12
    # right-to-left and zero-width
    f"{RTL}gnp.exe",
    f"{ZERO_WIDTH}",
    f"a{ZERO_WIDTH}\u200f\u2066b",
    f"{RTL}evil{ZERO_WIDTH}\u200f",
    # markup
    f'"><{SCRIPT[1:]}1)</script>',
    f"{SCRIPT}1)</script>",
    "<b>bold</b> &amp; <img src=x onerror=alert(1)>",
    # numbers
    "0",
    "-1",
    str(MAX_DATABASE_ID),
    str(MAX_DATABASE_ID + 1),
    str(-(MAX_DATABASE_ID + 2)),
    "9999999999999999999999999",
    "1.5",
    "1,5",
    "NaN",
    "-inf",
    "1e308",
    "1e309",  # past the largest float
    # dates and times
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-02-28T25:61",
    "31/12/2026",
    "31/02/2026",
    # choices
    "not-a-choice",
    "on",
    "maybe",
]

# The values whose fate depends on the database: a NUL byte (PostgreSQL's text
# refuses it), a length past a column's (PostgreSQL enforces varchar's),
# integers past its range, numbers a numeric column cannot hold, the ends of
# the calendar. The others (markup, scripts, digits that are not ASCII,
# right-to-left, impossible dates, choices) are parsed and escaped by Python
# before any query, the same on every backend.
DATABASE_VALUES = [
    "x" * 10_000,
    "\x00",
    "a\x00b",
    str(MAX_DATABASE_ID),
    str(MAX_DATABASE_ID + 1),
    str(-(MAX_DATABASE_ID + 2)),
    "9999999999999999999999999",
    "NaN",
    "-inf",
    "1e308",
    "1e309",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
]
assert set(DATABASE_VALUES) <= set(VALUES)

# The values a page in another language may parse otherwise: numbers and
# dates, whose formats Django's forms take from the active language ("1,5",
# "31/12/2026"). The rest (markup, bytes, right-to-left, choices) meet the same
# code and the same escaping in every language: a page in Spanish is the
# English one's template and view with other words.
LOCALIZED_VALUES = [
    "",
    "0",
    "-1",
    str(MAX_DATABASE_ID + 1),
    "1.5",
    "1,5",
    "NaN",
    "1e309",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "31/12/2026",
    "31/02/2026",
    "0001-01-01T00:00",
    "2026-02-28T25:61",
]
assert set(LOCALIZED_VALUES) <= set(VALUES)


def thorough() -> bool:
    """Whether this run sends everything: `make test`'s first stage, on
    SQLite. A run on another backend (PostgreSQL, after it) looks for what
    that database decides."""
    return connection.vendor == "sqlite"


def values_for_this_database() -> list[str]:
    """Every value on SQLite; on another backend (`make test`'s PostgreSQL
    stage, after the SQLite one has sent them all), the values whose fate
    depends on the database. The walks of the whole site (tests/crawl.py,
    tests/test_fuzz_forms.py) take a minute or more per backend: this keeps
    the second to what it can find that the first could not."""
    return VALUES if thorough() else DATABASE_VALUES


# Path parameters: the values above that fit in an address, percent-encoded
# by the caller where needed; a converter that refuses one answers 404
# before any view runs.
PATH_VALUES = [
    "0",
    str(MAX_DATABASE_ID),
    str(MAX_DATABASE_ID + 1),
    "9999999999999999999999999",
    "-1",
    "²",
    "x" * 300,
    "%00",
    "%E2%80%AE",
    "<script>alert(1)</script>",
    # The shape a <uuid:…> part takes, of no row (a uuid column on PostgreSQL,
    # text on SQLite).
    "00000000-0000-0000-0000-000000000000",
]
# Those whose fate depends on the database, as `DATABASE_VALUES`.
DATABASE_PATH_VALUES = [
    "00000000-0000-0000-0000-000000000000",
    str(MAX_DATABASE_ID),
    str(MAX_DATABASE_ID + 1),
    "9999999999999999999999999",
    "x" * 300,
    "%00",
]
assert set(DATABASE_PATH_VALUES) <= set(PATH_VALUES)


def path_values_for_this_database() -> list[str]:
    """As `values_for_this_database`, for path parameters."""
    return PATH_VALUES if thorough() else DATABASE_PATH_VALUES


def _generated() -> st.SearchStrategy[str]:
    """More of each family, for long runs."""
    return st.one_of(
        st.text(
            alphabet=st.sampled_from(
                "a<>\"'&\x00\x07\x0b\r\n\t²\u0661\U0001d7d9\u200f" + RTL + ZERO_WIDTH
            ),
            max_size=40,
        ),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
            date.isoformat
        ),
        st.datetimes(
            min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)
        ).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    )


def form_values() -> st.SearchStrategy[str]:
    # The fixed list first: Hypothesis tries sampled_from's elements early, so
    # a small example count still sends the families the issue names.
    return st.one_of(st.sampled_from(values_for_this_database()), _generated())


UPLOAD_NAMES = ["../../etc/passwd", "..\\..\\boot.ini", "a\x00.pdf", "ок.pdf"]


def uploads() -> st.SearchStrategy[tuple[str, bytes, str]]:
    """(file name, content, content type): empty, of the wrong type, too large
    for the site (10 MB), with a name that climbs out of the upload folder."""
    return st.tuples(
        st.one_of(st.sampled_from(UPLOAD_NAMES), st.sampled_from(["a.pdf", "a.exe"])),
        st.sampled_from(
            [
                b"",
                b"MZ\x90\x00 not a pdf",
                b"%PDF-1.4\n" + b"x" * (10 * 1024 * 1024 + 1),
                b"<script>alert(1)</script>",
            ]
        ),
        st.sampled_from(["application/pdf", "application/x-msdownload", "text/html"]),
    )

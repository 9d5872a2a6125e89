"""Path converters every app and plugin shares, registered once in LmsConfig.ready.

`<id:name>` matches a database id: digits the database's integer columns can
hold. Django's `<int:...>` takes any number of digits, and a lookup through a
foreign key or a page pointer sends a number past 2**63 - 1 to the database,
which raises instead of finding nothing; with `<id:...>` such an address is a
plain 404.
"""

from django.urls import register_converter

# The largest value of a signed 64-bit column (SQLite's INTEGER, PostgreSQL's bigint).
MAX_DATABASE_ID = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("out of the database's integer range")  # Django: no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(DatabaseIdConverter, "id")

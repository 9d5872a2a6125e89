"""Dates and times as people read them, one set of formats per language.

Every page, panel and e-mail formats a moment through these functions (in
templates, the `day`, `day_and_time` and `full_date` filters of lms_tags), so
"Thu 3 Dec" never sits beside "Dec. 3, 2026". Spanish keeps its day and month
names in lower case ("jue 3 dic"), as Spanish writes them.

These show a moment in the zone it carries: pass it through `astimezone` for a
group's zone. The template filters first move it to the template's current
zone (`{% timezone %}`), as Django's own date filter does.
"""

from datetime import date, datetime

from django.utils import dateformat, timezone, translation

# Django's "M" capitalises the month's abbreviation in every language; "b" keeps
# it lower case, as Spanish wants, but gives English "dec", hence a table.
FORMATS = {
    "en": {
        "day": "D j M",
        "day_with_year": "D j M Y",
        "time": "H:i",
        "full_date": "j F Y",
    },
    "es": {
        "day": "D j b",
        "day_with_year": "D j b Y",
        "time": "H:i",
        "full_date": r"j \d\e F \d\e Y",
    },
}


def _formats() -> dict[str, str]:
    language = (translation.get_language() or "en").split("-")[0]
    return FORMATS.get(language, FORMATS["en"])


def day(moment: date | datetime | None) -> str:
    """'Thu 3 Dec' ('jue 3 dic'), with the year when it is not this year's."""
    if moment is None:
        return ""
    formats = _formats()
    this_year = timezone.localdate().year
    shape = formats["day"] if moment.year == this_year else formats["day_with_year"]
    return dateformat.format(moment, shape)


def day_and_time(moment: datetime | None) -> str:
    """'Thu 3 Dec, 18:30' ('jue 3 dic, 18:30')."""
    if moment is None:
        return ""
    return f"{day(moment)}, {dateformat.format(moment, _formats()['time'])}"


def full_date(moment: date | datetime | None) -> str:
    """'3 December 2026' ('3 de diciembre de 2026'), for certificates and news."""
    if moment is None:
        return ""
    return dateformat.format(moment, _formats()["full_date"])

"""Spreadsheet downloads that never run what people typed as a formula."""

import csv
from typing import Any

from wagtail.admin.views.generic import IndexView

# Spreadsheets read text starting with these as a formula; a leading tab or
# carriage return is skipped and the formula after it read.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def quote_formula(value: Any) -> Any:
    """Text starting like a formula, quoted (as a spreadsheet's own ' does)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer(file)` whose rows have their formulas quoted."""

    def __init__(self, file, **options):
        self.writer = csv.writer(file, **options)

    def writerow(self, row) -> None:
        self.writer.writerow([quote_formula(value) for value in row])


class SafeExportMixin:
    """For a Wagtail admin listing (any IndexView, a snippet's too): its CSV
    export quotes formulas. (Its XLSX export already stores every text as
    text, never as a formula.)"""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return quote_formula(value) if export_format == self.FORMAT_CSV else value


class SafeExportIndexView(SafeExportMixin, IndexView):
    pass

"""Cells for CSV and xlsx exports that a spreadsheet can never run as a formula (CSV injection).

A text starting with = + - @, a tab or a carriage return is prefixed with an apostrophe, so an
agent's name, a note or a review text cannot run code on the reader's machine. Numbers pass
unchanged (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SafeWriter:
    """csv.writer whose rows go through safe_cell."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

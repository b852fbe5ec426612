"""Records from decoded lines: JSON Lines objects and CSV rows, each with the line it starts on.
Bad JSON and broken CSV come out as a Problem in place of the record (file left empty: the
importer names it); blank lines are skipped. What a record must hold is each domain's business.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from .problems import Problem
from .reading import csv_lines


def jsonl_records(lines: Iterable[str]) -> Iterator[tuple[int, dict | Problem]]:
    """(line, object) per non-blank line; only "\\n" ends a line (JSON writers leave U+2028
    and friends unescaped inside strings)."""
    loads = json.loads
    for line, text in enumerate(lines, 1):
        try:
            record = loads(text)
        except json.JSONDecodeError as error:
            if not text.strip():
                continue
            yield line, Problem("", line, "json", f"bad JSON: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield line, Problem("", line, "json", "bad JSON: nested too deeply")
            continue
        except ValueError as error:  # e.g. an integer longer than Python converts
            yield line, Problem("", line, "json", f"bad JSON: {error}")
            continue
        if record.__class__ is not dict:
            yield line, Problem("", line, "json", "each line must hold one JSON object")
            continue
        yield line, record


class CsvRows:
    """The header (names stripped and lower-cased, a byte-order mark dropped) and then
    (first line, values) per non-blank row. A broken row ends the reading with a Problem."""

    def __init__(self, lines: Iterable[str]):
        self._reader = csv.reader(csv_lines(iter(lines)))
        self.header: list[str] | None = None
        self.error: Problem | None = None
        try:
            raw = next(self._reader)
        except StopIteration:
            return
        except csv.Error as error:
            self.error = Problem("", 1, "csv", f"cannot read the header: {error}")
            return
        self.header = [name.lstrip("\ufeff").strip().lower() for name in raw]

    def __iter__(self) -> Iterator[tuple[int, list[str] | Problem]]:
        if self.header is None:
            return
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield start, Problem("", start, "csv", f"broken CSV: {error}")
                return
            if any(cell.strip() for cell in row):
                yield start, row

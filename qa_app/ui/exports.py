"""Web CSV downloads: column headers in the reader's language, machine headers on request.

A download from a page is read by a person in a spreadsheet, so its header row speaks the user's
language; `?headers=machine` gives the stable machine names (scripts, or comparing with the
command-line exports, whose headers FORMATS.md fixes and which never pass through here).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

from flask import request

BOM = "\ufeff"


def wants_machine_headers() -> bool:
    return request.args.get("headers") == "machine"


def header_row(columns: Iterable[str], labels: Mapping[str, object]) -> list[str]:
    """The header the reader asked for: labels by default, the machine names with ?headers=machine."""
    columns = list(columns)
    if wants_machine_headers():
        return columns
    return [str(labels.get(name, name)) for name in columns]


def relabel(chunks: Iterable[str], labels: Mapping[str, object]) -> Iterator[str]:
    """A CSV (whole or streamed in pieces) whose first line holds machine names, with that line
    replaced by header_row(). The first piece must hold the whole header line."""
    pieces = iter(chunks)
    first = next(pieces, "")
    bom = BOM if first.startswith(BOM) else ""
    line, newline, rest = first[len(bom) :].partition("\n")
    columns = next(csv.reader([line.rstrip("\r")]), [])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(header_row(columns, labels))
    yield bom + out.getvalue().rstrip("\n") + ("\r" if line.endswith("\r") else "") + newline + rest
    yield from pieces

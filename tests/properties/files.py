"""Writing import files the way exports come: CSV or JSON Lines, UTF-8 (BOM or not) or GBK,
plain or gzipped; and knowing on which line each record starts."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re


def csv_lines(header: list[str], rows: list[list[str]]) -> tuple[str, list[int]]:
    """The CSV text and the line each row starts on (as csv.reader counts lines)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # "\r\n", as spreadsheets write it: quotes fields holding \r or \n
    writer.writerow(header)
    starts = []
    for row in rows:
        starts.append(_count_lines(out.getvalue()) + 1)
        writer.writerow(row)
    return out.getvalue(), starts


_SURROGATE = re.compile("[\ud800-\udfff]")


def jsonl_lines(records: list) -> tuple[str, list[int]]:
    """JSON Lines as exporters write them: text as it is, half surrogate pairs as \\u escapes
    (the only way they get into a file)."""
    lines = [
        _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(record, ensure_ascii=False))
        for record in records
    ]
    return "".join(line + "\n" for line in lines), list(range(1, len(lines) + 1))


def _count_lines(text: str) -> int:
    return sum(1 for _ in io.StringIO(text, newline=""))


def encode(text: str, encoding: str = "utf-8", *, gzipped: bool = False) -> bytes:
    data = text.encode(encoding)
    return gzip.compress(data, mtime=0) if gzipped else data

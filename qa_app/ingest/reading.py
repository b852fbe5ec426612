"""Opening an import file: decompressing (gzip, recognised by its magic bytes or `.gz`), counting
the bytes against the limits, decoding line by line, and telling CSV from JSON Lines.

Lines are read with `readline(limit + 1)`, so a line longer than the limit is refused after
reading that much of it, never whole; the decompressed total is added up line by line, so a
gzip bomb stops at IMPORT_MAX_BYTES. Memory stays at one line whatever the file.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from .limits import LimitExceeded, Limits

GZIP_MAGIC = b"\x1f\x8b"
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")


def detect_format(name: str | Path) -> str | None:
    """`csv` or `jsonl` from the file name (a `.gz` ending aside), None when it does not say."""
    lower = str(name).lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def check_encoding(encoding: str) -> str:
    """The codec to read with; utf-8 also strips a byte-order mark. LookupError when unknown."""
    name = codecs.lookup(encoding).name
    return "utf-8-sig" if name in ("utf-8", "utf-8-sig") else name


class DecodeFailure(ValueError):
    """A line that is not text in the encoding, or a compressed stream that breaks off."""

    def __init__(self, line: int, reason: str, field_name: str = "encoding"):
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.field = field_name


class Source:
    """One import file. `lines()` yields its decoded lines (each with its newline), `position()`
    is how far into the file on disk reading has got (for progress), `format()` is csv or jsonl."""

    def __init__(
        self,
        path: str | Path,
        encoding: str = "utf-8",
        *,
        name: str | None = None,
        limits: Limits | None = None,
    ):
        self.path = Path(path)
        self.name = name or self.path.name
        self.encoding = encoding
        self.codec = check_encoding(encoding)
        self.limits = limits or Limits.configured()
        self.size = os.path.getsize(self.path)
        self._handle = None

    def format(self) -> str:
        """From the name, else from the first character: `{` starts JSON Lines."""
        known = detect_format(self.path)
        if known:
            return known
        start = b""
        for line in self._raw_lines():
            start = line.lstrip(b"\xef\xbb\xbf \t\r\n")
            if start:
                break
        return "jsonl" if start[:1] == b"{" else "csv"

    def lines(self) -> Iterator[str]:
        codec = self.codec
        later = codec.replace("-sig", "")  # a byte-order mark can only start the first line
        for number, data in enumerate(self._raw_lines(), 1):
            try:
                yield data.decode(codec if number == 1 else later)
            except UnicodeDecodeError as error:
                hint = " (try --encoding gbk)" if codec == "utf-8-sig" else ""
                raise DecodeFailure(
                    number, f"not valid {self.encoding} text ({error.reason}){hint}"
                ) from None

    def _raw_lines(self) -> Iterator[bytes]:
        with open(self.path, "rb") as raw:
            self._handle = raw
            compressed = raw.read(2) == GZIP_MAGIC or str(self.path).lower().endswith(".gz")
            raw.seek(0)
            if compressed:
                with gzip.open(raw, "rb") as unzipped:
                    yield from self._bounded(unzipped)
            else:
                yield from self._bounded(raw)

    def _bounded(self, stream) -> Iterator[bytes]:
        longest, most = self.limits.max_line_bytes, self.limits.max_bytes
        total = number = 0
        while True:
            number += 1
            try:
                data = stream.readline(longest + 1)
            except (EOFError, OSError, zlib.error) as error:  # truncated or corrupt .gz
                raise DecodeFailure(number, f"cannot read the file: {error}", "file") from None
            if not data:
                return
            total += len(data)
            if total > most:
                raise LimitExceeded("IMPORT_MAX_BYTES", most, number, self.name)
            if len(data) > longest and data[-1:] != b"\n":
                raise LimitExceeded("IMPORT_MAX_LINE_BYTES", longest, number, self.name)
            yield data

    def position(self) -> int:
        try:
            return self._handle.tell() if self._handle else 0
        except (ValueError, OSError):
            return self.size


_AFTER_BARE_CR = re.compile(r"(?<=\r)(?!\n)")


def csv_lines(lines: Iterator[str]) -> Iterator[str]:
    """Lines as the csv module counts them (open(..., newline="")): a lone carriage return ends
    a line too, as old spreadsheet exports write them."""
    for line in lines:
        if "\r" in line and (line.count("\r") > 1 or not line.endswith("\r\n")):
            yield from (part for part in _AFTER_BARE_CR.split(line) if part)
        else:
            yield line

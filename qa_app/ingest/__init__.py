"""One ingest stack for every import (chats, reviews, orders): open, decompress with limits,
decode, tell CSV from JSON Lines, and stream records with their line numbers. Each domain keeps
only its record validator and its writer. Core: imports nothing from the domains.

    source = Source(path, encoding, name="upload.csv")   # limits from IMPORT_MAX_* settings
    for line, record in jsonl_records(source.lines()): ...
    rows = CsvRows(source.lines()); rows.header; for line, values in rows: ...

Reading raises LimitExceeded (the whole file is refused, whatever --skip-invalid says) and
DecodeFailure (a line that is not text in the encoding, a truncated gzip); bad JSON and broken
CSV come out as a Problem in place of the record.
"""

from .limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_BYTES, LimitExceeded, Limits, readable_size
from .problems import (
    MAX_PROBLEMS_KEPT,
    MAX_PROBLEMS_SHOWN,
    ImportRejected,
    ImportSummary,
    Problem,
    RejectsFile,
)
from .reading import DecodeFailure, Source, check_encoding, csv_lines, detect_format
from .records import CsvRows, jsonl_records

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINE_BYTES",
    "MAX_PROBLEMS_KEPT",
    "MAX_PROBLEMS_SHOWN",
    "CsvRows",
    "DecodeFailure",
    "ImportRejected",
    "ImportSummary",
    "LimitExceeded",
    "Limits",
    "Problem",
    "RejectsFile",
    "Source",
    "check_encoding",
    "csv_lines",
    "detect_format",
    "jsonl_records",
    "readable_size",
]

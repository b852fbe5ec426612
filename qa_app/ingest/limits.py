"""Size limits for every import: decompressed bytes per file and bytes per line.

A small gzip can expand to gigabytes (a "decompression bomb") and a line without a newline can
be the whole file; both are counted while reading, never after, so the limit holds before the
memory is spent. Settings: IMPORT_MAX_BYTES (default 2 GiB) and IMPORT_MAX_LINE_BYTES (1 MiB).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

DEFAULT_MAX_BYTES = 2 << 30
DEFAULT_MAX_LINE_BYTES = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES

    @classmethod
    def configured(cls) -> Limits:
        """The app's settings, or the defaults outside an app."""
        if not has_app_context():
            return cls()
        config = current_app.config
        return cls(
            int(config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES),
            int(config.get("IMPORT_MAX_LINE_BYTES") or DEFAULT_MAX_LINE_BYTES),
        )


def readable_size(size: int) -> str:
    """2 GiB, 1 MiB; a limit that is no whole number of units is given in bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


_MESSAGES = {
    "IMPORT_MAX_BYTES": _l(
        "%(file)s:%(line)s: the file is larger than the import limit of "
        "%(size)s once decompressed (IMPORT_MAX_BYTES); nothing was imported"
    ),
    "IMPORT_MAX_LINE_BYTES": _l(
        "%(file)s:%(line)s: the line is longer than the import limit of "
        "%(size)s (IMPORT_MAX_LINE_BYTES); nothing was imported"
    ),
}
_ENGLISH = {
    "IMPORT_MAX_BYTES": "the file is larger than the import limit of {size} once decompressed "
    "(IMPORT_MAX_BYTES)",
    "IMPORT_MAX_LINE_BYTES": "the line is longer than the import limit of {size} (IMPORT_MAX_LINE_BYTES)",
}


class LimitExceeded(Exception):
    """Reading stopped at a size limit. `setting` names it (IMPORT_MAX_BYTES or
    IMPORT_MAX_LINE_BYTES); str() is the machine message, `localised()` the web page's."""

    def __init__(self, setting: str, limit: int, line: int, file: str = ""):
        self.setting = setting
        self.limit = limit
        self.line = line
        self.file = file
        super().__init__(setting, limit, line, file)  # what pickling (worker.py's pipe) rebuilds

    @property
    def message(self) -> str:
        return _ENGLISH[self.setting].format(size=readable_size(self.limit))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def named(self, file: str) -> LimitExceeded:
        return LimitExceeded(self.setting, self.limit, self.line, file)

    def localised(self) -> str:
        return str(
            _MESSAGES[self.setting]
            % {"file": self.file, "line": self.line, "size": readable_size(self.limit)}
        )

"""Reading the course library's TOML and checking its values; every problem is collected as
"file:line: field: message" so that one run reports them all (docs/course-format.md)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

LANGS = ("zh", "en")


class Problems:
    def __init__(self, root: Path):
        self.root = root
        self.items: list[str] = []

    def add(self, path: Path, line: int | None, fieldname: str, message: str) -> None:
        try:
            shown = path.relative_to(self.root.parent)
        except ValueError:
            shown = path
        self.items.append(f"{shown}:{line or 1}: {fieldname}: {message}")


def line_of(text: str, name: str, start: int = 1, end: int | None = None) -> int | None:
    """The 1-based line where `name = ...` is set, searching lines start..end."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        if number < start or (end is not None and number >= end):
            continue
        if pattern.match(line):
            return number
    return None


NESTED_TOO_DEEPLY = "arrays or tables nested too deeply"


def read_toml(path: Path, problems: Problems) -> tuple[dict | None, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(path, 1, "file", "not UTF-8 text")
        return None, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or toml_error_line(str(error))
        if line is None and "end of document" in str(error):
            line = len(text.splitlines())
        problems.add(path, line, "toml", str(error))
        return None, text
    except RecursionError:  # tomllib recurses once per nested array or inline table
        problems.add(path, 1, "toml", NESTED_TOO_DEEPLY)
        return None, text


def toml_error_line(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def bilingual_text(value, path, line, name, problems, required=True) -> dict | None:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        problems.add(path, line, name, 'expected a table { zh = "…", en = "…" }')
        return None
    if required and any(not value[lang].strip() for lang in LANGS):
        problems.add(path, line, name, "both zh and en must be non-empty")
        return None
    return {lang: value[lang].strip() for lang in LANGS}


def whole_number(data, key, path, text, problems, *, default=None, low=0, high=None) -> int | None:
    value = data.get(key, default)
    line = line_of(text, key)
    if value is None:
        problems.add(path, line, key, "is required")
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < low
        or (high is not None and value > high)
    ):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        problems.add(path, line, key, f"must be a whole number {bound}, got {value!r}")
        return None
    return value

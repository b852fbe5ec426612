"""Reason codes for rejected lines, so the job page can say them in the reader's language.

Validators keep writing English messages (the CLI and the rejects files print them, a contract:
FORMATS.md); `coded()` recognises the common ones and stores a code and its parameters beside
the English text, and `describe()` renders that code in the current locale. A message not
recognised keeps code None and is shown as written.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .problems import Problem

# (code, pattern on the English message); named groups become the parameters
PATTERNS = [
    ("missing", re.compile(r"required (field|column) (is )?missing")),
    ("empty", re.compile(r"required(,)? (field is|but) empty")),
    ("bad_json", re.compile(r"bad JSON|each line must hold one JSON object")),
    ("broken_csv", re.compile(r"broken CSV|cannot read the header|not CSV")),
    ("duplicate", re.compile(r"id (?P<id>'.*') appears twice in this file")),
    ("not_text", re.compile(r"must be a text or a number")),
    ("no_messages", re.compile(r"needs a list with at least one message")),
    ("not_object", re.compile(r"must be an object|must be a JSON object")),
    ("columns", re.compile(r"(?P<found>\d+) values for (?P<wanted>\d+) columns")),
    ("empty_file", re.compile(r"^empty file$")),
    ("too_long", re.compile(r"longer than (?P<limit>\d+) characters")),
    ("rating", re.compile(r"(?P<value>'.*') is not 1–5 or 好评/中评/差评")),
    ("service_rating", re.compile(r"(?P<value>'.*') is not 1–5$")),
    ("not_a_time", re.compile(r"(?P<value>'.*') is not a date and time")),
    ("not_a_list", re.compile(r"expected a list of strings")),
    ("not_a_boolean", re.compile(r"expected true or false")),
]


def code_for(message: str) -> tuple[str | None, dict]:
    for code, pattern in PATTERNS:
        found = pattern.search(message)
        if found:
            return code, {k: v for k, v in found.groupdict().items() if v is not None}
    return None, {}


def coded(problem: Problem) -> dict:
    """A problem as stored in a job's result: where, the English message, its code and params."""
    code, params = code_for(problem.message)
    return {
        "file": problem.file,
        "line": problem.line,
        "field": problem.field,
        "message": problem.message,
        "code": code,
        "params": params,
    }


def describe(code: str | None, params: dict | None, message: str) -> str:
    """The reason in the current locale (the English message when the code is unknown)."""
    params = params or {}
    texts = {
        "missing": lambda: _("required, but missing"),
        "empty": lambda: _("required, but empty"),
        "bad_json": lambda: _("not valid JSON (each line must be one JSON object)"),
        "broken_csv": lambda: _("broken CSV"),
        "duplicate": lambda: _("id %(id)s appears twice in this file", id=params.get("id", "")),
        "not_text": lambda: _("must be a text or a number"),
        "no_messages": lambda: _("needs a list with at least one message"),
        "not_object": lambda: _("must be an object"),
        "columns": lambda: _(
            "%(found)s values for %(wanted)s columns",
            found=params.get("found", "?"),
            wanted=params.get("wanted", "?"),
        ),
        "empty_file": lambda: _("empty file"),
        "too_long": lambda: _("longer than %(limit)s characters", limit=params.get("limit", "?")),
        "rating": lambda: _("%(value)s is not 1–5 or 好评/中评/差评", value=params.get("value", "")),
        "service_rating": lambda: _("%(value)s is not 1–5", value=params.get("value", "")),
        "not_a_time": lambda: _("%(value)s is not a date and time", value=params.get("value", "")),
        "not_a_list": lambda: _("expected a list of texts"),
        "not_a_boolean": lambda: _("expected true or false"),
    }
    text = texts.get(code or "")
    return text() if text else message

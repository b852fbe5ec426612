"""What an import reports: one Problem per bad record, ImportRejected for a file refused as a
whole, one summary type, and the rejects file written beside the input with --skip-invalid."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MAX_PROBLEMS_SHOWN = 50
#: problems kept in memory for the report; beyond that only counted (a file of millions of
#: bad lines must not fill the memory the streaming saves)
MAX_PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class Problem:
    """One bad record (or a file that cannot be read at all: field `file`). `file` is empty
    while a reader does not know the name; `record_id` is the record's id when it has one."""

    file: str
    line: int
    field: str
    message: str
    record_id: str | None = None

    def __str__(self) -> str:
        return self.render()

    def render(self, *, spaced: bool = False) -> str:
        # Chats have always printed `file:line: field: message`, reviews `file:line:field: message`;
        # scripts read both, so each domain keeps its own spacing (FORMATS.md).
        sep = ": " if spaced else ":"
        return f"{self.file}:{self.line}{sep}{self.field}: {self.message}"

    def named(self, file: str) -> Problem:
        return Problem(file, self.line, self.field, self.message, self.record_id)


class ImportRejected(ValueError):
    """The file was rejected; nothing of it was stored. `limit` is the LimitExceeded behind it
    when a size limit refused the file (it has a localised message for the web page)."""

    def __init__(
        self,
        problems: list[Problem],
        *,
        more: int = 0,
        lines: int | None = None,
        spaced: bool = False,
        limit: Exception | None = None,
    ):
        self.problems = problems
        self.more = more  # problems found beyond those kept
        self.lines = lines if lines is not None else len({(p.file, p.line) for p in problems})
        self.spaced = spaced
        self.limit = limit
        super().__init__(self.describe())

    @property
    def reject(self) -> Problem:
        return self.problems[0]

    @property
    def filename(self) -> str:
        return self.problems[0].file

    def describe(self, limit: int = MAX_PROBLEMS_SHOWN) -> str:
        lines = [p.render(spaced=self.spaced) for p in self.problems[:limit]]
        hidden = len(self.problems) - len(lines) + self.more
        if hidden > 0:
            lines.append(f"... and {hidden} more problems")
        return "\n".join(lines)


@dataclass
class ImportSummary:
    """What one file (or several, added up) did. `summary()` is the CLI's last line."""

    file: str = ""
    imported: int = 0
    skipped: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects_path: str | None = None

    def note(self, problem: Problem) -> None:
        """A record left out (skip-invalid): counted, and kept for the report while there is room."""
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def add(self, other: ImportSummary) -> None:
        self.imported += other.imported
        self.skipped += other.skipped
        self.rejected += other.rejected
        self.problems.extend(other.problems[: max(0, MAX_PROBLEMS_KEPT - len(self.problems))])

    def summary(self) -> str:
        """The line the import commands print (a contract: see FORMATS.md)."""
        return f"imported {self.imported}, skipped {self.skipped} (already present), rejected {self.rejected}"


class RejectsFile:
    """`<file>.rejects.csv`: one row per record left out, written as they are found.
    `columns` are Problem's fields (chats write line,field,message; reviews add the file)."""

    def __init__(self, path: str | Path, columns: Iterable[str] = ("line", "field", "message")):
        self.path = Path(path)
        self.columns = tuple(columns)
        self.count = 0
        # noqa reason: the file stays open across add() calls and is closed by close()
        self._handle = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(self.columns)

    def add(self, problem: Problem) -> None:
        self._writer.writerow([getattr(problem, column) for column in self.columns])
        self.count += 1

    def close(self, *, keep: bool = True) -> None:
        """Close; the file is removed unless `keep` and something was written to it."""
        self._handle.close()
        if not (keep and self.count):
            self.path.unlink(missing_ok=True)

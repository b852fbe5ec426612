"""One commit per request, CLI command or job (docs/ARCHITECTURE.md): services flush, and only
views, CLI commands and job runners commit. A separate transaction that is truly needed is kept
on a line that ends with `# own transaction: <why>`."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"
MARK = "# own transaction:"

# the modules that commit for a request, a command or a job
COMMITTERS = {"views", "cli", "worker", "jobs", "__main__"}

# every module is converted; a module that must still commit outside a view, command or job
# runner would be listed here with the reason
NOT_YET_CONVERTED: set[str] = set()


def may_commit(relative: str) -> bool:
    """A view module (views.py, *_views.py, views_*.py, a views/ package), a CLI module or a job runner."""
    parts = Path(relative).with_suffix("").parts
    stem = parts[-1]
    return stem in COMMITTERS or stem.endswith("_views") or stem.startswith("views_") or "views" in parts[:-1]


def unmarked_commits(source: str, relative: str) -> list[str]:
    """`x.commit()` calls of a module that may not commit, without the own-transaction mark."""
    if may_commit(relative):
        return []
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"
            and MARK not in lines[node.end_lineno - 1]
        ):
            found.append(f"{relative}:{node.lineno}")
    return found


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def test_only_views_commands_and_job_runners_commit():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if _relative(path) not in NOT_YET_CONVERTED:
            problems += unmarked_commits(path.read_text(encoding="utf-8"), _relative(path))
    assert problems == []


def test_not_yet_converted_modules_still_exist_and_still_commit():
    """An entry leaves the list when its module stops committing (or moves)."""
    stale = [
        name
        for name in sorted(NOT_YET_CONVERTED)
        if not (PACKAGE.parent / name).exists()
        or not unmarked_commits((PACKAGE.parent / name).read_text(encoding="utf-8"), name)
    ]
    assert stale == []


def test_checker_catches_a_commit_in_a_service():
    source = "def save(user):\n    db.session.add(user)\n    db.session.commit()\n"
    assert unmarked_commits(source, "qa_app/accounts/services.py") == ["qa_app/accounts/services.py:3"]


def test_checker_accepts_a_marked_own_transaction():
    source = "db.session.commit()  # own transaction: the worker reads the row\n"
    assert unmarked_commits(source, "qa_app/jobs/services.py") == []


def test_checker_lets_views_commands_and_job_runners_commit():
    source = "db.session.commit()\n"
    for name in (
        "qa_app/x/views.py",
        "qa_app/x/cli.py",
        "qa_app/x/report_views.py",
        "qa_app/x/views/lessons.py",
    ):
        assert unmarked_commits(source, name) == []

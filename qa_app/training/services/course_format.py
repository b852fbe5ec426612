"""The course library's file format (docs/course-format.md): course folders with course.toml,
lessons/ and quiz.toml, and paths.toml, read and validated into plain data.

`read_library(dir, existing_slugs)` checks everything and raises LibraryError listing every
problem as "file:line: field: message"; nothing here touches the database (library.py does).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..models import CATEGORIES, QUESTION_TYPES, SHOW_ANSWERS
from .toml_checks import (
    LANGS,
    NESTED_TOO_DEEPLY,
    Problems,
    bilingual_text,
    line_of,
    read_toml,
    toml_error_line,
    whole_number,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LESSON_FILE = re.compile(r"^(?P<stem>\d+[-a-z0-9_]*)\.(?P<lang>zh|en)\.md$")


class LibraryError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Library:
    courses: list[dict] = field(default_factory=list)
    paths: list[dict] = field(default_factory=list)


def _course_meta(path: Path, problems: Problems) -> dict | None:
    data, text = read_toml(path, problems)
    if data is None:
        return None
    meta = {
        "title": bilingual_text(data.get("title"), path, line_of(text, "title"), "title", problems),
        "summary": bilingual_text(
            data.get("summary"), path, line_of(text, "summary"), "summary", problems, required=False
        ),
        "estimated_minutes": whole_number(data, "estimated_minutes", path, text, problems, low=1),
        "pass_mark": whole_number(data, "pass_mark", path, text, problems, low=0, high=100),
        "max_attempts": whole_number(data, "max_attempts", path, text, problems, default=0),
        "cooloff_minutes": whole_number(data, "cooloff_minutes", path, text, problems, default=0),
        "category": data.get("category"),
        "show_answers": data.get("show_answers", "final"),
    }
    if meta["show_answers"] not in SHOW_ANSWERS:
        problems.add(
            path,
            line_of(text, "show_answers"),
            "show_answers",
            f"must be one of {', '.join(SHOW_ANSWERS)}, got {meta['show_answers']!r}",
        )
    if meta["category"] not in CATEGORIES:
        problems.add(
            path,
            line_of(text, "category"),
            "category",
            f"must be one of {', '.join(CATEGORIES)}, got {meta['category']!r}",
        )
    return meta


def _front_matter(path: Path, problems: Problems) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(path, 1, "file", "not UTF-8 text")
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        problems.add(path, 1, "front matter", "the file must start with a +++ line")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        problems.add(path, 1, "front matter", "no closing +++ line")
        return None
    try:
        data = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(str(error))
        problems.add(path, (line or 0) + 1, "front matter", str(error))
        return None
    except RecursionError:
        problems.add(path, 2, "front matter", NESTED_TOO_DEEPLY)
        return None
    title = data.get("title")
    minutes = data.get("minutes", 5)
    ok = True
    if not isinstance(title, str) or not title.strip():
        problems.add(
            path, (line_of("\n".join(lines[:end]), "title") or 1), "title", "a non-empty title is required"
        )
        ok = False
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        problems.add(
            path, line_of("\n".join(lines[:end]), "minutes"), "minutes", "must be a whole number ≥ 0"
        )
        ok = False
    body = "\n".join(lines[end + 1 :]).strip()
    return {"title": title.strip(), "minutes": minutes, "body": body} if ok else None


def _lessons(folder: Path, problems: Problems) -> list[dict]:
    lessons_dir = folder / "lessons"
    if not lessons_dir.is_dir():
        problems.add(folder / "lessons", 1, "lessons", "folder missing")
        return []
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(lessons_dir.iterdir()):
        if path.name.startswith(".") or path.suffix != ".md":
            continue
        match = LESSON_FILE.match(path.name)
        if not match:
            problems.add(path, 1, "file name", "expected NN-name.zh.md or NN-name.en.md")
            continue
        found.setdefault(match["stem"], {})[match["lang"]] = path
    lessons = []
    for position, stem in enumerate(sorted(found)):
        files = found[stem]
        for lang in LANGS:
            if lang not in files:
                other = next(iter(files.values()))
                problems.add(other, 1, "language", f"{stem}.{lang}.md is missing")
        parsed = {lang: _front_matter(p, problems) for lang, p in files.items()}
        if len(parsed) == 2 and all(parsed.values()):
            lessons.append(
                {
                    "key": stem,
                    "position": position,
                    "minutes": max(parsed["zh"]["minutes"], parsed["en"]["minutes"]),
                    "title": {lang: parsed[lang]["title"] for lang in LANGS},
                    "body": {lang: parsed[lang]["body"] for lang in LANGS},
                }
            )
    if not found:
        problems.add(lessons_dir, 1, "lessons", "no lesson files")
    return lessons


# noqa reason (C901): one flat check per question field; split up, the list of checks is lost.
def check_question(  # noqa: C901
    raw: dict,
    problems,
    path: Path,
    line: int | None,
    text: str = "",
    end: int | None = None,
) -> dict | None:
    """Validate one question given as in quiz.toml; returns the normalised question."""
    before = len(problems.items)
    start = line or 1

    def at(name):
        return line_of(text, name, start, end) or line

    key = raw.get("key")
    label = f"questions[{key}]" if isinstance(key, str) and key else "questions"
    if not isinstance(key, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", key or ""):
        problems.add(path, at("key"), f"{label}.key", "required: letters, digits, '-', '_' or '.'")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        problems.add(
            path, at("type"), f"{label}.type", f"must be one of {', '.join(QUESTION_TYPES)}, got {qtype!r}"
        )
    prompt = bilingual_text(raw.get("prompt"), path, at("prompt"), f"{label}.prompt", problems)
    explanation = bilingual_text(
        raw.get("explanation"), path, at("explanation"), f"{label}.explanation", problems
    )
    points = raw.get("points", 1)
    if not isinstance(points, int) or isinstance(points, bool) or points < 1:
        problems.add(path, at("points"), f"{label}.points", "must be a whole number ≥ 1")
    choices: list = []
    answer = raw.get("answer")
    if qtype in ("single", "multiple", "ordering"):
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or len(raw_choices) < 2:
            problems.add(path, at("choices"), f"{label}.choices", "at least two choices needed")
        else:
            for index, choice in enumerate(raw_choices):
                choices.append(
                    bilingual_text(choice, path, at("choices"), f"{label}.choices[{index}]", problems)
                )
    elif qtype == "true_false" and raw.get("choices"):
        problems.add(path, at("choices"), f"{label}.choices", "true_false questions have no choices")
    if qtype in ("single", "multiple") and choices:
        ok = (
            isinstance(answer, list)
            and answer
            and all(isinstance(a, int) and not isinstance(a, bool) for a in answer)
        )
        if not ok:
            problems.add(
                path, at("answer"), f"{label}.answer", "a list of zero-based choice indexes, e.g. [1]"
            )
        elif any(a < 0 or a >= len(choices) for a in answer):
            problems.add(
                path,
                at("answer"),
                f"{label}.answer",
                f"index out of range: there are {len(choices)} choices (0–{len(choices) - 1})",
            )
        elif len(set(answer)) != len(answer):
            problems.add(path, at("answer"), f"{label}.answer", "an index is repeated")
        elif qtype == "single" and len(answer) != 1:
            problems.add(
                path, at("answer"), f"{label}.answer", "a single-choice question has exactly one right answer"
            )
    elif qtype == "true_false" and not isinstance(answer, bool):
        problems.add(path, at("answer"), f"{label}.answer", "must be true or false")
    elif qtype == "ordering" and answer is not None:
        problems.add(
            path,
            at("answer"),
            f"{label}.answer",
            "ordering questions have no answer: list the choices in the right order",
        )
    if len(problems.items) > before:
        return None
    return {
        "key": key,
        "type": qtype,
        "prompt": prompt,
        "choices": choices,
        "answer": sorted(answer) if qtype == "multiple" else answer,
        "explanation": explanation,
        "points": points,
    }


def _questions(path: Path, problems: Problems) -> list[dict]:
    if not path.is_file():
        problems.add(path, 1, "quiz.toml", "file missing")
        return []
    data, text = read_toml(path, problems)
    if data is None:
        return []
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add(path, 1, "questions", "at least one [[questions]] entry is needed")
        return []
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[questions]]"]
    questions, seen = [], set()
    for index, raw in enumerate(raw_questions):
        line = headers[index] if index < len(headers) else None
        end = headers[index + 1] if index + 1 < len(headers) else None
        question = check_question(raw, problems, path, line, text, end)
        if question is None:
            continue
        if question["key"] in seen:
            problems.add(
                path,
                line_of(text, "key", line or 1, end),
                f"questions[{question['key']}].key",
                "used twice in this quiz",
            )
            continue
        seen.add(question["key"])
        question["position"] = index
        questions.append(question)
    return questions


def _paths(path: Path, slugs: set[str], problems: Problems) -> list[dict]:
    if not path.is_file():
        return []
    data, text = read_toml(path, problems)
    if data is None:
        return []
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[paths]]"]
    result, seen = [], set()
    for index, raw in enumerate(data.get("paths", [])):
        line = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else None
        slug = raw.get("slug")
        label = f"paths[{slug}]" if slug else f"paths[{index}]"

        def at(name, line=line, end=end):
            return line_of(text, name, line, end) or line

        before = len(problems.items)
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.add(path, at("slug"), f"{label}.slug", "lowercase letters, digits and '-'")
        elif slug in seen:
            problems.add(path, at("slug"), f"{label}.slug", "used twice")
        title = bilingual_text(raw.get("title"), path, at("title"), f"{label}.title", problems)
        summary = bilingual_text(
            raw.get("summary", {"zh": "", "en": ""}),
            path,
            at("summary"),
            f"{label}.summary",
            problems,
            required=False,
        )
        courses = raw.get("courses")
        if not isinstance(courses, list) or not courses or not all(isinstance(c, str) for c in courses):
            problems.add(path, at("courses"), f"{label}.courses", "a list of course slugs")
        else:
            for slug_ in courses:
                if slug_ not in slugs:
                    problems.add(path, at("courses"), f"{label}.courses", f"unknown course {slug_!r}")
            if len(set(courses)) != len(courses):
                problems.add(path, at("courses"), f"{label}.courses", "a course is listed twice")
        onboarding = raw.get("onboarding", False)
        if not isinstance(onboarding, bool):
            problems.add(path, at("onboarding"), f"{label}.onboarding", "must be true or false")
        due_days = raw.get("due_days", 14)
        if not isinstance(due_days, int) or isinstance(due_days, bool) or due_days < 1:
            problems.add(path, at("due_days"), f"{label}.due_days", "a whole number ≥ 1")
        if len(problems.items) == before:
            seen.add(slug)
            result.append(
                {
                    "slug": slug,
                    "title": title,
                    "summary": summary,
                    "courses": courses,
                    "onboarding": onboarding,
                    "due_days": due_days,
                }
            )
    return result


def read_library(directory: str | Path, existing_slugs: set[str]) -> Library:
    """Read and validate the whole library; raise LibraryError with every problem found. A path
    may name a course in the folder or one of `existing_slugs` (already in the database)."""
    root = Path(directory)
    problems = Problems(root)
    library = Library()
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    for folder in folders:
        if not SLUG.match(folder.name):
            problems.add(folder, 1, "slug", "folder names are lowercase letters, digits and '-'")
            continue
        meta_path = folder / "course.toml"
        if not meta_path.is_file():
            problems.add(meta_path, 1, "course.toml", "file missing")
            continue
        before = len(problems.items)
        meta = _course_meta(meta_path, problems)
        lessons = _lessons(folder, problems)
        questions = _questions(folder / "quiz.toml", problems)
        if meta is not None and len(problems.items) == before:
            library.courses.append({"slug": folder.name, **meta, "lessons": lessons, "questions": questions})
    library.paths = _paths(root / "paths.toml", {f.name for f in folders} | existing_slugs, problems)
    if problems.items:
        raise LibraryError(problems.items)
    return library

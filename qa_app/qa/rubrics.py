"""Rubrics: reading the TOML format (docs/rubric-format.md), validating it, versioning.

A rubric changes only by adding a version; scores keep the version they were made with.
`rubrics import` compares each file with the last version that came from a file, so an edit made
in the UI is not undone by importing an unchanged file again.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..audit.services import record
from ..extensions import db
from . import scoring
from .models import SCALES, Criterion, Rubric, RubricSection, RubricVersion

#: automatic checks a criterion may name (computed by the chats domain on import)
CHECK_NAMES = (
    "first_response_time",
    "longest_wait",
    "average_response_time",
    "greeting",
    "closing",
    "forbidden_phrases",
    "unanswered_end",
    "transfers",
    "negative_ending",
    "self_introduction",
)
#: checks that measure a number (seconds or a count), which an `auto_map` can place on a scale
MEASURED_CHECKS = (
    "first_response_time",
    "longest_wait",
    "average_response_time",
    "forbidden_phrases",
    "transfers",
)
MAX_STEPS = 10
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class RubricError(ValueError):
    """A rubric file that cannot be used; says which file and field."""

    def __init__(self, filename: str, where: str, message: str):
        self.filename, self.where, self.message = filename, where, message
        super().__init__(f"{filename}: {where}: {message}" if where else f"{filename}: {message}")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _text(value, filename: str, where: str, required: bool = True) -> dict:
    if value is None and not required:
        return {"zh": "", "en": ""}
    if isinstance(value, str) and value.strip():
        return {"zh": value, "en": value}
    if not isinstance(value, dict):
        raise RubricError(filename, where, 'expected a table { zh = "…", en = "…" }')
    zh, en = value.get("zh", ""), value.get("en", "")
    if not isinstance(zh, str) or not isinstance(en, str):
        raise RubricError(filename, where, "zh and en must be strings")
    if required and not (zh.strip() and en.strip()):
        raise RubricError(filename, where, "needs both zh and en")
    return {"zh": zh, "en": en}


def _criterion(raw, filename: str, where: str) -> dict:
    if not isinstance(raw, dict):
        raise RubricError(filename, where, "expected a table")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise RubricError(filename, f"{where}.key", "lower-case letters, digits, - or _ required")
    where = f"{where} ({key})"
    weight = raw.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise RubricError(filename, f"{where}.weight", "must be a number > 0")
    scale = raw.get("scale")
    if scale not in SCALES:
        raise RubricError(filename, f"{where}.scale", "must be one of " + ", ".join(SCALES))
    max_points = raw.get("max_points")
    if scale == "points":
        if isinstance(max_points, bool) or not isinstance(max_points, int) or not 1 <= max_points <= 1000:
            raise RubricError(
                filename,
                f"{where}.max_points",
                'required for scale = "points": a whole number from 1 to 1000',
            )
    else:
        max_points = None
    flags = {}
    for name in ("na_allowed", "critical"):
        flags[name] = raw.get(name, False)
        if not isinstance(flags[name], bool):
            raise RubricError(filename, f"{where}.{name}", "must be true or false")
    auto_check = raw.get("auto_check") or None
    if auto_check is not None and auto_check not in CHECK_NAMES:
        raise RubricError(filename, f"{where}.auto_check", "unknown check; one of " + ", ".join(CHECK_NAMES))
    auto_map = _auto_map(
        raw.get("auto_map"), auto_check, scale, max_points, flags["na_allowed"], filename, f"{where}.auto_map"
    )
    return {
        "key": key,
        "title": _text(raw.get("title"), filename, f"{where}.title"),
        "guidance": _text(raw.get("guidance"), filename, f"{where}.guidance", required=False),
        "weight": float(weight),
        "scale": scale,
        "max_points": max_points,
        "na_allowed": flags["na_allowed"],
        "critical": flags["critical"],
        "auto_check": auto_check,
        **({"auto_map": auto_map} if auto_map else {}),
    }


def _step_value(value, scale: str, max_points, na_allowed: bool, filename: str, where: str):
    if value == scoring.NA:
        if not na_allowed:
            raise RubricError(filename, where, 'value = "na" needs na_allowed = true')
        return value
    if value == scoring.GRADER:
        return value
    spec = scoring.Spec(weight=1, scale=scale, max_points=max_points)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not scoring.valid_value(spec, value):
        low, high = scoring.value_range(spec)
        raise RubricError(
            filename, where, f'must be a point of the {scale} scale ({low:g}–{high:g}), "na" or "grader"'
        )
    return value


def _step_max(bound, previous, filename: str, where: str):
    if bound == scoring.SHOP_LIMIT:
        return bound
    if isinstance(bound, bool) or not isinstance(bound, (int, float)) or bound < 0:
        raise RubricError(filename, where, f'must be a number >= 0 or "{scoring.SHOP_LIMIT}"')
    if isinstance(previous, (int, float)) and bound <= previous:
        raise RubricError(filename, where, f"must be larger than the step before ({previous:g})")
    return bound


def _auto_map(
    raw, auto_check, scale: str, max_points, na_allowed: bool, filename: str, where: str
) -> list[dict] | None:
    """The validated steps mapping a check's measured value onto the criterion's scale."""
    if raw is None:
        return None
    if auto_check is None:
        raise RubricError(filename, where, "needs auto_check: the check whose value it maps")
    if auto_check not in MEASURED_CHECKS:
        raise RubricError(
            filename,
            where,
            f"the check {auto_check!r} measures no number; only "
            + ", ".join(MEASURED_CHECKS)
            + " can be mapped",
        )
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_STEPS:
        raise RubricError(
            filename, where, f"expected a list of 1 to {MAX_STEPS} steps {{ max = …, value = … }}"
        )
    steps, previous = [], None
    for index, step in enumerate(raw, 1):
        here = f"{where}[{index}]"
        if not isinstance(step, dict) or set(step) - {"max", "value"} or "value" not in step:
            raise RubricError(
                filename, here, "expected { max = …, value = … } (max left out on the last step)"
            )
        value = _step_value(step["value"], scale, max_points, na_allowed, filename, f"{here}.value")
        last = index == len(raw)
        if last and "max" in step:
            raise RubricError(
                filename, f"{here}.max", "leave max out of the last step: it takes every larger value"
            )
        if not last and "max" not in step:
            raise RubricError(filename, f"{here}.max", "required on every step but the last")
        bound = None if last else _step_max(step["max"], previous, filename, f"{here}.max")
        previous = bound if bound is not None else previous
        steps.append({"max": bound, "value": value})
    return steps


def steps_of(criterion: Criterion) -> tuple[scoring.Step, ...]:
    """The pre-fill map of a stored criterion (empty: plain pass/fail)."""
    return tuple(scoring.Step(value=s["value"], max=s["max"]) for s in criterion.auto_map or ())


def parse(text: str, filename: str) -> dict:
    """Validated, normalised rubric content from TOML text; RubricError names file and field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RubricError(filename, "", f"not valid TOML ({error})") from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table: a file nesting them a
        # thousand deep exhausts Python's stack; no rubric nests more than three
        raise RubricError(filename, "", "not valid TOML (arrays or tables nested too deeply)") from None
    content = {
        "title": _text(raw.get("title"), filename, "title"),
        "description": _text(raw.get("description"), filename, "description", required=False),
        "sections": [],
    }
    sections = raw.get("sections")
    if not isinstance(sections, list) or not sections:
        raise RubricError(filename, "sections", "at least one [[sections]] is required")
    seen_sections, seen_criteria = set(), set()
    for s_index, section in enumerate(sections, 1):
        where = f"sections[{s_index}]"
        if not isinstance(section, dict):
            raise RubricError(filename, where, "expected a table")
        key = section.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise RubricError(filename, f"{where}.key", "lower-case letters, digits, - or _ required")
        if key in seen_sections:
            raise RubricError(filename, f"{where}.key", f"duplicate section key {key!r}")
        seen_sections.add(key)
        criteria = section.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            raise RubricError(filename, f"{where}.criteria", "at least one criterion is required")
        parsed = []
        for c_index, raw_criterion in enumerate(criteria, 1):
            criterion = _criterion(raw_criterion, filename, f"{where}.criteria[{c_index}]")
            if criterion["key"] in seen_criteria:
                raise RubricError(
                    filename,
                    f"{where}.criteria[{c_index}].key",
                    f"duplicate criterion key {criterion['key']!r}",
                )
            seen_criteria.add(criterion["key"])
            parsed.append(criterion)
        content["sections"].append(
            {"key": key, "title": _text(section.get("title"), filename, f"{where}.title"), "criteria": parsed}
        )
    return content


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_dir(directory: str | Path) -> dict[str, tuple[dict, str]]:
    """Every rubric file of a directory, parsed: {slug: (content, text)}; the first bad file raises."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RubricError(str(directory), "", "no such directory")
    found = {}
    for path in sorted(directory.glob("*.toml")):
        if not KEY.match(path.stem):
            raise RubricError(path.name, "", "file name must be a slug (lower-case, digits, - or _)")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RubricError(path.name, "", "not UTF-8 text") from None
        found[path.stem] = (parse(text, path.name), text)
    return found


def import_dir(directory: str | Path, actor=None) -> ImportReport:
    """Load a directory of rubrics: all files are checked before anything is written."""
    parsed = read_dir(directory)
    report = ImportReport()
    for slug, (content, text) in parsed.items():
        rubric = db.session.scalar(sa.select(Rubric).where(Rubric.slug == slug))
        if rubric is None:
            rubric = Rubric(slug=slug)
            db.session.add(rubric)
            add_version(rubric, content, text, source="file", actor=actor)
            report.created.append(slug)
            continue
        from_file = [v for v in rubric.versions if v.source == "file"]
        if from_file and from_file[-1].content_hash == content_hash(content):
            report.unchanged.append(slug)
            continue
        add_version(rubric, content, text, source="file", actor=actor)
        report.updated.append(slug)
    db.session.flush()
    return report


def add_version(
    rubric: Rubric, content: dict, text: str, *, source: str, actor=None, published: bool = True
) -> RubricVersion:
    number = max((v.number for v in rubric.versions), default=0) + 1
    version = RubricVersion(
        rubric=rubric,
        number=number,
        content_hash=content_hash(content),
        content=content,
        toml_text=text,
        source=source,
        published=published,
        title_zh=content["title"]["zh"][:200],
        title_en=content["title"]["en"][:200],
        description_zh=content["description"]["zh"],
        description_en=content["description"]["en"],
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    position = 0
    for s_pos, raw_section in enumerate(content["sections"]):
        section = RubricSection(
            version=version,
            key=raw_section["key"],
            position=s_pos,
            title_zh=raw_section["title"]["zh"][:200],
            title_en=raw_section["title"]["en"][:200],
        )
        for raw in raw_section["criteria"]:
            db.session.add(
                Criterion(
                    version=version,
                    section=section,
                    key=raw["key"],
                    position=position,
                    title_zh=raw["title"]["zh"][:200],
                    title_en=raw["title"]["en"][:200],
                    guidance_zh=raw["guidance"]["zh"],
                    guidance_en=raw["guidance"]["en"],
                    weight=raw["weight"],
                    scale=raw["scale"],
                    max_points=raw["max_points"],
                    na_allowed=raw["na_allowed"],
                    critical=raw["critical"],
                    auto_check=raw["auto_check"],
                    auto_map=raw.get("auto_map"),
                )
            )
            position += 1
    return version


def save_from_ui(actor, slug: str, text: str) -> tuple[Rubric, RubricVersion | None]:
    """Create a rubric or add a version from TOML typed in the UI; None when nothing changed."""
    if not KEY.match(slug or ""):
        raise RubricError(f"{slug}.toml", "slug", "lower-case letters, digits, - or _ required")
    content = parse(text, f"{slug}.toml")
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.slug == slug))
    if rubric is None:
        rubric = Rubric(slug=slug)
        db.session.add(rubric)
    elif rubric.current is not None and rubric.current.content_hash == content_hash(content):
        return rubric, None
    before = rubric.current.number if rubric.current else None
    version = add_version(rubric, content, text, source="ui", actor=actor)
    db.session.flush()
    record(
        actor,
        "rubric.version_added",
        rubric,
        before={"version": before},
        after={"version": version.number, "hash": version.content_hash},
    )
    db.session.flush()
    return rubric, version


def set_active(actor, rubric: Rubric, active: bool) -> None:
    record(
        actor,
        "rubric.archived" if not active else "rubric.restored",
        rubric,
        before={"active": rubric.active},
        after={"active": active},
    )
    rubric.active = active
    db.session.flush()


def all_rubrics(active_only: bool = False) -> list[Rubric]:
    stmt = sa.select(Rubric).order_by(Rubric.slug)
    if active_only:
        stmt = stmt.where(Rubric.active.is_(True))
    return list(db.session.scalars(stmt))


def get_version(version_id: int) -> RubricVersion | None:
    return db.session.get(RubricVersion, version_id)

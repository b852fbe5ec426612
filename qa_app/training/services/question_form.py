"""The course editor's question form, checked in the form's own terms.

The importer's rules (course_format.check_question) speak of quiz.toml (`questions[k].answer`,
zero-based indexes); a trainer filling the form sees numbered lines and two language columns. So
the form is checked here first, each problem under the field that is wrong and numbered as the
form numbers choices (from 1); the importer's check then runs on the result as a safety net.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from . import TrainingError
from .course_format import check_question

LANGUAGES = ("zh", "en")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
WRITE_PROMPT = {"zh": _l("Write the question in Chinese."), "en": _l("Write the question in English.")}
WRITE_EXPLANATION = {
    "zh": _l("Write the explanation in Chinese."),
    "en": _l("Write the explanation in English."),
}


class QuestionFormError(TrainingError):
    """The form's problems: form field name -> messages for that field."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(_l("The question was not saved: see the marked fields."), fields=tuple(errors))
        self.errors = errors


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def course_languages(version) -> tuple[str, ...]:
    """The languages a course is written in: those its title is given in (both when neither)."""
    given = tuple(lang for lang in LANGUAGES if getattr(version, f"title_{lang}", "").strip())
    return given or LANGUAGES


def _right_choices(correct: str, count: int, qtype: str, errors: dict) -> list[int]:
    """The right choices as zero-based indexes, from the form's 1-based numbers."""
    parts = [n.strip() for n in (correct or "").replace("，", ",").split(",") if n.strip()]
    if not parts:
        errors["correct"] = [_l("Give the number of the right choice (choices are numbered from 1).")]
        return []
    if not all(p.isascii() and p.isdigit() for p in parts):
        errors["correct"] = [_l("Right answers: choice numbers separated by commas, e.g. 2 or 1,3.")]
        return []
    numbers = [int(p) for p in parts]
    if any(n < 1 or n > count for n in numbers):
        message = _l("There are %(count)s choices: give numbers from 1 to %(count)s.", count=count)
        errors["correct"] = [message]
    elif len(set(numbers)) != len(numbers):
        errors["correct"] = [_l("A choice number is given twice.")]
    elif qtype == "single" and len(numbers) != 1:
        errors["correct"] = [_l("A single-choice question has exactly one right answer.")]
    return [n - 1 for n in numbers]


def _texts(fields: dict[str, str], languages, errors: dict) -> dict[str, dict[str, str]]:
    """Prompt and explanation in each language; a one-language course fills the other from it."""
    texts = {}
    for name, missing in (("prompt", WRITE_PROMPT), ("explanation", WRITE_EXPLANATION)):
        given = {lang: (fields.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES}
        for lang in languages:
            if not given[lang]:
                errors.setdefault(f"{name}_{lang}", []).append(missing[lang])
        fallback = next((given[lang] for lang in languages if given[lang]), "")
        texts[name] = {lang: given[lang] or fallback for lang in LANGUAGES}
    return texts


def _choices(choices_zh: str, choices_en: str, languages, errors: dict) -> list[dict[str, str]]:
    given = {"zh": _lines(choices_zh), "en": _lines(choices_en)}
    first = given[languages[0]]
    if len(first) < 2:
        errors[f"choices_{languages[0]}"] = [_l("Give at least two choices, one per line.")]
        return []
    if len(languages) == 2 and len(given["zh"]) != len(given["en"]):
        message = _l(
            "Give as many English choices as Chinese ones (%(zh)s and %(en)s now).",
            zh=len(given["zh"]),
            en=len(given["en"]),
        )
        errors["choices_en"] = [message]
        return []
    other = [lang for lang in LANGUAGES if lang not in languages]
    for lang in other:  # a one-language course: the other column repeats it
        given[lang] = given[lang] if len(given[lang]) == len(first) else first
    return [{"zh": a, "en": b} for a, b in zip(given["zh"], given["en"], strict=True)]


def parse_question_form(
    *,
    key: str,
    qtype: str,
    points: int,
    choices_zh: str,
    choices_en: str,
    correct: str,
    true_false: str,
    languages: tuple[str, ...] = LANGUAGES,
    **texts: str,
) -> dict:
    """Turn the question form (choices one per line, right answers as 1-based numbers, texts as
    prompt_zh, prompt_en, explanation_zh, explanation_en) into the quiz.toml shape; raises
    QuestionFormError naming each wrong field."""
    errors: dict[str, list] = {}
    key = (key or "").strip()
    if not KEY.match(key):
        errors["key"] = [_l("Letters, digits, '-', '_' or '.', starting with a letter or digit.")]
    raw: dict = {"key": key, "type": qtype, "points": points, **_texts(texts, languages, errors)}
    if qtype == "true_false":
        raw["answer"] = true_false == "true"
    else:
        raw["choices"] = _choices(choices_zh, choices_en, languages, errors)
        if qtype in ("single", "multiple") and raw["choices"]:
            raw["answer"] = _right_choices(correct, len(raw["choices"]), qtype, errors)
    if errors:
        raise QuestionFormError(errors)
    problems = _Collect()
    question = check_question(raw, problems, None, None)
    if question is None:  # a rule the form does not know of yet: shown as the importer says it
        raise TrainingError("; ".join(problems.items))
    return question


class _Collect:
    def __init__(self):
        self.items: list[str] = []

    def add(self, path, line, fieldname, message):
        self.items.append(f"{fieldname}: {message}")

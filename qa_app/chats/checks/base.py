"""What every check shares: the shop's rules, the outcome, the evidence excerpt, phrase matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ...accounts.standards import DEFAULT_ALLOWED_TEMPLATES, DEFAULT_CLOSINGS, DEFAULT_OPENERS, as_lines

PASS, FAIL, NOT_MEASURABLE = "pass", "fail", "not_measurable"
EXCERPT = 120


@dataclass(frozen=True)
class Rules:
    """A shop's service standards as the checks read them (one source: the Shop row)."""

    first_response_limit_seconds: int = 300
    forbidden_phrases: tuple[str, ...] = ()
    accepted_openers: tuple[str, ...] = DEFAULT_OPENERS
    allowed_templates: tuple[str, ...] = DEFAULT_ALLOWED_TEMPLATES
    closing_phrases: tuple[str, ...] = DEFAULT_CLOSINGS

    @property
    def average_limit_seconds(self) -> float:
        return self.first_response_limit_seconds / 2

    @classmethod
    def for_shop(cls, shop) -> Rules:
        return cls(
            shop.first_response_limit_seconds or 300,
            as_lines(shop.forbidden_phrases),
            as_lines(shop.accepted_openers),
            as_lines(shop.allowed_templates),
            as_lines(shop.closing_phrases),
        )


class Outcome(NamedTuple):
    check: str
    result: str
    value: float | None = None
    position: int | None = None
    evidence: str | None = None


def _excerpt(text: str, around: int = 0) -> str:
    start = max(0, around - EXCERPT // 2) if around else 0
    piece = text[start : start + EXCERPT]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT < len(text) else "")


def outcome(check, result, messages, position=None, value=None, around: int = 0) -> Outcome:
    evidence = _excerpt(messages[position].text, around) if position is not None else None
    return Outcome(check, result, None if value is None else round(float(value), 1), position, evidence)


def positions(messages, sender: str) -> list[int]:
    return [i for i, m in enumerate(messages) if m.sender == sender]


class Phrases:
    """A phrase list to look for in a text. Python's re tries every alternative at every
    position, so a list of 30+ phrases as one pattern cost ~50 µs a message: phrases are found
    with str.find on the lowered text instead, and only those needing whole-word matching
    (English words: "hi" is not in "this") go through one regex."""

    def __init__(self, words: tuple[str, ...]):
        lowered = [w.lower() for w in words if w]
        self.plain = tuple(w for w in lowered if not (w.isascii() and w[:1].isalnum()))
        worded = [rf"\b{re.escape(w)}\b" for w in lowered if w.isascii() and w[:1].isalnum()]
        self.worded = re.compile("|".join(worded)) if worded else None

    def first(self, lowered: str) -> int | None:
        """Where the first phrase starts in `lowered` (a text already lowered), or None."""
        first = None
        for word in self.plain:
            index = lowered.find(word)
            if index >= 0 and (first is None or index < first):
                first = index
        if self.worded is not None:
            match = self.worded.search(lowered)
            if match and (first is None or match.start() < first):
                first = match.start()
        return first


_PHRASES: dict[tuple[str, ...], Phrases] = {}


def phrases(words: tuple[str, ...]) -> Phrases:
    """The matcher for a word list, built once (shops share a few lists)."""
    matcher = _PHRASES.get(words)
    if matcher is None:
        matcher = _PHRASES[words] = Phrases(words)
    return matcher


def find(text: str, words: tuple[str, ...]) -> int | None:
    """Where the first of `words` starts in `text` (case-insensitive), or None."""
    return phrases(words).first(text.lower())


# punctuation, spaces and emoji-free symbols dropped before comparing with a shop's phrase list:
# exports differ in full/half-width commas and trailing "?"
_NOISE = re.compile(r"[\s,，.。!！?？~～、:：;；\"'“”‘’()（）…#＃*]+")


def squeeze(text: str) -> str:
    return _NOISE.sub("", text).lower()


def contains_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    squeezed = squeeze(text)
    return any(p and p in squeezed for p in _squeezed(phrases))


_SQUEEZED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _squeezed(phrases: tuple[str, ...]) -> tuple[str, ...]:
    found = _SQUEEZED.get(phrases)
    if found is None:
        found = _SQUEEZED[phrases] = tuple(squeeze(p) for p in phrases)
    return found


def is_punctuation(text: str) -> bool:
    return not squeeze(text)

"""Clause splitting for Chinese and English reviews.

A review is cut at sentence and clause punctuation (full- and half-width), at line breaks
and before contrast conjunctions (但/但是/不过/可是/然而/只是/就是, but/however/although/
though/whereas), and before "and" when a new subject follows ("… and the seller never
replied"). Leading conjunctions are dropped from each clause and the clause keeps the
original characters of the review, so a clause can be shown as evidence as it was written.
"""

from __future__ import annotations

import re

# Clause punctuation. A "." only splits when it is not between two digits (4.5 stars);
# a run of punctuation ("!!!", "...", "。。") is one split. "、" (enumeration comma) splits
# only before a longer phrase, so "快、好" stays one clause.
_PUNCT = r"(?:[，,。！!？?；;：:\n\r\t~～…]|(?<!\d)\.|\.(?!\d))+|、(?=[^、]{4,})"

# Chinese contrast words that start a new clause even without punctuation. "但" is not a
# split point inside 不但 (not only) or 但愿.
_ZH_CONJ = r"(?:但是|不过|可是|然而|只是|就是|但(?!愿))"
_ZH_SPLIT = r"(?<![不])(?=" + _ZH_CONJ + r")"

_EN_SPLIT = (
    r"\s+(?=(?i:but|however|although|though|whereas|except that)\b)"
    r"|\s+(?=(?i:and\s+(?:the|they|their|it|its|he|she|his|her|i|we|my|our|this|that|"
    r"customer|support|service|staff|seller|agent))\b)"
)

_SPLIT_RE = re.compile("(?:" + _PUNCT + ")|" + _ZH_SPLIT + "|" + _EN_SPLIT)

_LEADING_RE = re.compile(
    r"(?:\s|" + _ZH_CONJ + r"|而且|并且|另外|还有|其次|再说|总之|总的来说|"
    r"(?i:and|but|however|although|though|whereas|except that|also|plus|yet|so|then)\b)+",
)
_STRIP_CHARS = " \t\"'“”‘’()（）[]【】「」-—*#·,，、"


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the non-empty clauses of ``text``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SPLIT_RE.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < len(text):
        spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if end > start:
            out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        while start < end and text[start] in _STRIP_CHARS:
            start += 1
        while end > start and text[end - 1] in _STRIP_CHARS:
            end -= 1
        m = _LEADING_RE.match(text, start, end)
        if m and m.end() > start:
            start = m.end()
            continue
        return start, end


def split_clauses(text: str) -> list[str]:
    """Split a review into clauses (original characters, leading conjunctions removed)."""
    return [text[s:e] for s, e in split_spans(text or "")]

"""How wide a chart label is drawn, and how to shorten one that does not fit.

SVG text is never measured by the browser for us (no scripts, CSP), so the charts reserve
margins from an estimate: wide (CJK) characters take about one em, others about 0.6 em.
A label that still does not fit is cut with an ellipsis and the chart puts the whole text
in a <title> tooltip, so nothing is lost.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def char_width(char: str, font_size: float) -> float:
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    return font_size * (1.0 if wide else 0.65)


def text_width(text: str, font_size: float) -> float:
    return sum(char_width(c, font_size) for c in text)


def fit(text: str, max_width: float, font_size: float) -> str:
    """The text, or its longest prefix plus an ellipsis that fits in max_width."""
    if text_width(text, font_size) <= max_width:
        return text
    room = max_width - char_width(ELLIPSIS, font_size)
    used, kept = 0.0, []
    for char in text:
        used += char_width(char, font_size)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def widest(texts: list[str], font_size: float) -> float:
    return max((text_width(t, font_size) for t in texts), default=0.0)

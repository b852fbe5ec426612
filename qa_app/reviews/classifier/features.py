"""Feature extraction shared by training (scripts/train_reviews.py) and inference.

Pure Python on purpose: the same function produces the features the linear model
was trained on and the ones it scores at run time, so the two can never drift.

Features are binary (a set of strings):
- ``c:<gram>``  character n-grams of the normalised text (lengths ``char_min``..``char_max``),
- ``w:<word>`` / ``w:<w1> <w2>`` Latin-script word n-grams (``word_max`` = 0 disables them),
  with words after an English negation prefixed ``not_`` (classic negation marking),
- ``L:zh`` / ``L:en`` a script indicator that acts as a per-language bias,
- ``n:<k>`` a coarse length bucket (when ``len_bucket`` is set).
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_CONFIG: dict[str, int] = {"char_min": 1, "char_max": 3, "word_max": 2, "neg_scope": 3}

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_EN_NEGATORS = frozenset(
    "not no never nothing nobody none nor neither without hardly barely "
    "don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't couldn't "
    "shouldn't haven't hasn't hadn't ain't cannot dont doesnt didnt isnt wasnt cant couldnt wont".split()
)
_EN_SCOPE_BREAK = frozenset("but however although though yet".split())


def normalise(text: str) -> str:
    """NFKC (full-width → half-width punctuation and letters), lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("’", "'").replace("‘", "'")
    return _SPACE_RE.sub(" ", text).strip()


def is_chinese(text: str) -> bool:
    """True when the text contains CJK ideographs (a single one is enough)."""
    return _CJK_RE.search(text) is not None


def char_grams(norm: str, cmin: int, cmax: int) -> set[str]:
    """Distinct character n-grams (lengths cmin..cmax) of a normalised text, unprefixed."""
    n = len(norm)
    grams: set[str] = set(norm) if cmin == 1 else set()
    for size in range(max(cmin, 2), cmax + 1):
        grams |= {norm[i : i + size] for i in range(n - size + 1)}
    return grams


def other_features(norm: str, cfg: dict[str, int]) -> set[str]:
    """All features except the character n-grams (script, length, English word n-grams)."""
    feats: set[str] = {"L:zh" if is_chinese(norm) else "L:en"}
    if cfg.get("len_bucket", 0):
        # Coarse length indicator (1-2, 3-4, 5-8, ... chars): lets one joint model keep
        # the different priors of short (take-away) and long (hotel) reviews.
        feats.add(f"n:{min(len(norm).bit_length(), 9)}")
    word_max = cfg.get("word_max", 0)
    if word_max:
        words = _WORD_RE.findall(norm)
        if words:
            scope = cfg.get("neg_scope", 0)
            marked = []
            left = 0
            for w in words:
                if w in _EN_SCOPE_BREAK:
                    left = 0
                    marked.append(w)
                elif w in _EN_NEGATORS:
                    left = scope
                    marked.append(w)
                elif left > 0:
                    left -= 1
                    marked.append("not_" + w)
                else:
                    marked.append(w)
            feats.update("w:" + w for w in marked)
            if word_max >= 2:
                feats.update("w:" + a + " " + b for a, b in zip(marked, marked[1:], strict=False))
    return feats


def features(text: str, config: dict[str, int] | None = None, *, normalised: bool = False) -> set[str]:
    """The model's binary features of a text (used by training; inference uses the same
    two helpers without building the ``c:`` prefixed strings)."""
    cfg = config or DEFAULT_CONFIG
    norm = text if normalised else normalise(text)
    feats = other_features(norm, cfg)
    feats.update("c:" + g for g in char_grams(norm, cfg["char_min"], cfg["char_max"]))
    return feats

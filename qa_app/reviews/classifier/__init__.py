"""Customer-review classifier: overall sentiment and what the review says about the service.

Pure functions, pure Python at run time (no numpy/scikit-learn, no Flask, no network).

    >>> from qa_app.reviews.classifier import classify
    >>> c = classify("衣服质量一般,但客服小美很耐心")
    >>> c.service_polarity, c.evidence
    ('praise', '客服小美很耐心')

- ``sentiment`` (positive | negative | neutral): a character n-gram linear model (NB-SVM,
  trained by scripts/train_reviews.py, exported to ``model.json.gz``) blended with the
  lexicon total of the clauses gives P(positive); inside the artefact's ``neutral_band``
  (0.4–0.6) it is neutral, and so it is when some clauses praise and others blame and P is
  inside the wider ``contrast_band`` (0.3–0.7).
- ``service_polarity`` (praise | criticism | mixed | none): the review is split into clauses;
  clauses with a service term (客服/回复/态度/耐心/售后…, agent/support/staff/replied…) are
  judged one by one with the sentiment lexicon (negation and degree rules), falling back to the
  model's probability on the clause when the lexicon finds no judging word. Praise and
  criticism clauses together give ``mixed``; no judged service clause gives ``none``.
- ``evidence``: the judged service clause(s) as written in the review ("" for ``none``).

Star ratings are not an input: a rating is shown next to the result and overrides nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import split_clauses, split_spans
from .features import is_chinese, normalise
from .lexicon import score as lexicon_score
from .lexicon import service_term
from .model import get_model

__all__ = [
    "CONFIRM_BELOW",
    "Classification",
    "classify",
    "split_clauses",
    "SENTIMENTS",
    "SERVICE_POLARITIES",
]

SENTIMENTS = ("positive", "negative", "neutral")
SERVICE_POLARITIES = ("praise", "criticism", "mixed", "none")

# A review whose ``confidence`` is below this should wait for a person's confirmation
# (provisional value; see docs/reviews-classifier.md for how it is chosen).
CONFIRM_BELOW = 0.6

# A service clause without any lexicon word is judged by the model only when the model is
# this sure (measured on tests/data/service_reviews.csv, see docs/reviews-classifier.md).
CLAUSE_FALLBACK_LOW = 0.25
CLAUSE_FALLBACK_HIGH = 0.75
# A clause right after a service clause continues its topic ("客服小美，超级耐心",
# "Support was friendly but they could not fix anything") when it has no subject of its
# own: for Chinese, at most this many characters and no product noun; for English, it does
# not start with a determiner, a non-service pronoun or a product noun.
CARRY_MAX_CHARS = 10
_ZH_PRODUCT_NOUNS = re.compile(
    "质量|衣服|裤子|裙子|鞋|东西|商品|产品|宝贝|货|味道|口味|价格|价钱|包装|物流|快递|发货|送货|"
    "尺码|颜色|面料|做工|款式|电池|屏幕|手机|电脑|耳机|菜|饭|分量|份量|外卖|房间|酒店|环境|位置"
)
_EN_NOT_CONTINUING = frozenset(
    "the a an my our your this that these those it its it's i i'm i've we we're you there "
    "overall quality price product products item items size color colour fabric material "
    "food battery screen shipping delivery package packaging order".split()
)
_EN_FIRST_WORD = re.compile(r"[a-z']+")


def _continues_topic(clause: str) -> bool:
    """Whether a (normalised) clause without a service term can continue the previous one."""
    if is_chinese(clause):
        return len(clause) <= CARRY_MAX_CHARS and not _ZH_PRODUCT_NOUNS.search(clause)
    m = _EN_FIRST_WORD.match(clause)
    return bool(m) and m.group(0) not in _EN_NOT_CONTINUING


@dataclass(frozen=True)
class Classification:
    sentiment: str
    service_polarity: str
    evidence: str
    positive_probability: float
    # How sure the classifier is of the whole verdict (sentiment and service polarity), 0..1.
    confidence: float = 1.0


def _sentiment(p: float, band: tuple[float, float]) -> str:
    lo, hi = band
    if p < lo:
        return "negative"
    if p > hi:
        return "positive"
    return "neutral"


def _sentiment_confidence(p: float, band: tuple[float, float]) -> float:
    """Provisional: distance of P(positive) from the neutral band's edges, scaled to 0..1."""
    lo, hi = band
    if p > hi:
        return min(1.0, 0.5 + (p - hi) / (2 * (1 - hi)))
    if p < lo:
        return min(1.0, 0.5 + (lo - p) / (2 * lo))
    return 0.5 - min(p - lo, hi - p) / max(hi - lo, 1e-9)


def classify(text: str) -> Classification:
    """Classify one review (Chinese or English)."""
    text = text or ""
    model = get_model()
    norm = normalise(text)
    z = model.score(norm, normalised=True)
    lexicon_total, n_pos, n_neg = 0.0, 0, 0

    judged: list[tuple[int, int, int]] = []  # (polarity sign, start, end)
    # The previous clause when it was about the service: (start, end, was it judged?)
    previous: tuple[int, int, bool] | None = None
    for start, end in split_spans(text):
        clause = normalise(text[start:end])
        value, hits = lexicon_score(clause)
        lexicon_total += value
        n_pos += value > 0
        n_neg += value < 0
        if service_term(clause):
            sign = 0
            if hits:
                sign = (value > 0) - (value < 0)
                if sign == 0:  # praise and criticism in one clause
                    judged.append((-1, start, end))
                    sign = 1
            else:
                pc = model.positive_probability(clause, normalised=True)
                if pc >= CLAUSE_FALLBACK_HIGH:
                    sign = 1
                elif pc <= CLAUSE_FALLBACK_LOW:
                    sign = -1
            if sign:
                judged.append((sign, start, end))
            previous = (start, end, bool(sign))
        elif previous is not None and hits and value != 0 and _continues_topic(clause):
            # An unjudged service clause and its judgement form one piece of evidence.
            first = start if previous[2] else previous[0]
            judged.append((1 if value > 0 else -1, first, end))
            previous = (first, end, True)
        else:
            previous = None

    p = model.blended_probability(z, lexicon_total, is_chinese(norm))
    sentiment = _sentiment(p, model.neutral_band)
    if n_pos and n_neg and model.contrast_band and model.contrast_band[0] <= p <= model.contrast_band[1]:
        sentiment = "neutral"  # praise and blame in different clauses, no clear winner
    sentiment_conf = _sentiment_confidence(p, model.neutral_band)
    if not judged:
        return Classification(sentiment, "none", "", p, sentiment_conf)
    signs = {s for s, _, _ in judged}
    polarity = "mixed" if len(signs) == 2 else ("praise" if 1 in signs else "criticism")
    pieces: list[str] = []
    for _, start, end in judged:
        piece = text[start:end]
        if piece not in pieces:
            pieces.append(piece)
    sep = "；" if is_chinese(text) else "; "
    return Classification(sentiment, polarity, sep.join(pieces), p, sentiment_conf)

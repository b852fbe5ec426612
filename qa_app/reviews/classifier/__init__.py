"""Customer-review classifier: overall sentiment and what the review says about the service.

Pure functions, pure Python at run time (no numpy/scikit-learn, no Flask, no network).

    >>> from qa_app.reviews.classifier import classify
    >>> c = classify("衣服质量一般,但客服小美很耐心")
    >>> c.service_polarity, c.evidence
    ('praise', '客服小美很耐心')

- ``sentiment`` (positive | negative | neutral): a character n-gram linear model (NB-SVM with
  the clauses' lexicon total as one more input, trained by scripts/train_reviews.py on shop,
  product, hotel and take-away reviews, exported to ``model.json.gz``) gives P(positive);
  inside the artefact's narrow ``neutral_band`` it is neutral.
- ``service_polarity`` (praise | criticism | mixed | none): the review is split into clauses;
  each clause that names the service, or follows one that does, is judged by a learned clause
  model (service.py: none / praise / criticism) that knows who is judged (shop staff vs courier
  or platform) and what counts (dishonesty, buck-passing, refusals as criticism; thanks after
  trouble as praise) from labelled reviews. Praise and criticism clauses together give
  ``mixed``; no judged clause gives ``none``.
- ``evidence``: the judged clause(s) as written in the review, with the clause naming whom it
  judges when the judgement has no subject of its own ("客服小美，超级赞"); "" for ``none``.
- ``confidence``: P of the chosen sentiment side times the service verdict's own certainty
  (service.verdict). ``CONFIRM_BELOW`` is the value below which about 15 % of held-out reviews
  fall (scripts/eval_reviews.py prints it; docs/reviews-classifier.md).

Star ratings are not an input: a rating is shown next to the result and overrides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clauses import split_clauses, split_spans
from .features import is_chinese, normalise
from .lexicon import score as lexicon_score
from .lexicon import service_term
from .model import LinearModel, get_model
from .service import NOT_JUDGED, clause_features, verdict
from .service_rules import VOTES, rule_probabilities

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

# A review whose ``confidence`` is below this should wait for a person's confirmation: the
# 15th percentile of the held-out confidences printed by scripts/eval_reviews.py (33,413
# verdicts of models that never saw their source; 15.0 % wait, right 67 % of the time against
# 87 % for the others). Copy the new value here after a retrain (docs/reviews-classifier.md).
CONFIRM_BELOW = 0.661


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


def _sentiment_confidence(p: float, sentiment: str) -> float:
    """How sure the sentiment is: P of the chosen side, or for neutral how close P is to 0.5."""
    if sentiment == "neutral":
        return 1.0 - abs(p - 0.5)
    return max(p, 1.0 - p)


def _averaged(a: tuple[float, float, float], b: tuple[float, float, float]) -> tuple[float, float, float]:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2


def classify(text: str, model: LinearModel | None = None) -> Classification:
    """Classify one review (Chinese or English); ``model`` defaults to the shipped one."""
    text = text or ""
    model = model or get_model()
    service = model.service
    norm = normalise(text)
    z = model.score(norm, normalised=True)
    lexicon_total, n_pos, n_neg = 0.0, 0, 0
    spans = split_spans(text)
    clauses = [normalise(text[start:end]) for start, end in spans]
    lexicon = [lexicon_score(clause) for clause in clauses]
    terms = [service_term(clause) for clause in clauses]
    for value, _ in lexicon:
        lexicon_total += value
        n_pos += value > 0
        n_neg += value < 0
    ruled = rule_probabilities(clauses, lexicon, terms)
    clause_probs: list[tuple[float, float, float]] = []
    for i, clause in enumerate(clauses):
        previous, previous_term = (clauses[i - 1], terms[i - 1]) if i else ("", "")
        rule = ruled[i]
        if rule is not None and rule not in VOTES:
            clause_probs.append(rule)
        elif service is not None and (terms[i] or previous_term):  # == candidate(clause, previous)
            zc = model.score(clause, normalised=True)
            value, hits = lexicon[i]
            features = clause_features(clause, previous, zc, value, hits, (terms[i], previous_term))
            learned = service.probabilities(*features)
            clause_probs.append(learned if rule is None else _averaged(learned, rule))
        else:
            clause_probs.append(rule or NOT_JUDGED)
    names_service = [bool(term) for term in terms]  # does the clause itself name the service?

    p = model.blended_probability(z, lexicon_total, is_chinese(norm))
    sentiment = _sentiment(p, model.neutral_band)
    if n_pos and n_neg and model.contrast_band and model.contrast_band[0] <= p <= model.contrast_band[1]:
        sentiment = "neutral"  # praise and blame in different clauses, no clear winner
    threshold = service.threshold if service is not None else 0.5
    polarity, judged, polarity_confidence = verdict(clause_probs, threshold)
    # Both halves of the verdict must hold; treat them as independent.
    confidence = round(_sentiment_confidence(p, sentiment) * polarity_confidence, 4)
    pieces: list[tuple[int, int]] = []
    for i in judged:
        start, end = spans[i]
        if i and not names_service[i] and names_service[i - 1]:
            start = spans[i - 1][0]  # "客服小美，超级赞": the judgement and whom it judges
        if pieces and start <= pieces[-1][1]:
            pieces[-1] = (pieces[-1][0], end)  # overlapping pieces are one stretch of the review
        else:
            pieces.append((start, end))
    sep = "；" if is_chinese(text) else "; "
    return Classification(
        sentiment, polarity, sep.join(text[start:end] for start, end in pieces), p, confidence
    )

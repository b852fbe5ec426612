"""Storing the classifier's verdict with a review. The model itself lives in `classifier/`."""

from __future__ import annotations

from .models import Review


def classify_text(text: str):
    """The classifier's `Classification` for a text (sentiment, service_polarity, evidence,
    positive_probability, confidence)."""
    from .classifier import classify

    return classify(text)


def confirm_below() -> float | None:
    """The classifier's threshold: a verdict less sure than this waits for a person."""
    from . import classifier

    return getattr(classifier, "CONFIRM_BELOW", None)


def classify_review(review: Review) -> None:
    """(Re)classify a review, unless a person corrected or confirmed its verdict: theirs stands.
    A verdict less sure than the classifier's CONFIRM_BELOW is marked "to confirm"."""
    if review.corrected or review.confirmed_at is not None:
        return
    result = classify_text(review.text)
    review.sentiment = result.sentiment
    review.service_polarity = result.service_polarity
    review.evidence = result.evidence or None
    probability = getattr(result, "positive_probability", None)
    review.probability = float(probability) if probability is not None else None
    confidence = getattr(result, "confidence", None)
    review.confidence = float(confidence) if confidence is not None else None
    threshold = confirm_below()
    review.needs_confirmation = bool(
        confidence is not None and threshold is not None and confidence < threshold
    )

"""Storing the classifier's verdict with a review. The model itself lives in `classifier/`."""

from __future__ import annotations

from .models import Review


def classify_text(text: str):
    """The classifier's `Classification` for a text (sentiment, service_polarity, evidence,
    positive_probability)."""
    from .classifier import classify

    return classify(text)


def classify_review(review: Review) -> None:
    """(Re)classify a review, unless a lead corrected it: a correction is never overwritten."""
    if review.corrected:
        return
    result = classify_text(review.text)
    review.sentiment = result.sentiment
    review.service_polarity = result.service_polarity
    review.evidence = result.evidence or None
    probability = getattr(result, "positive_probability", None)
    review.probability = float(probability) if probability is not None else None

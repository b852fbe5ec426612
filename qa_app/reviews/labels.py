"""Words shown for stored codes (routes, sentiments, polarities), in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SENTIMENT_LABELS = {"positive": _l("positive"), "negative": _l("negative"), "neutral": _l("neutral")}
POLARITY_LABELS = {
    "praise": _l("praise"),
    "criticism": _l("criticism"),
    "mixed": _l("mixed"),
    "none": _l("service not mentioned"),
}
ROUTE_LABELS = {
    "field": _l("named in the export"),
    "order": _l("by the order's chats"),
    "text": _l("named in the text"),
    "manual": _l("by hand"),
}
FIELD_LABELS = {
    "sentiment": _l("Sentiment"),
    "service_polarity": _l("About the service"),
    "evidence": _l("Evidence"),
    "agent": _l("Agent"),
}
LABELS = {
    "sentiment": SENTIMENT_LABELS,
    "polarity": POLARITY_LABELS,
    "route": ROUTE_LABELS,
    "field": FIELD_LABELS,
}


#: a correction's field -> the kind of code its old and new values are
CORRECTED_KINDS = {"sentiment": "sentiment", "service_polarity": "polarity"}


def corrected_value(field: str, value) -> str:
    """A correction's old or new value: words for codes, the text itself for the rest."""
    if field in CORRECTED_KINDS:
        return label(CORRECTED_KINDS[field], value)
    return "—" if value in (None, "") else str(value)


def label(kind: str, value) -> str:
    if value is None:
        return "—"
    return str(LABELS.get(kind, {}).get(value, value))


#: the review and corrections downloads' columns, as their header reads in the user's language
EXPORT_COLUMNS = {
    "id": _l("Review ID"),
    "shop": _l("Shop"),
    "order_id": _l("Order ID"),
    "created_at": _l("Written at"),
    "rating": _l("Rating"),
    "service_rating": _l("Service rating"),
    "agent": _l("Agent"),
    "attribution_route": _l("Attributed by"),
    "attribution_rule": _l("Why this agent"),
    "sentiment": _l("Sentiment"),
    "service_polarity": _l("About the service"),
    "evidence": _l("Evidence"),
    "probability": _l("Classifier confidence"),
    "corrected": _l("Corrected by a person"),
    "text": _l("Review text"),
    "corrected_fields": _l("Corrected fields"),
    "reason": _l("Reason"),
    "corrected_by": _l("Corrected by"),
    "corrected_at": _l("Corrected at"),
}

"""Showing reviews: the evidence marked in the text, links to the order's chats."""

from __future__ import annotations

import re

from flask import current_app, url_for
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from ..chats.services import chats_for_order

# the classifier may join several fragments into one evidence string
_SEPARATORS = re.compile(r"\s*(?:…|\.\.\.|\||；|;|/)\s*")


def highlight(text: str, evidence: str | None) -> Markup:
    """The text, escaped, with each evidence fragment found in it wrapped in <mark>."""
    text = text or ""
    fragments = [evidence.strip()] if evidence and evidence.strip() in text else []
    if evidence and not fragments:
        fragments = [f for f in _SEPARATORS.split(evidence) if f and f in text]
    spans = []
    for fragment in sorted(set(fragments), key=len, reverse=True):
        for match in re.finditer(re.escape(fragment), text):
            if not any(start < match.end() and match.start() < end for start, end in spans):
                spans.append(match.span())
    out, position = [], 0
    for start, end in sorted(spans):
        out.append(escape(text[position:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def order_chat_links(review) -> list[tuple[str, str]]:
    """(label, url) for each chat of the review's order, when the chats domain shows them."""
    if not review.order_id:
        return []
    endpoint = next(
        (
            name
            for name in ("chats.show", "chats.transcript", "chats.chat")
            if name in current_app.view_functions
        ),
        None,
    )
    if endpoint is None:
        return []
    links = []
    for chat in chats_for_order(review.shop_id, review.order_id):
        try:
            links.append((chat.external_id, url_for(endpoint, chat_id=chat.id)))
        except BuildError:  # the chats blueprint names its argument differently: no link
            return []
    return links

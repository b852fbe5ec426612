"""Why a review went to its agent (or to nobody): kept language-neutral, shown in the reader's.

`Review.attribution_rule` holds a JSON list of parts, each `{"key": KEY, ...params}`; the key
names one sentence below and the params fill it. Parts whose key starts with "chats." are the
reasons of `qa_app.chats.services.agent_for_order` (an `OrderReason`), rendered by the chats
domain. `render` turns the stored value into text with gettext at display time, so the same
review reads in English to one lead and in Chinese to another, whoever imported it.

Rows stored before this format hold finished text; they are shown as they are.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _

from ..chats.services import order_reason_text

FIELD_NAMED = "field_named"  # nick, name, shop: the export names a known agent
FIELD_UNKNOWN = "field_unknown"  # nick, shop: the export names a nickname nobody has
ORDER_NOBODY = "order_nobody"  # order: the chats domain found nobody and said nothing
TEXT_MENTION = "text_mention"  # nick, context, quote, name, shop: the text names an agent
TEXT_NONE = "text_none"  # shop: the text names nobody
TEXT_UNKNOWN = "text_unknown_name"  # name, quote, shop: the text names someone who is no agent
ORDER_SET_ASIDE = "order_set_aside"  # name, order: the order's agent, passed over for the named
MANUAL = "manual"  # lead, reason: a lead decided
CHATS = "chats."  # prefix of the chats domain's order reasons

_SENTENCES = {
    FIELD_NAMED: lambda p: _("The export names the agent: %(nick)s is %(name)s in %(shop)s.", **p),
    FIELD_UNKNOWN: lambda p: _("The export names %(nick)s, a nickname nobody has in %(shop)s yet.", **p),
    ORDER_NOBODY: lambda p: _("No chat of order %(order)s names a known agent.", **p),
    TEXT_MENTION: lambda p: _(
        "The text mentions %(nick)s %(how)s (“%(quote)s”): %(nick)s is %(name)s in %(shop)s.",
        **p,
        how=_mention_context(p.get("context")),
    ),
    TEXT_NONE: lambda p: _("The text names no known agent of %(shop)s.", **p),
    TEXT_UNKNOWN: lambda p: _(
        "The text names %(name)s (“%(quote)s”), who is not a known agent of %(shop)s.", **p
    ),
    ORDER_SET_ASIDE: lambda p: _(
        "The chats of order %(order)s point to %(name)s, but the customer names another "
        "agent, so the review is not credited to %(name)s.",
        **p,
    ),
    MANUAL: lambda p: _("Attributed by hand by %(lead)s: %(reason)s", **p),
}


def _mention_context(context: str | None) -> str:
    # the contexts of mentions.py and naming.py
    contexts = {
        "service word": lambda: _("after a service word"),
        "called": lambda: _("in the form “called …”"),
        "possessive": lambda: _("with their reply or attitude"),
        "before service word": lambda: _("before a service word"),
        "narrative": lambda: _("as the agent who said or promised something"),
        "english": lambda: _("after “agent” or “rep”"),
    }
    return contexts.get(context, lambda: _("as a name on its own"))()


def names_someone_else(stored: str | None) -> bool:
    """Whether the customer named an agent other than the one the order's chats point to (the
    review page and the queue flag it)."""
    return any(p["key"] == ORDER_SET_ASIDE for p in load(stored) or ())


def part(key: str, **params) -> dict:
    """One sentence of an explanation; `key` is one of the constants above."""
    return {"key": key, **params}


def order_part(reason) -> dict:
    """A part for the chats domain's `OrderReason` (its key and params, kept as they are)."""
    return {**reason.params, "key": CHATS + reason.key}


def dump(parts: list[dict]) -> str:
    """The value to store in `Review.attribution_rule`."""
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def load(stored: str | None) -> list[dict] | None:
    """The parts of a stored explanation; None when it is legacy text (or nothing)."""
    if not stored or not stored.startswith("["):
        return None
    try:
        parts = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(parts, list) or not all(
        isinstance(p, dict) and isinstance(p.get("key"), str) for p in parts
    ):
        return None
    return parts


def render(stored: str | None) -> str:
    """The stored explanation in the current language; legacy text as it is; "" for none."""
    parts = load(stored)
    if parts is None:
        return stored or ""
    return " ".join(text for text in map(_sentence, parts) if text)


def _sentence(stored_part: dict) -> str:
    params = {name: value for name, value in stored_part.items() if name != "key"}
    key = stored_part["key"]
    try:
        if key.startswith(CHATS):
            return _order_reason(key[len(CHATS) :], params)
        return _SENTENCES[key](params)
    except (ImportError, KeyError, TypeError, ValueError):
        # written by a newer or older version: show what is known rather than fail the page
        return " ".join(f"{name}={value}" for name, value in sorted(params.items()))


def _order_reason(key: str, params: dict) -> str:
    return order_reason_text(key, params)

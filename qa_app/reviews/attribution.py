"""Which agent a review is about. The rules, tried in this order:

1. field — the export names the agent: that nickname in the review's shop.
2. text — the text names a known nickname of the shop in a service context (mentions.py) or in
   a naming pattern (naming.py: 叫X的, X的回复, 客服X, X一开始…); the longest nickname wins.
   What the customer wrote beats the order: when the order's chats point to another agent,
   the named one gets the review and both reasons are kept.
3. A name in a naming pattern that no agent of the shop has ("那个叫阿强的客服") leaves the
   review unattributed, even when the order has an agent: the review is about someone else.
4. order — the review's order id leads to the chats of that order; when several agents served
   it, the one who handled most of the conversation (the chats domain decides and says why).
Otherwise the review stays unattributed, waiting in the queue for a lead (route "manual").
The route and the parts of a sentence explaining the decision are stored with the review,
language-neutral (explanations.py renders them in the reader's language).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import AgentNickname, Shop, User
from ..chats.services import agent_for_order
from ..extensions import db
from . import explanations
from .mentions import Mention
from .naming import find_agent_mention, find_unknown_name, quote_of
from .parsing import DEFAULT_SHOP


@dataclass(frozen=True)
class Attribution:
    agent_id: int | None
    route: str | None
    parts: tuple[dict, ...]

    @property
    def rule(self) -> str:
        """The explanation as stored in `Review.attribution_rule` (see explanations.py)."""
        return explanations.dump(list(self.parts))


class Attributor:
    """Attributes many reviews with one query per shop for the nicknames (imports, receivers)."""

    def __init__(self):
        self._nicknames: dict[int | None, dict[str, int]] = {}
        self._names: dict[int, str] = {}
        self._order_lookup = chats_agent_for_order()

    def nicknames(self, shop: Shop | None) -> dict[str, int]:
        """nickname -> user id for the shop; for the default shop (exports that name no shop),
        every shop's nicknames that mean one agent only."""
        key = None if shop is None or shop.slug == DEFAULT_SHOP else shop.id
        if key not in self._nicknames:
            self._nicknames[key] = known_nicknames(key)
        return self._nicknames[key]

    def attribute(
        self, *, shop: Shop, agent_field: str | None, order_id: str | None, text: str
    ) -> Attribution:
        nicknames = self.nicknames(shop)
        notes = []
        if agent_field:
            user_id = nicknames.get(agent_field)
            if user_id is not None:
                return Attribution(
                    user_id,
                    "field",
                    (
                        explanations.part(
                            explanations.FIELD_NAMED,
                            nick=agent_field,
                            name=self._name(user_id),
                            shop=shop.name,
                        ),
                    ),
                )
            notes.append(explanations.part(explanations.FIELD_UNKNOWN, nick=agent_field, shop=shop.name))
        order_user, order_note = self._order(shop, order_id)
        named = self._by_text(shop, text, nicknames, order_user, order_id, order_note)
        if named is not None:  # failed rules before (an unknown export nickname) stay explained
            return named if named.agent_id is not None else Attribution(None, None, (*notes, *named.parts))
        if order_user is not None:
            return Attribution(order_user.id, "order", (order_note,))
        if order_note is not None:
            notes.append(order_note)
        notes.append(explanations.part(explanations.TEXT_NONE, shop=shop.name))
        return Attribution(None, None, tuple(notes))

    def _by_text(
        self,
        shop: Shop,
        text: str,
        nicknames: dict[str, int],
        order_user: User | None,
        order_id: str | None,
        order_note: dict | None,
    ) -> Attribution | None:
        """What the customer wrote decides, when it names someone: the named agent, with the
        order's reason kept beside it; nobody when the name is no agent's. None: no name."""
        extra = [order_note] if order_note is not None else []
        mention = find_agent_mention(text, nicknames)
        if mention is not None:
            user_id = nicknames[mention.nickname]
            if order_user is not None and order_user.id != user_id:
                extra.insert(0, set_aside_part(order_user, order_id))
            return Attribution(
                user_id, "text", (text_part(mention, text, self._name(user_id), shop.name), *extra)
            )
        unknown = find_unknown_name(text, nicknames)
        if unknown is None:
            return None
        if order_user is not None:
            extra.insert(0, set_aside_part(order_user, order_id))
        return Attribution(
            None,
            None,
            (
                explanations.part(
                    explanations.TEXT_UNKNOWN, name=unknown.name, quote=unknown.quote, shop=shop.name
                ),
                *extra,
            ),
        )

    def _order(self, shop: Shop, order_id: str | None) -> tuple[User | None, dict | None]:
        """The agent the order's chats point to (or None) and the part saying why."""
        if not order_id or self._order_lookup is None:
            return None, None
        shop_id = None if shop.slug == DEFAULT_SHOP else shop.id
        user, reason = self._order_lookup(shop_id, order_id)
        if reason is None:
            return user, explanations.part(explanations.ORDER_NOBODY, order=order_id)
        return user, explanations.order_part(reason)

    def _name(self, user_id: int) -> str:
        if user_id not in self._names:
            user = db.session.get(User, user_id)
            self._names[user_id] = user.display_name if user else str(user_id)
        return self._names[user_id]


def set_aside_part(order_user: User, order_id: str) -> dict:
    return explanations.part(explanations.ORDER_SET_ASIDE, name=order_user.display_name, order=order_id)


def text_part(mention: Mention, text: str, name: str, shop_name: str) -> dict:
    quote = quote_of(text, mention.start, mention.end)
    return explanations.part(
        explanations.TEXT_MENTION,
        nick=mention.nickname,
        context=mention.context,
        quote=quote,
        name=name,
        shop=shop_name,
    )


def known_nicknames(shop_id: int | None) -> dict[str, int]:
    """nickname -> user id, for one shop or (shop_id None) for nicknames unambiguous everywhere."""
    stmt = sa.select(AgentNickname.nickname, AgentNickname.user_id)
    if shop_id is not None:
        stmt = stmt.where(AgentNickname.shop_id == shop_id)
    found: dict[str, int | None] = {}
    for nickname, user_id in db.session.execute(stmt):
        if nickname in found and found[nickname] != user_id:
            found[nickname] = None  # two agents share this nickname in different shops
        else:
            found[nickname] = user_id
    return {nick: uid for nick, uid in found.items() if uid is not None}


def chats_agent_for_order():
    """`qa_app.chats.services.agent_for_order` (reviews sit above chats: a plain import)."""
    return agent_for_order

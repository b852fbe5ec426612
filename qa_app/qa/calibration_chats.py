"""How a calibration page names its chats: one identifier everywhere (the chat's external id,
linked to the transcript), and only to a viewer who may see the chat. A lead who is neither a
grader of the session nor allowed to open the chat learns only that it is another team's."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from ..accounts.models import User
from ..chats.models import Chat
from ..chats.services import can_view_chat
from ..extensions import db
from .models import CalibrationSession


@dataclass(frozen=True)
class ChatRef:
    position: int  # 1-based place in the session, shown when the id is withheld
    external_id: str | None  # None: the viewer may not see which chat this is
    url: str | None  # the transcript, when the viewer may open it

    @property
    def text(self) -> str:
        if self.external_id is not None:
            return self.external_id
        return _("Chat %(n)s (another team's)", n=self.position)


def chat_refs(session: CalibrationSession, viewer: User) -> dict[int, ChatRef]:
    """Chat id → how this viewer sees it; graders of the session know the chats they score."""
    grader = viewer.id in (session.grader_ids or [])
    chats = {c.id: c for c in db.session.scalars(sa.select(Chat).where(Chat.id.in_(session.chat_ids or [0])))}
    refs = {}
    for position, chat_id in enumerate(session.chat_ids or [], start=1):
        chat = chats.get(chat_id)
        may_open = chat is not None and can_view_chat(viewer, chat)
        known = chat is not None and (grader or may_open)
        refs[chat_id] = ChatRef(
            position,
            chat.external_id if known and chat is not None else None,
            url_for("chats.show", chat_id=chat_id) if may_open else None,
        )
    return refs

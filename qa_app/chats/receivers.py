"""Reactions to other domains' events."""

from __future__ import annotations

from ..signals import nickname_assigned


def _attach_chats(nickname, **_extra) -> None:
    from .services import attach_nickname

    attach_nickname(nickname.shop_id, nickname.nickname, nickname.user_id)


def connect() -> None:
    # weak=False: the receiver is a module function, but keep it alive whatever imports it
    nickname_assigned.connect(_attach_chats, weak=False)

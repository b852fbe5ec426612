"""Reactions to other domains' events: every write to an evaluation input is watched (freshness.py)."""

from __future__ import annotations

from ..signals import chats_written


def _chats_written(_sender, chat_ids=(), **_):
    from ..extensions import db
    from .freshness import chats_changed

    chats_changed(db.session, chat_ids)


def connect() -> None:
    from . import cache, freshness

    freshness.watch()
    cache.watch()
    # blinker keeps one connection per receiver, so repeated create_app() calls are harmless
    chats_written.connect(_chats_written)

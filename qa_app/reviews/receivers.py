"""Reactions to other domains' events."""

from __future__ import annotations

from ..signals import nickname_assigned


def _nickname_assigned(nickname, **_extra) -> None:
    from .services import on_nickname_assigned

    on_nickname_assigned(nickname)


def connect() -> None:
    nickname_assigned.connect(_nickname_assigned, weak=False)

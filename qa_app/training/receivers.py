"""Reactions to other domains' events."""

from __future__ import annotations

from ..signals import agent_created


def _onboard(user, **_):
    from .services.assigning import assign_onboarding

    assign_onboarding(user)


def connect() -> None:
    # blinker keeps one connection per receiver, so repeated create_app() calls are harmless
    agent_created.connect(_onboard)

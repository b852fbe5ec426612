"""Chats: import of shop chat logs, transcripts and automatic checks."""


def register(app) -> None:
    """Called by the app factory after the core domains: the chats.import job handler."""
    from ..jobs.services import handler
    from .jobs import run_import

    handler("chats.import")(run_import)

"""Customer reviews: import, classification, attribution to agents."""


def register(app) -> None:
    """Called by the app factory after chats: the reviews.import job handler, and the reviews a
    chat's page shows (chats offers the hook; it never imports reviews)."""
    from ..chats.services import REVIEW_SOURCES
    from ..jobs.services import handler
    from .importer import run_import_job
    from .services import reviews_for_chat

    handler("reviews.import")(run_import_job)
    if reviews_for_chat not in REVIEW_SOURCES:
        REVIEW_SOURCES.append(reviews_for_chat)

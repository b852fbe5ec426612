"""A higher domain fills the registries of a lower one at app creation (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from qa_app.chats.services import REVIEW_SOURCES
from qa_app.evaluations import freshness
from qa_app.jobs.services import HANDLERS
from qa_app.reviews.services import reviews_for_chat


def test_domains_register_their_import_job_handlers(app):
    assert {"chats.import", "reviews.import"} <= set(HANDLERS)


def test_reviews_register_the_reviews_a_chat_page_shows_once(app, make_app):
    make_app()
    assert REVIEW_SOURCES.count(reviews_for_chat) == 1


def test_evaluation_inputs_are_read_from_the_models_of_each_domain(app):
    assert freshness.WATCHED["chats"] == freshness.Watched("agent_id", "started_at")
    assert freshness.WATCHED["attempts"] == freshness.Watched("user_id", None)
    assert freshness.CHAT_CHILDREN == {"check_results": "chat_id"}

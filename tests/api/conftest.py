import pytest

from qa_app.api import tokens
from qa_app.api.models import SCOPES
from qa_app.extensions import db as _db


@pytest.fixture
def issue_token(db):
    """`issue_token("chats:write")` returns the Authorization header for a new token."""

    def issue(*scopes: str) -> dict:
        _token, secret = tokens.issue(None, "test integration", scopes or SCOPES)
        _db.session.commit()  # as the admin page does: services only flush
        return {"Authorization": f"Bearer {secret}"}

    return issue

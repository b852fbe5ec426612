"""The API's rate limit cannot be escaped by inventing tokens (issue 14, item 10): a valid token
has its own allowance; requests without one, or with a made-up or revoked one, share their
client address's allowance. Counters start empty in every test (tests/conftest.py)."""

from __future__ import annotations

import secrets

import pytest

from qa_app.api import tokens
from qa_app.extensions import db as _db

LIMIT = 3
HOME, OTHER = "198.51.100.7", "203.0.113.9"


@pytest.fixture
def limited(make_app, db):
    return make_app(API_RATE_LIMIT=f"{LIMIT} per minute").test_client()


def _get(client, secret: str | None, address: str = HOME) -> int:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.get("/api/v1/agents", headers=headers, environ_base={"REMOTE_ADDR": address}).status_code


def _made_up() -> str:
    return tokens.PREFIX + secrets.token_urlsafe(32)


def test_made_up_tokens_are_throttled_by_client_address(limited):
    assert [_get(limited, _made_up()) for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]


def test_made_up_tokens_share_the_allowance_of_requests_without_one(limited):
    statuses = [_get(limited, None) for _ in range(LIMIT)]
    assert statuses + [_get(limited, _made_up())] == [401] * LIMIT + [429]


def test_a_revoked_token_counts_against_the_address(limited):
    token, secret = tokens.issue(None, "old crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    tokens.revoke(None, token)
    _db.session.commit()
    for _ in range(LIMIT):
        _get(limited, _made_up())
    assert _get(limited, secret) == 429


def test_a_valid_token_keeps_its_own_allowance_when_its_address_is_exhausted(limited):
    _token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    for _ in range(LIMIT):
        _get(limited, _made_up())
    assert _get(limited, secret) == 200


def test_an_exhausted_address_leaves_other_addresses_alone(limited):
    for _ in range(LIMIT + 1):
        _get(limited, _made_up(), HOME)
    assert _get(limited, _made_up(), OTHER) == 401


def test_a_valid_token_is_limited_wherever_it_is_used_from(limited):
    _token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    statuses = [_get(limited, secret, f"192.0.2.{n}") for n in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]

"""Bearer-token authentication for the API; the token's scopes decide what it may do."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, request

from ..permissions import TokenScope
from . import tokens
from .errors import ApiError
from .models import ApiToken


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, secret = header.partition(" ")
    return secret.strip() if kind.lower() == "bearer" else None


def request_token() -> ApiToken | None:
    """The active token this request authenticates with, looked up once per request (the rate
    limiter asks before the view does)."""
    if "api_token_lookup" not in g:
        g.api_token_lookup = tokens.authenticate(bearer_secret())
    return g.api_token_lookup


def rate_limit_key() -> str:
    """A valid token has its own allowance; everything else (no token, a made-up or revoked one)
    counts against the client's address, so inventing tokens never escapes the limit."""
    token = request_token()
    return f"token:{token.token_hash[:16]}" if token is not None else f"ip:{request.remote_addr}"


def require_scope(scope: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = request_token()
            if token is None:
                raise ApiError(401, "unauthorized", "Send a valid API token: Authorization: Bearer <token>.")
            if scope not in token.scopes:
                raise ApiError(403, "insufficient_scope", f"This token lacks the scope {scope}.")
            g.api_token = token
            return view(*args, **kwargs)

        wrapped.access = TokenScope(scope)
        return wrapped

    return decorator

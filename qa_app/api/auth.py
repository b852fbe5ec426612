"""Bearer-token authentication for the API; the token's scopes decide what it may do."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, request

from ..permissions import TokenScope
from . import tokens
from .errors import ApiError


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, secret = header.partition(" ")
    return secret.strip() if kind.lower() == "bearer" else None


def rate_limit_key() -> str:
    secret = bearer_secret()
    return f"token:{secret[:12]}" if secret else f"ip:{request.remote_addr}"


def require_scope(scope: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = tokens.authenticate(bearer_secret())
            if token is None:
                raise ApiError(401, "unauthorized", "Send a valid API token: Authorization: Bearer <token>.")
            if scope not in token.scopes:
                raise ApiError(403, "insufficient_scope", f"This token lacks the scope {scope}.")
            g.api_token = token
            return view(*args, **kwargs)

        wrapped.access = TokenScope(scope)
        return wrapped

    return decorator

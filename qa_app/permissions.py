"""Who may do what: the one place where access rules live.

Every view declares its rule with one of the decorators below. The rule is stored on the view
function (`view.access`) so that tests can walk the URL map and prove that no route was added
without one (tests/test_permission_matrix.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, request
from flask_login import current_user

from .extensions import login_manager

ROLES = ("agent", "trainer", "qa", "lead", "admin")
PUBLIC = "public"
AUTHENTICATED = "authenticated"


@dataclass(frozen=True)
class TokenScope:
    """Access rule of an API route: a bearer token holding `scope` (see qa_app/api/auth.py)."""

    scope: str


def public(view: Callable) -> Callable:
    """Reachable without logging in (login page, certificate verification, static files)."""
    view.access = PUBLIC
    return view


def login_required(view: Callable) -> Callable:
    """Any active, logged-in user; object-level checks happen in the view's service call."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapped.access = AUTHENTICATED
    return wrapped


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    """Logged-in users holding at least one of `roles`; others get 403, anonymous users a login."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = frozenset(roles)
        return wrapped

    return decorator


def ensure(allowed: bool) -> None:
    """Object-level check inside a view: 404 rather than 403 so that ids are not probed."""
    if not allowed:
        abort(404)


# Object-level rules shared across domains.

def can_see_agent(viewer, agent) -> bool:
    """An agent's results are for the agent, their team lead, QA, trainers and admins."""
    if viewer is None or agent is None:
        return False
    if viewer.id == agent.id:
        return True
    if viewer.has_any_role("admin", "qa", "trainer"):
        return True
    if viewer.has_role("lead"):
        return agent.team is not None and agent.team.lead_id == viewer.id
    return False


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site relative paths: never an open redirect after login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and request is not None

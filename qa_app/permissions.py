"""Who may do what: the one place where access rules live.

Every view declares its rule with one of the decorators below. The rule is stored on the view
function (`view.access`) so that tests can walk the URL map and prove that no route was added
without one (tests/test_permission_matrix.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import abort
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


# Who reads the audit log (qa_app/audit/views.py): it shows every role's changes, so admins only.
AUDIT_READERS = ("admin",)


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
    """Only a plain local path ("/x/y?z"): never an open redirect after login.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so "/\t/evil"
    and "/\\evil" both lead off site; any control, space or format character (which would also
    break the Location header) and any backslash are refused before the URL is even parsed.
    """
    if not isinstance(target, str) or not target.startswith("/") or target[1:2] == "/":
        return False
    if "\\" in target or any(unicodedata.category(char)[0] in "CZ" for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc

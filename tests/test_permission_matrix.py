"""Every route declares who may use it, and answers each kind of visitor as its rule says.

The matrix below is generated from the URL map when the tests are collected, so routes that other
domains add are covered without editing this file. No visitor may ever get a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from werkzeug.routing import IntegerConverter, Rule, UUIDConverter

from qa_app import create_app
from qa_app.permissions import AUTHENTICATED, PUBLIC, ROLES, TokenScope

from .conftest import TEST_CONFIG

ANONYMOUS = "anonymous"
VISITORS = (ANONYMOUS, *ROLES)


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    method: str
    access: object
    url: str
    has_arguments: bool

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _dummy(rule: Rule, name: str):
    converter = rule._converters.get(name)
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-0000-0000-000000000001"
    return "x"


def _routes() -> list[Route]:
    # One app, built at import, only to read its URL map (no database is touched).
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        access = getattr(app.view_functions[rule.endpoint], "access", None)
        if access is None:
            continue  # reported by test_every_route_declares_its_access_rule
        _, url = rule.build({name: _dummy(rule, name) for name in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(Route(rule.rule, rule.endpoint, method, access, url, bool(rule.arguments)))
    return routes


ROUTES = _routes()
PLAIN_GETS = [r for r in ROUTES if r.method == "GET" and not r.has_arguments]
OTHERS = [r for r in ROUTES if r.method != "GET" or r.has_arguments]


def _is_member(route: Route, visitor: str) -> bool:
    return isinstance(route.access, frozenset) and visitor in route.access


def _request(client, login_as, route: Route, visitor: str):
    if visitor != ANONYMOUS:
        login_as(visitor)
    return client.open(route.url, method=route.method)


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


# -- every route has a rule ---------------------------------------------------------------------


def test_every_route_declares_its_access_rule(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "access", None) is None:
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access rule: " + ", ".join(missing)


def test_access_rules_are_known_values(app):
    for endpoint, view in app.view_functions.items():
        access = getattr(view, "access", None)
        if access is None:
            continue
        known = (
            access in (PUBLIC, AUTHENTICATED)
            or isinstance(access, TokenScope)
            or (isinstance(access, frozenset) and access and access <= set(ROLES))
        )
        assert known, f"{endpoint}: {access!r}"


# -- GET pages without URL parameters: the full matrix -----------------------------------------
# One test per route walks every visitor (anonymous first, then one user per role): the database
# is emptied once per test, which keeps the matrix quick on PostgreSQL.


def _page_problem(route: Route, visitor: str, response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if route.access == PUBLIC:
        return f"{status} on a public page" if status in (401, 403) else None
    if isinstance(route.access, TokenScope):
        return None if status == 401 else f"{status}, expected 401 without an API token"
    if visitor == ANONYMOUS:
        return None if _sent_to_login(response) else f"{status}, expected a login redirect"
    if route.access == AUTHENTICATED:
        return None if status == 200 else f"{status}, expected 200 for any user"
    if _is_member(route, visitor):
        return None if status == 200 or 300 <= status < 400 else f"{status}, expected 200"
    return None if status == 403 else f"{status}, expected 403 (for {sorted(route.access)})"


@pytest.mark.parametrize("route", PLAIN_GETS, ids=str)
def test_page_answers_each_visitor_as_its_rule_says(client, login_as, route):
    problems = {}
    for visitor in VISITORS:
        problem = _page_problem(route, visitor, _request(client, login_as, route, visitor))
        if problem:
            problems[visitor] = problem
    assert not problems, f"{route}: {problems}"


# -- routes with URL parameters, and every POST ---------------------------------------------------


@pytest.mark.parametrize("route", OTHERS, ids=str)
def test_route_turns_away_visitors_outside_its_rule(client, login_as, route):
    """Anonymous visitors go to the login page; users without the route's role get 403/404."""
    problems = {}
    response = _request(client, login_as, route, ANONYMOUS)
    status = response.status_code
    if status >= 500:
        problems[ANONYMOUS] = f"{status}"
    elif isinstance(route.access, TokenScope) and status != 401:
        problems[ANONYMOUS] = f"{status}, expected 401 without an API token"
    elif (route.access in (AUTHENTICATED,) or isinstance(route.access, frozenset)) and not _sent_to_login(
        response
    ):
        problems[ANONYMOUS] = f"{status}, expected a login redirect"
    if isinstance(route.access, frozenset):
        for role in ROLES:
            if role not in route.access:
                status = _request(client, login_as, route, role).status_code
                if status not in (403, 404):
                    problems[role] = f"{status}, expected 403 or 404 (for {sorted(route.access)})"
    assert not problems, f"{route}: {problems}"


ALLOWED_GETS = [
    route
    for route in OTHERS
    if route.method == "GET" and (route.access == AUTHENTICATED or isinstance(route.access, frozenset))
]


@pytest.mark.parametrize("route", ALLOWED_GETS, ids=str)
def test_page_with_parameters_never_fails_for_allowed_roles(client, login_as, route):
    roles = ROLES if route.access == AUTHENTICATED else sorted(route.access)
    failures = {
        role: status
        for role in roles
        if (status := _request(client, login_as, route, role).status_code) >= 500
    }
    assert not failures, f"{route}: {failures}"


@pytest.mark.parametrize("role", ROLES)
def test_session_login_does_not_open_token_routes(client, login_as, role):
    token_routes = [r for r in ROUTES if isinstance(r.access, TokenScope)]
    login_as(role)
    answers = {str(r): client.open(r.url, method=r.method).status_code for r in token_routes}
    assert all(status == 401 for status in answers.values()), answers

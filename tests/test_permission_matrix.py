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
            routes.append(Route(rule.rule, rule.endpoint, method, access, url,
                                bool(rule.arguments)))
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
        known = (access in (PUBLIC, AUTHENTICATED) or isinstance(access, TokenScope)
                 or (isinstance(access, frozenset) and access and access <= set(ROLES)))
        assert known, f"{endpoint}: {access!r}"


# -- GET pages without URL parameters: the full matrix -----------------------------------------

@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("route", PLAIN_GETS, ids=str)
def test_page_answers_each_visitor_as_its_rule_says(client, login_as, route, visitor):
    response = _request(client, login_as, route, visitor)
    status = response.status_code
    assert status < 500, f"{route} as {visitor}: {status}"
    if route.access == PUBLIC:
        assert status not in (401, 403), f"{route} is public but {visitor} got {status}"
    elif isinstance(route.access, TokenScope):
        assert status == 401, f"{route} needs an API token but {visitor} got {status}"
    elif visitor == ANONYMOUS:
        assert _sent_to_login(response), f"{route}: anonymous got {status}, not a login redirect"
    elif route.access == AUTHENTICATED:
        assert status == 200, f"{route} is for any user but {visitor} got {status}"
    elif _is_member(route, visitor):
        assert status == 200 or 300 <= status < 400, f"{route}: member {visitor} got {status}"
    else:
        assert status == 403, f"{route} is for {sorted(route.access)} but {visitor} got {status}"


# -- routes with URL parameters, and every POST ---------------------------------------------------

@pytest.mark.parametrize("route", OTHERS, ids=str)
def test_anonymous_visitor_is_sent_to_login(client, login_as, route):
    response = _request(client, login_as, route, ANONYMOUS)
    status = response.status_code
    assert status < 500, f"{route}: {status}"
    if route.access == PUBLIC:
        return
    if isinstance(route.access, TokenScope):
        assert status == 401, f"{route}: {status}"
    else:
        assert _sent_to_login(response), f"{route}: anonymous got {status}, not a login redirect"


NON_MEMBERS = [(route, role) for route in OTHERS if isinstance(route.access, frozenset)
               for role in ROLES if role not in route.access]


@pytest.mark.parametrize(("route", "role"), NON_MEMBERS,
                         ids=[f"{route} as {role}" for route, role in NON_MEMBERS])
def test_role_restricted_route_refuses_other_roles(client, login_as, route, role):
    status = _request(client, login_as, route, role).status_code
    assert status in (403, 404), f"{route} is for {sorted(route.access)} but {role} got {status}"


ALLOWED_GETS = [(route, role) for route in OTHERS if route.method == "GET"
                and (route.access == AUTHENTICATED or isinstance(route.access, frozenset))
                for role in ROLES if route.access == AUTHENTICATED or role in route.access]


@pytest.mark.parametrize(("route", "role"), ALLOWED_GETS,
                         ids=[f"{route} as {role}" for route, role in ALLOWED_GETS])
def test_page_with_parameters_never_fails_for_allowed_roles(client, login_as, route, role):
    status = _request(client, login_as, route, role).status_code
    assert status < 500, f"{route} as {role}: {status}"


@pytest.mark.parametrize("role", ROLES)
def test_session_login_does_not_open_token_routes(client, login_as, role):
    token_routes = [r for r in ROUTES if isinstance(r.access, TokenScope)]
    login_as(role)
    answers = {str(r): client.open(r.url, method=r.method).status_code for r in token_routes}
    assert all(status == 401 for status in answers.values()), answers

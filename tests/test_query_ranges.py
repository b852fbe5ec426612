"""Every GET page, asked with out-of-range values in the query parameters it reads, answers with a
page (400 with a message, or an empty result), never a 500.

The routes come from the URL map. Which parameters a page reads is found by asking it once with
none and recording what it looked up in `request.args`, so parameters that pages add later are
walked without editing this file. Pages with ids in their URL are built from the property tests'
world when they read query parameters (ROUTES_WITH_IDS).
"""

from __future__ import annotations

import pytest
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from qa_app.api import tokens
from qa_app.api.models import SCOPES
from qa_app.permissions import AUTHENTICATED, PUBLIC, ROLES, TokenScope

from .properties.world import World
from .test_permission_matrix import ROUTES

#: past 64 bits, past PostgreSQL's integer (and its last value), the calendar's ends, far periods
OUT_OF_RANGE = (
    "99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "2147483647",
    "-2147483649",
    "9999-12-31",
    "0001-01-01",
    "9999-12",
    "9999-Q4",
    "9999-W52",
    "0001-01",
)

ROUTES_WITH_IDS = {
    "qa.rubric": lambda w: f"/qa/rubrics/{w.rubric.id}",
    "training.reports_csv": lambda w: "/training/reports/courses.csv",
    "evaluations.agent": lambda w: f"/evaluations/agents/{w.agent.id}",
    "evaluations.evidence": lambda w: f"/evaluations/agents/{w.agent.id}/evidence",
}

READ: set[str] = set()


class RecordingArgs(ImmutableMultiDict):
    """Query parameters that note each name a page looks up."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        READ.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):  # noqa: A002
        READ.add(key)
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


GETS = [
    r
    for r in ROUTES
    if r.method == "GET" and r.access != PUBLIC and (not r.has_arguments or r.endpoint in ROUTES_WITH_IDS)
]


def _visitors(route, world) -> list:
    """(user, headers) pairs: each role the route lets in, the agent's own lead for agent pages."""
    if isinstance(route.access, TokenScope):
        _token, secret = tokens.issue(None, "ranges", SCOPES)
        return [(None, {"Authorization": f"Bearer {secret}"})]
    roles = ROLES if route.access == AUTHENTICATED else sorted(route.access)
    users = [
        world.agent.team.lead if role == "lead" else world.agent if role == "agent" else world.user(role)
        for role in roles
    ]
    return [(user, {}) for user in users]


def _status(client, url: str, headers, query=None) -> int:
    # Streamed exports fail while they are read: read them, and close them.
    response = client.get(url, query_string=query, headers=headers)
    try:
        response.get_data()
    except Exception:  # noqa: BLE001 - a failure while streaming is a 500 for the user
        return 500
    finally:
        response.close()
    return response.status_code


def _failures(client, auth, url: str, user, headers) -> dict:
    if user is not None:
        auth.login_user(user)
    READ.clear()
    status = _status(client, url, headers)
    if status >= 500:
        return {url: status}
    names = sorted(READ)
    failures = {}
    for name in names:
        for value in OUT_OF_RANGE:
            status = _status(client, url, headers, {name: value})
            if status >= 500:
                failures[f"{url}?{name}={value}"] = status
    return failures


@pytest.mark.parametrize("route", GETS, ids=str)
def test_out_of_range_query_values_never_fail(app, client, auth, monkeypatch, route):
    monkeypatch.setattr(app, "request_class", RecordingRequest)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a 500 is counted, not raised
    world = World()
    url = ROUTES_WITH_IDS[route.endpoint](world) if route.has_arguments else route.url
    failures = {}
    for user, headers in _visitors(route, world):
        failures.update(_failures(client, auth, url, user, headers))
    assert not failures, failures

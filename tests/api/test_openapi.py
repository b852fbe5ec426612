"""The OpenAPI document matches the routes, and schemathesis finds no server errors."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import qa_app.api.views  # noqa: F401  (registers every API path in the document)
from qa_app.api.openapi import document


def _flask_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_documented_and_nothing_else(app):
    routes = {
        _flask_to_openapi(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
    }
    assert routes == set(document()["paths"])


def test_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(document())


schema = schemathesis.openapi.from_dict(document())


@pytest.fixture
def auth_headers(issue_token):
    return issue_token()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_fails_with_a_server_error(case, app, auth_headers):
    response = case.call(app=app, headers=auth_headers)
    assert response.status_code < 500, response.text
    if response.status_code < 400:
        # What a 2xx promises: the documented status, content type and body shape. Rejecting
        # unknown query parameters is not part of our contract (clients may send extras), and
        # the token is valid on purpose; token rules have their own tests in test_tokens.py.
        case.validate_response(
            response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
        )

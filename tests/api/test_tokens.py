import pytest

from qa_app.api import tokens
from qa_app.api.models import ApiToken
from qa_app.audit.services import history
from qa_app.extensions import db as _db

from ..factories import make_user


def test_token_is_stored_only_as_a_hash(db):
    token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    stored = _db.session.get(ApiToken, token.id)
    assert secret not in (stored.token_hash, stored.prefix) and stored.prefix == secret[:12]


def test_unknown_scope_is_refused(db):
    with pytest.raises(tokens.TokenError):
        tokens.issue(None, "crm", ["everything"])


def test_request_without_token_gets_401_json(client):
    response = client.get("/api/v1/agents")
    assert response.status_code == 401 and response.get_json()["code"] == "unauthorized"


def test_token_without_the_scope_gets_403(client, issue_token):
    response = client.get("/api/v1/agents", headers=issue_token("chats:write"))
    assert response.status_code == 403 and response.get_json()["code"] == "insufficient_scope"


def test_token_with_the_scope_reads_agents(client, issue_token, db):
    make_user(roles=("agent",), display_name="Agent Ann")
    make_user(roles=("qa",), display_name="Not An Agent")
    body = client.get("/api/v1/agents", headers=issue_token("evaluations:read")).get_json()
    assert [item["name"] for item in body["items"]] == ["Agent Ann"]


def test_revoked_token_stops_working(client, db):
    token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    tokens.revoke(None, token)
    response = client.get("/api/v1/agents", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_use_records_last_used_time(client, db):
    token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    client.get("/api/v1/agents", headers={"Authorization": f"Bearer {secret}"})
    assert _db.session.get(ApiToken, token.id).last_used_at is not None


def test_agents_are_paginated_with_a_next_link(client, issue_token, db):
    for n in range(3):
        make_user(roles=("agent",), display_name=f"A{n}")
    body = client.get("/api/v1/agents?per_page=2", headers=issue_token()).get_json()
    assert body["total"] == 3 and len(body["items"]) == 2 and "page=2" in body["next"]


def test_bad_page_parameter_is_a_400_not_a_500(client, issue_token):
    response = client.get("/api/v1/agents?per_page=abc", headers=issue_token())
    assert response.status_code == 400 and response.get_json()["code"] == "invalid_parameter"


def test_unknown_api_route_answers_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_rate_limit_answers_429_json(make_app, db):
    app = make_app(API_RATE_LIMIT="2 per minute")
    _token, secret = tokens.issue(None, "crm", ["evaluations:read"])
    _db.session.commit()  # as the admin page does: services only flush
    with app.test_client() as client:
        statuses = [
            client.get("/api/v1/agents", headers={"Authorization": f"Bearer {secret}"}).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


def test_admin_creates_a_token_and_sees_the_secret_once(client, login_as, db):
    admin = login_as("admin")
    page = client.post("/admin/api-tokens", data={"name": "crm", "scopes": ["chats:write"]}).get_data(
        as_text=True
    )
    assert "qat_" in page
    assert "qat_" not in client.get("/admin/api-tokens").get_data(as_text=True).replace(
        _db.session.scalars(_db.select(ApiToken)).one().prefix, ""
    )
    assert history("ApiToken", _db.session.scalars(_db.select(ApiToken)).one().id)[0].actor_id == admin.id


def test_token_form_is_empty_after_a_token_is_created(client, login_as, db):
    login_as("admin")
    page = client.post("/admin/api-tokens", data={"name": "crm-sync", "scopes": ["chats:write"]}).get_data(
        as_text=True
    )
    form = page.split("<h2>", 1)[1]
    assert 'value="crm-sync"' not in form and "checked" not in form


def test_a_new_token_has_a_copy_button_for_it(client, login_as, db):
    login_as("admin")
    page = client.post("/admin/api-tokens", data={"name": "crm", "scopes": ["chats:write"]}).get_data(
        as_text=True
    )
    assert '<pre class="secret" id="new-token">qat_' in page
    assert 'data-copy="#new-token"' in page


def test_a_refused_token_keeps_what_was_typed(client, login_as, db):
    login_as("admin")
    page = client.post("/admin/api-tokens", data={"name": "crm-sync", "scopes": []}).get_data(as_text=True)
    assert 'value="crm-sync"' in page and "data-copy" not in page


def test_admin_revokes_a_token(client, login_as, db):
    login_as("admin")
    token, _secret = tokens.issue(None, "crm", ["chats:write"])
    _db.session.commit()  # as the admin page does: services only flush
    client.post(f"/admin/api-tokens/{token.id}/revoke")
    assert _db.session.get(ApiToken, token.id).revoked_at is not None


def test_non_admins_cannot_manage_tokens(client, login_as, db):
    make_user()
    login_as("lead")
    assert client.get("/admin/api-tokens").status_code == 403

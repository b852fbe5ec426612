from .factories import PASSWORD, make_user


def test_pages_carry_security_headers(client, db):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_post_without_csrf_token_is_refused(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    with app.test_client() as client:
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 400


def test_login_form_works_with_its_csrf_token(make_app, db):
    import re

    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    with app.test_client() as client:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<html" in response.get_data(as_text=True)

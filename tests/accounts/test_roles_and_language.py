import pytest

from qa_app.permissions import can_see_agent

from ..factories import make_team, make_user


@pytest.mark.parametrize("role", ["agent", "trainer", "qa", "lead"])
def test_non_admins_cannot_open_user_administration(client, login_as, role):
    login_as(role)
    assert client.get("/admin/users").status_code == 403


def test_admin_opens_user_administration(client, login_as):
    login_as("admin")
    assert client.get("/admin/users").status_code == 200


def test_navigation_shows_each_role_its_own_entries(client, login_as):
    login_as("lead")
    page = client.get("/").get_data(as_text=True)
    assert "/my-team" in page and "/admin/users" not in page


def test_user_with_two_roles_sees_both_menus(client, login_as):
    login_as("lead", "admin")
    page = client.get("/").get_data(as_text=True)
    assert "/my-team" in page and "/admin/users" in page


def test_login_page_follows_the_browser_language(client, db):
    zh = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    en = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "登录" in zh and "Log in" in en


def test_user_language_choice_overrides_the_browser(client, login_as):
    login_as("agent", locale="zh_CN")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "退出" in page


def test_user_switches_language(client, login_as):
    login_as("agent", locale="en")
    client.post("/language", data={"locale": "zh_CN", "next": "/"})
    assert "退出" in client.get("/").get_data(as_text=True)


def test_agent_may_see_only_themselves_among_agents(db):
    me, colleague = make_user(), make_user()
    assert can_see_agent(me, me) and not can_see_agent(me, colleague)


def test_lead_may_see_agents_of_their_team_only(db):
    lead = make_user(roles=("lead",))
    team = make_team(lead=lead)
    mine, other = make_user(team=team), make_user(team=make_team())
    assert can_see_agent(lead, mine) and not can_see_agent(lead, other)


def test_login_page_offers_the_other_language(client, db):
    zh = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    en = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="locale" value="en"' in zh and 'name="locale" value="zh_CN"' in en


def test_visitor_switches_the_login_page_language(client, db):
    response = client.post(
        "/language", data={"locale": "en", "next": "/login"}, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Log in" in page and "登录" not in page


def test_the_users_own_language_wins_over_the_login_page_choice(client, login_as, db):
    client.post("/language", data={"locale": "en", "next": "/login"})
    login_as("agent", locale="zh_CN")
    assert "退出" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client, db):
    response = client.post("/language", data={"locale": "en", "next": "//evil.example/x"})
    assert response.headers["Location"].endswith("/")

import pytest

from qa_app.accounts import services
from qa_app.accounts.models import User
from qa_app.audit.services import history
from qa_app.extensions import db as _db

from ..factories import make_shop, make_team, make_user


def test_admin_creates_a_user_with_roles_and_team(client, login_as, db):
    admin = login_as("admin")
    team = make_team()
    response = client.post(
        "/admin/users/new",
        data={
            "username": "newbie",
            "display_name": "新人小王",
            "password": "a-good-pass-1",
            "roles": ["agent"],
            "team_id": team.id,
            "locale": "zh_CN",
            "email": "",
        },
    )
    assert response.status_code == 302
    user = _db.session.scalar(_db.select(User).filter_by(username="newbie"))
    assert user.roles == {"agent"} and user.team_id == team.id
    assert history("User", user.id)[0].actor_id == admin.id


def test_weak_password_is_refused_with_the_rule(client, login_as, db):
    login_as("admin")
    page = client.post(
        "/admin/users/new",
        data={
            "username": "weak",
            "display_name": "Weak",
            "password": "12345678901",
            "roles": ["agent"],
            "team_id": 0,
            "locale": "",
        },
    ).get_data(as_text=True)
    assert "letters and digits" in page
    assert _db.session.scalar(_db.select(User).filter_by(username="weak")) is None


def test_duplicate_username_is_refused(db):
    make_user(username="taken")
    with pytest.raises(services.AccountError):
        services.create_user(
            None, username="taken", display_name="X", password="a-good-pass-1", roles=["agent"]
        )


def test_deactivating_keeps_the_user_and_blocks_login(client, login_as, db):
    login_as("admin")
    agent = make_user()
    client.post(f"/admin/users/{agent.id}/active", data={"active": "0"})
    assert _db.session.get(User, agent.id).active is False


def test_admin_cannot_deactivate_themselves(db):
    admin = make_user(roles=("admin",))
    with pytest.raises(services.AccountError):
        services.set_active(admin, admin, False)


def test_admin_resets_a_password_and_it_is_audited(client, login_as, db):
    admin = login_as("admin")
    agent = make_user()
    client.post(f"/admin/users/{agent.id}/password", data={"password": "brand-new-pass-9"})
    agent = _db.session.get(User, agent.id)
    assert agent.check_password("brand-new-pass-9")
    assert [e.action for e in history("User", agent.id)] == ["user.reset_password"]
    assert history("User", agent.id)[0].actor_id == admin.id


def test_nickname_is_unique_per_shop(db):
    shop = make_shop()
    first, second = make_user(), make_user()
    services.set_nickname(None, first, shop, "小美")
    with pytest.raises(services.AccountError):
        services.set_nickname(None, second, shop, "小美")


def test_same_nickname_may_be_used_in_another_shop(db):
    first, second = make_user(), make_user()
    services.set_nickname(None, first, make_shop(), "小美")
    services.set_nickname(None, second, make_shop(), "小美")
    assert services.agent_for_nickname(None, "小美") in (first, second)


def test_an_agent_keeps_every_nickname_mapped_in_one_shop(db):
    shop, agent = make_shop(), make_user()
    services.set_nickname(None, agent, shop, "小美")
    services.set_nickname(None, agent, shop, "美美")
    assert sorted(n.nickname for n in agent.nicknames) == ["小美", "美美"]
    assert services.agent_for_nickname(shop.id, "小美") == agent
    assert services.agent_for_nickname(shop.id, "美美") == agent


def test_mapping_the_same_nickname_twice_adds_no_duplicate(db):
    shop, agent = make_shop(), make_user()
    services.set_nickname(None, agent, shop, "小美")
    services.set_nickname(None, agent, shop, "小美")
    assert [n.nickname for n in agent.nicknames] == ["小美"]


def test_admin_removes_one_nickname_and_keeps_the_others(client, login_as, db):
    login_as("admin")
    shop, agent = make_shop(), make_user()
    first = services.set_nickname(None, agent, shop, "小美")
    services.set_nickname(None, agent, shop, "美美")
    response = client.post(f"/admin/users/{agent.id}/nickname/{first.id}/remove")
    assert response.status_code == 302
    _db.session.expire_all()
    assert [n.nickname for n in _db.session.get(User, agent.id).nicknames] == ["美美"]
    assert "user.nickname_removed" in [e.action for e in history("User", agent.id)]


def test_removing_another_users_nickname_is_refused(client, login_as, db):
    login_as("admin")
    shop, agent, other = make_shop(), make_user(), make_user()
    theirs = services.set_nickname(None, other, shop, "阿强")
    client.post(f"/admin/users/{agent.id}/nickname/{theirs.id}/remove")
    _db.session.expire_all()
    assert [n.nickname for n in _db.session.get(User, other.id).nicknames] == ["阿强"]


def test_user_page_lists_every_nickname_with_a_remove_button(client, login_as, db):
    login_as("admin")
    shop, agent = make_shop(), make_user()
    services.set_nickname(None, agent, shop, "小美")
    services.set_nickname(None, agent, shop, "美美")
    page = client.get(f"/admin/users/{agent.id}").get_data(as_text=True)
    assert "小美" in page and "美美" in page
    assert page.count('/remove"') == 2


def test_shop_rejects_an_unknown_time_zone(db):
    with pytest.raises(services.AccountError):
        services.update_shop(
            None,
            make_shop(),
            name="x",
            timezone="Mars/Olympus",
            first_response_limit_seconds=60,
            forbidden_phrases="",
        )


def test_user_list_filters_by_role_and_search(client, login_as, db):
    login_as("admin")
    make_user(roles=("qa",), display_name="Quality Quinn")
    make_user(roles=("agent",), display_name="Agent Annie")
    page = client.get("/admin/users?role=qa").get_data(as_text=True)
    assert "Quality Quinn" in page and "Agent Annie" not in page
    page = client.get("/admin/users?q=annie").get_data(as_text=True)
    assert "Agent Annie" in page and "Quality Quinn" not in page


def test_lead_sees_only_their_own_teams(client, login_as, db):
    lead = login_as("lead")
    mine = make_team(lead=lead, name="Mine")
    make_user(team=mine, display_name="My Agent")
    other = make_team(name="Other")
    make_user(team=other, display_name="Not Mine")
    page = client.get("/my-team").get_data(as_text=True)
    assert "My Agent" in page and "Not Mine" not in page

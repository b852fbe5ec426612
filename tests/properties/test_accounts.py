"""Arbitrary input in the account forms never breaks the site and never stores half a change.

Every field may be missing, repeated, huge, any Unicode, or bytes that are not UTF-8 at all; the
answer is a page (never a 500), and the database either holds the whole change or none of it.
"""

from __future__ import annotations

import operator
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder

from qa_app.accounts.models import Shop, Team, User
from qa_app.extensions import db as _db
from qa_app.permissions import ROLES

from ..factories import PASSWORD, make_shop, make_team, make_user
from .forms import post

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
TABLES = ("users", "user_roles", "teams", "shops", "agent_nicknames", "audit_entries", "login_failures")

CHARS = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be sent at all
TEXT = st.text(CHARS, max_size=200)
HUGE = st.builds(operator.mul, CHARS, st.integers(1_000, 70_000))
RAW = st.binary(max_size=200)  # percent-encoded as they are: mostly not UTF-8
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u3000",
        "\u202e",
        "0",
        "-1",
        "1" * 40,
        "1e309",
        "NaN",
        "admin",
        "agent",
        "zh_CN",
        "en",
        "America",
        "Asia/Shanghai",
        "../../etc/passwd",
        "a@b.example",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%s%s%(x)s",
        "{{ 7*7 }}",
    ]
)
ANY = st.one_of(TEXT, HUGE, RAW, TRICKY)


def field(plausible=None):
    """A field's values: missing, once, or repeated; plausible values some of the time."""
    value = ANY if plausible is None else st.one_of(plausible, ANY)
    return st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=3))


def snapshot() -> dict[str, list]:
    _db.session.rollback()
    rows = {}
    for name in TABLES:
        table = _db.metadata.tables[name]
        rows[name] = sorted(map(tuple, _db.session.execute(sa.select(table)).all()), key=repr)
    return rows


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in TABLES if before[name] != after[name]}


def single(value, previous=None):
    """What the form saw: the first of repeated values as Werkzeug decodes it; a field left out
    of the request keeps the edited object's value."""
    value = value[0] if isinstance(value, list) else value
    if value is None:
        return previous
    request = EnvironBuilder(
        method="POST", data=urlencode([("v", value)]), content_type="application/x-www-form-urlencoded"
    ).get_request()
    return request.form["v"]


USERNAME = st.from_regex(r"\A[A-Za-z0-9_.-]{2,20}\Z")
GOOD_PASSWORD = st.sampled_from(["blue-kettle-42", "Seven-Ponies-9", "x" * 30 + "1"])
ROLE = st.sampled_from(ROLES)
SHORT_TEXT = st.text(CHARS, min_size=1, max_size=40)
EMAIL = st.sampled_from(["", "mei@shop.example", "no-at-sign", "two@@signs.example"])


@pytest.fixture
def admin(client, login_as):
    return login_as("admin")


# -- login ------------------------------------------------------------------------------------------


@SETTINGS
@given(
    username=field(st.sampled_from(["known", " known "])),
    password=field(st.just(PASSWORD)),
    remember=field(st.just("y")),
)
def test_login_form_survives_any_input(app, db, username, password, remember):
    if not _db.session.scalar(sa.select(User).where(User.username == "known")):
        make_user(username="known")
    before = snapshot()
    with app.test_client() as client:
        response = post(client, "/login", {"username": username, "password": password, "remember": remember})
    assert response.status_code in (200, 302, 400), response.status_code
    assert changed(before, snapshot()) <= {"login_failures"}


# -- users ------------------------------------------------------------------------------------------


@SETTINGS
@given(
    username=field(USERNAME),
    display_name=field(SHORT_TEXT),
    email=field(EMAIL),
    password=field(GOOD_PASSWORD),
    roles=st.lists(st.one_of(ROLE, ANY), max_size=4),
    team_id=field(st.just("0")),
    locale=field(st.sampled_from(["", "zh_CN", "en"])),
)
def test_new_user_form_saves_all_or_nothing(
    client, admin, username, display_name, email, password, roles, team_id, locale
):
    before = snapshot()
    response = post(
        client,
        "/admin/users/new",
        {
            "username": username,
            "display_name": display_name,
            "email": email,
            "password": password,
            "roles": roles,
            "team_id": team_id,
            "locale": locale,
        },
    )
    after = snapshot()
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert not changed(before, after)
        return
    assert changed(before, after) == {"users", "user_roles", "audit_entries"}
    user = _db.session.scalar(sa.select(User).where(User.username == single(username).strip()))
    assert user.display_name == single(display_name).strip()
    assert (user.email or "") == (single(email) or "")
    assert user.roles == set(map(single, roles)) and user.roles <= set(ROLES)
    assert user.check_password(single(password))


@SETTINGS
@given(
    display_name=field(SHORT_TEXT),
    email=field(EMAIL),
    roles=st.lists(st.one_of(ROLE, ANY), max_size=4),
    team_id=field(st.just("0")),
    locale=field(st.sampled_from(["", "zh_CN", "en"])),
)
def test_edit_user_form_saves_all_or_nothing(client, admin, display_name, email, roles, team_id, locale):
    target = _db.session.scalar(sa.select(User).where(User.username == "target")) or make_user(
        username="target"
    )
    previous = {"display_name": target.display_name, "email": target.email, "locale": target.locale}
    before = snapshot()
    response = post(
        client,
        f"/admin/users/{target.id}",
        {"display_name": display_name, "email": email, "roles": roles, "team_id": team_id, "locale": locale},
    )
    after = snapshot()
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert not changed(before, after)
        return
    assert changed(before, after) <= {"users", "user_roles", "audit_entries"}
    user = _db.session.get(User, target.id)
    assert user.display_name == single(display_name, previous["display_name"]).strip()
    assert user.roles == set(map(single, roles))
    assert (user.email or "") == (single(email, previous["email"]) or "")
    assert (user.locale or "") == single(locale, previous["locale"] or "")


# -- teams ------------------------------------------------------------------------------------------


@SETTINGS
@given(name=field(SHORT_TEXT), lead_id=field(st.just("0")))
def test_team_form_saves_all_or_nothing(client, admin, name, lead_id):
    before = snapshot()
    response = post(client, "/admin/teams", {"name": name, "lead_id": lead_id})
    after = snapshot()
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert not changed(before, after)
        return
    assert changed(before, after) == {"teams", "audit_entries"}
    team = _db.session.scalar(sa.select(Team).where(Team.name == single(name).strip()))
    assert team is not None and team.lead_id is None


@SETTINGS
@given(name=field(SHORT_TEXT), lead_id=field(st.just("0")))
def test_edit_team_form_saves_all_or_nothing(client, admin, name, lead_id):
    team = _db.session.scalar(sa.select(Team).where(Team.name == "Target team")) or make_team(
        name="Target team", lead=make_user(roles=("lead",))
    )
    previous_name, previous_lead = team.name, team.lead_id
    before = snapshot()
    response = post(client, f"/admin/teams/{team.id}", {"name": name, "lead_id": lead_id})
    after = snapshot()
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert not changed(before, after)
        return
    saved = _db.session.get(Team, team.id)
    assert saved.name == single(name, previous_name).strip()
    assert saved.lead_id == (previous_lead if lead_id is None else None)


# -- shops ------------------------------------------------------------------------------------------


@SETTINGS
@given(
    name=field(SHORT_TEXT),
    timezone=field(st.sampled_from(["UTC", "Asia/Shanghai", " Europe/Paris "])),
    limit=field(st.integers(5, 86400).map(str)),
    phrases=field(TEXT),
)
@example(name="Shop", timezone="America", limit="60", phrases="")  # a folder of zones, not a zone
def test_shop_form_saves_all_or_nothing(client, admin, name, timezone, limit, phrases):
    shop = _db.session.scalar(sa.select(Shop).where(Shop.slug == "target")) or make_shop(slug="target")
    previous = SimpleNamespace(
        name=shop.name, timezone=shop.timezone, limit=shop.first_response_limit_seconds
    )
    before = snapshot()
    response = post(
        client,
        f"/admin/shops/{shop.id}",
        {
            "name": name,
            "timezone": timezone,
            "first_response_limit_seconds": limit,
            "forbidden_phrases": phrases,
        },
    )
    after = snapshot()
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert not changed(before, after)
        return
    saved = _db.session.get(Shop, shop.id)
    assert saved.name == single(name, previous.name).strip()
    assert saved.timezone == single(timezone, previous.timezone).strip()
    assert saved.first_response_limit_seconds == int(single(limit, previous.limit))

"""Test data builders: small functions that make valid objects with overridable fields."""

from __future__ import annotations

import itertools

from qa_app.accounts.models import AgentNickname, Shop, Team, User
from qa_app.extensions import db

_sequence = itertools.count(1)
PASSWORD = "correct-horse-42"


def make_shop(**fields) -> Shop:
    n = next(_sequence)
    shop = Shop(
        **{
            "slug": f"shop-{n}",
            "name": f"Shop {n}",
            "platform": "tmall",
            "timezone": "Asia/Shanghai",
            "first_response_limit_seconds": 300,
            "forbidden_phrases": "不知道\n不归我管\n你自己看",
            **fields,
        }
    )
    db.session.add(shop)
    db.session.commit()
    return shop


def make_team(lead: User | None = None, **fields) -> Team:
    team = Team(**{"name": f"Team {next(_sequence)}", **fields})
    team.lead = lead
    db.session.add(team)
    db.session.commit()
    return team


def make_user(
    roles=("agent",),
    password: str = PASSWORD,
    team: Team | None = None,
    nickname: str | None = None,
    shop: Shop | None = None,
    **fields,
) -> User:
    n = next(_sequence)
    user = User(**{"username": f"user{n}", "display_name": f"User {n}", "locale": "en", **fields})
    user.set_password(password)
    user.roles = roles
    user.team = team
    db.session.add(user)
    if nickname:
        db.session.add(AgentNickname(shop=shop or make_shop(), user=user, nickname=nickname))
    db.session.commit()
    return user

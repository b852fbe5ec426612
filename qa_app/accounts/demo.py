"""Demo accounts: two shops, three teams, ~30 agents and one login per role (password `demo`)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..dbtypes import utcnow
from ..extensions import db
from .models import AgentNickname, Shop, Team, User

DEMO_PASSWORD = "demo"

SHOPS = [
    ("tmall-flagship", "天猫旗舰店", "tmall", 300),
    ("jd-store", "京东自营店", "jd", 180),
]
FORBIDDEN = "不知道\n不归我管\n你自己看\n没办法\n爱买不买"
TEAMS = ["售前一组", "售前二组", "售后组"]
STAFF = [  # username, name, roles, locale
    ("admin", "王管理", ("admin",), "zh_CN"),
    ("trainer", "陈培训", ("trainer",), "zh_CN"),
    ("qa", "赵质检", ("qa",), "zh_CN"),
    ("qa2", "Emma Liu", ("qa",), "en"),
    ("lead", "李主管", ("lead",), "zh_CN"),
    ("lead2", "周主管", ("lead",), "zh_CN"),
]
AGENT_NAMES = [
    "林小美",
    "张雪",
    "刘婷",
    "黄佳",
    "吴敏",
    "徐静",
    "孙悦",
    "马丽",
    "朱琳",
    "胡蓉",
    "郭晨",
    "何芳",
    "高洁",
    "罗娜",
    "郑欣",
    "梁爽",
    "谢雨",
    "宋宁",
    "唐颖",
    "许诺",
    "韩露",
    "冯瑶",
    "邓琪",
    "曹颖",
    "彭月",
    "曾茜",
    "肖蕾",
    "田甜",
    "董妍",
    "潘菲",
]
NICKNAMES = [
    "小美",
    "小雪",
    "小婷",
    "小佳",
    "小敏",
    "小静",
    "小悦",
    "小丽",
    "小琳",
    "小蓉",
    "小晨",
    "小芳",
    "小洁",
    "小娜",
    "小欣",
    "小爽",
    "小雨",
    "小宁",
    "小颖",
    "小诺",
    "小露",
    "小瑶",
    "小琪",
    "阿颖",
    "小月",
    "小茜",
    "小蕾",
    "甜甜",
    "小妍",
    "小菲",
]


def seed() -> dict:
    """Create what is missing; running it again changes nothing."""
    shops = [_shop(*spec) for spec in SHOPS]
    staff = {username: _user(username, name, roles, locale) for username, name, roles, locale in STAFF}
    teams = [_team(name) for name in TEAMS]
    teams[0].lead, teams[2].lead, teams[1].lead = staff["lead"], staff["lead"], staff["lead2"]
    agents = []
    for index, (name, nick) in enumerate(zip(AGENT_NAMES, NICKNAMES, strict=True)):
        username = "agent" if index == 0 else f"agent{index + 1:02d}"
        agent = _user(username, name, ("agent",), "zh_CN", days_ago=400 - index * 12)
        agent.team = teams[index % len(teams)] if index else teams[0]
        for shop in shops:
            _nickname(shop, agent, nick)
        agents.append(agent)
    db.session.flush()
    return {"shops": shops, "teams": teams, "staff": staff, "agents": agents}


def _shop(slug, name, platform, limit) -> Shop:
    shop = db.session.scalar(sa.select(Shop).where(Shop.slug == slug))
    if shop is None:
        shop = Shop(
            slug=slug,
            name=name,
            platform=platform,
            timezone="Asia/Shanghai",
            first_response_limit_seconds=limit,
            forbidden_phrases=FORBIDDEN,
        )
        db.session.add(shop)
    return shop


def _user(username, name, roles, locale, days_ago=700) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username, display_name=name, locale=locale, hired_at=utcnow() - timedelta(days=days_ago)
        )
        user.set_password(DEMO_PASSWORD)
        user.roles = roles
        db.session.add(user)
        db.session.flush()
    return user


def _team(name) -> Team:
    team = db.session.scalar(sa.select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team


def _nickname(shop, agent, nick) -> None:
    exists = (
        db.session.scalar(
            sa.select(AgentNickname).where(AgentNickname.shop_id == shop.id, AgentNickname.nickname == nick)
        )
        if shop.id
        else None
    )
    if exists is None:
        db.session.add(AgentNickname(shop=shop, user=agent, nickname=nick))

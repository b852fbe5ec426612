"""Account rules: authentication with lockout, password policy, user administration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from ..permissions import ROLES
from ..signals import agent_created, nickname_assigned
from . import throttle
from .models import AgentNickname, Shop, Team, User
from .standards import as_lines, as_text
from .throttle import LoginLimits


class AccountError(ValueError):
    """A rule was broken; the message is safe to show to the user."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


def authenticate(
    username: str, password: str, *, remote_addr: str | None, limits: LoginLimits
) -> LoginResult:
    """Check credentials, refusing while the name or the address is throttled (throttle.py)."""
    username = (username or "").strip()
    if throttle.is_throttled(username, remote_addr, limits):
        return LoginResult(None, locked=True)
    user = db.session.scalar(sa.select(User).where(User.username == username))
    # A hash is checked whether or not the user exists (or is active), so that the time taken
    # does not tell which accounts exist.
    if user is None:
        check_password_hash(_stand_in_hash(), password)
    elif user.check_password(password) and user.active:
        throttle.forget_failures(username, remote_addr)
        db.session.flush()
        return LoginResult(user)
    throttle.record_failure(username, remote_addr)
    db.session.commit()  # own transaction: the failure counts towards the lockout whatever the request does next
    return LoginResult(None)


def _stand_in_hash() -> str:
    return _hash_for_method(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


@cache
def _hash_for_method(method: str) -> str:
    return generate_password_hash("stand-in for an unknown user", method=method)


def password_problem(password: str, username: str) -> str | None:
    """The password policy, as a message naming what is wrong, or None when acceptable."""
    if len(password) < 10:
        return _l("Passwords need at least 10 characters.")
    if password.isdigit() or password.isalpha():
        return _l("Use letters and digits (or symbols) together.")
    if username and username.lower() in password.lower():
        return _l("The password must not contain the username.")
    return None


def load_user(user_id: str) -> User | None:
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or str(user.session_version) != version:
        return None
    return user


def end_sessions(user: User) -> None:
    """Every session and remember-me cookie issued to `user` so far stops working (logout): a
    copied cookie replayed later opens nothing. Sessions on the user's other devices end too."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def create_user(
    actor,
    *,
    username: str,
    display_name: str,
    password: str,
    roles,
    team_id: int | None = None,
    locale: str | None = None,
    email: str | None = None,
) -> User:
    username = username.strip()
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise AccountError(_l("The username %(name)s is taken.", name=username))
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    _check_roles(roles)
    user = User(
        username=username,
        display_name=display_name.strip(),
        team_id=team_id,
        locale=locale or None,
        email=email or None,
        hired_at=utcnow(),
    )
    user.set_password(password)
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", user, after=_snapshot(user))
    _announce_new_agent(user)
    db.session.flush()
    return user


def update_user(
    actor, user: User, *, display_name: str, roles, team_id: int | None, locale: str | None, email: str | None
) -> User:
    _check_roles(roles)
    before = _snapshot(user)
    user.display_name = display_name.strip()
    user.roles = roles
    user.team_id = team_id
    user.locale = locale or None
    user.email = email or None
    record(actor, "user.update", user, before=before, after=_snapshot(user))
    db.session.flush()
    return user


def reset_password(actor, user: User, password: str) -> None:
    problem = password_problem(password, user.username)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    record(actor, "user.reset_password", user)
    db.session.flush()


def set_active(actor, user: User, active: bool) -> None:
    if actor is not None and actor.id == user.id and not active:
        raise AccountError(_l("You cannot deactivate yourself."))
    user.active = active
    user.session_version += 1
    record(actor, "user.activate" if active else "user.deactivate", user)
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    if locale not in ("zh_CN", "en"):
        raise AccountError(_l("Unknown language."))
    user.locale = locale
    db.session.flush()


def set_nickname(actor, user: User, shop: Shop, nickname: str) -> AgentNickname:
    """Add `nickname` to the user's nicknames in the shop. An agent may have several per shop (a
    shift name, a renamed account); a nickname still belongs to one agent per shop."""
    nickname = nickname.strip()
    if not nickname:
        raise AccountError(_l("The nickname must not be empty."))
    existing = db.session.scalar(
        sa.select(AgentNickname).where(AgentNickname.shop_id == shop.id, AgentNickname.nickname == nickname)
    )
    if existing is not None and existing.user_id != user.id:
        raise AccountError(
            _l(
                "%(nick)s is already used in %(shop)s by %(user)s.",
                nick=nickname,
                shop=shop.name,
                user=existing.user.display_name,
            )
        )
    if existing is not None:
        return existing  # already this user's: nothing changes, nothing to audit
    added = AgentNickname(shop=shop, user=user, nickname=nickname)
    db.session.add(added)
    db.session.flush()
    record(actor, "user.nickname", user, after={"shop": shop.slug, "nickname": nickname})
    nickname_assigned.send(added)
    db.session.flush()
    return added


def remove_nickname(actor, user: User, nickname_id: int) -> None:
    """Remove one of the user's nicknames. Chats and reviews already attributed keep their agent;
    only future imports stop matching the name."""
    row = db.session.get(AgentNickname, nickname_id)
    if row is None or row.user_id != user.id:
        raise AccountError(_l("That nickname does not belong to this user."))
    record(actor, "user.nickname_removed", user, before={"shop": row.shop.slug, "nickname": row.nickname})
    db.session.delete(row)
    db.session.flush()


def find_users(
    *, query: str = "", role: str | None = None, team_id: int | None = None, active: bool | None = None
):
    """A select() of users matching the filters, ordered by name, for pagination by the caller."""
    stmt = sa.select(User).order_by(User.display_name, User.id)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(sa.or_(User.username.ilike(like), User.display_name.ilike(like)))
    if role:
        stmt = stmt.where(User.role_rows.any(role=role))
    if team_id:
        stmt = stmt.where(User.team_id == team_id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt


def agents_of_lead(lead: User) -> list[User]:
    """Active agents in the teams `lead` leads (admins see every agent)."""
    stmt = sa.select(User).where(User.active.is_(True), User.role_rows.any(role="agent"))
    if not lead.has_role("admin"):
        stmt = stmt.join(Team, User.team_id == Team.id).where(Team.lead_id == lead.id)
    return list(db.session.scalars(stmt.order_by(User.display_name)))


def count_users() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def recent_users(limit: int) -> list[User]:
    return list(
        db.session.scalars(sa.select(User).order_by(User.created_at.desc(), User.id.desc()).limit(limit))
    )


def all_teams() -> list[Team]:
    return list(db.session.scalars(sa.select(Team).order_by(Team.name)))


def teams_with_people(lead: User | None = None) -> list[Team]:
    """Teams (all, or those `lead` leads) with their lead, members and the members' nicknames
    loaded in a fixed number of queries: the team pages list them all."""
    stmt = sa.select(Team).options(
        so.selectinload(Team.lead), so.selectinload(Team.members).selectinload(User.nicknames)
    )
    if lead is not None:
        stmt = stmt.where(Team.lead_id == lead.id)
    return list(db.session.scalars(stmt.order_by(Team.name)))


def all_shops() -> list[Shop]:
    return list(db.session.scalars(sa.select(Shop).order_by(Shop.name)))


def agent_for_nickname(shop_id: int | None, nickname: str) -> User | None:
    """The agent customers know as `nickname` in that shop (in any shop when shop_id is None)."""
    stmt = sa.select(User).join(AgentNickname).where(AgentNickname.nickname == nickname)
    if shop_id is not None:
        stmt = stmt.where(AgentNickname.shop_id == shop_id)
    return db.session.scalars(stmt.limit(1)).first()


def _check_roles(roles) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise AccountError(_l("Choose at least one known role."))


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "team_id": user.team_id,
        "active": user.active,
    }


def _announce_new_agent(user: User) -> None:
    if user.has_role("agent"):
        agent_created.send(user)


STANDARDS = ("forbidden_phrases", "accepted_openers", "allowed_templates", "closing_phrases")


def update_shop(
    actor,
    shop: Shop,
    *,
    name: str,
    timezone: str,
    first_response_limit_seconds: int,
    forbidden_phrases: str,
    accepted_openers: str | None = None,
    allowed_templates: str | None = None,
    closing_phrases: str | None = None,
) -> Shop:
    """Saves the shop's settings and service standards; a phrase list left as None is kept."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a directory: OSError
        raise AccountError(_l("Unknown time zone: %(tz)s", tz=timezone)) from None
    before = {
        "name": shop.name,
        "timezone": shop.timezone,
        "first_response_limit_seconds": shop.first_response_limit_seconds,
    }
    shop.name = name.strip()
    shop.timezone = timezone
    shop.first_response_limit_seconds = first_response_limit_seconds
    lists = {
        "forbidden_phrases": forbidden_phrases,
        "accepted_openers": accepted_openers,
        "allowed_templates": allowed_templates,
        "closing_phrases": closing_phrases,
    }
    before.update({key: getattr(shop, key) for key in STANDARDS})
    for attribute, text in lists.items():
        if text is not None:
            setattr(shop, attribute, as_text(as_lines(text)))
    record(
        actor,
        "shop.update",
        shop,
        before=before,
        after={
            "name": shop.name,
            "timezone": shop.timezone,
            "first_response_limit_seconds": shop.first_response_limit_seconds,
            **{key: getattr(shop, key) for key in STANDARDS},
        },
    )
    db.session.flush()
    return shop


def save_team(actor, team: Team | None, *, name: str, lead_id: int | None) -> Team:
    name = name.strip()
    clash = db.session.scalar(sa.select(Team).where(Team.name == name))
    if clash is not None and clash is not team:
        raise AccountError(_l("A team called %(name)s exists already.", name=name))
    if lead_id:
        lead = db.session.get(User, lead_id)
        if lead is None or not lead.has_role("lead"):
            raise AccountError(_l("The team lead must hold the team-lead role."))
    if team is None:
        team = Team()
        db.session.add(team)
    team.name = name
    team.lead_id = lead_id or None
    db.session.flush()
    record(actor, "team.save", team, after={"name": name, "lead_id": team.lead_id})
    db.session.flush()
    return team

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..permissions import ROLES
from .standards import DEFAULT_ALLOWED_TEMPLATES, DEFAULT_CLOSINGS, DEFAULT_OPENERS, as_text

#: the slug (and name) of the shop chats and reviews go to when their export names no shop
UNNAMED_SHOP = "default"


class Shop(db.Model):
    """A storefront on one platform; chats, reviews and agent nicknames belong to a shop."""

    __tablename__ = "shops"
    __evaluation_input__ = (None, None)  # the first-response limit: everyone (freshness.py)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    platform: so.Mapped[str] = so.mapped_column(sa.String(32), default="taobao")
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64), default="Asia/Shanghai")
    first_response_limit_seconds: so.Mapped[int] = so.mapped_column(default=300)
    # One phrase per line: agents must never say these to a customer.
    forbidden_phrases: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # The rest of the shop's service standards (standards.py), one phrase per line: welcome lines
    # that count as a greeting, templates that may contain a forbidden word, closing phrases.
    accepted_openers: so.Mapped[str] = so.mapped_column(sa.Text, default=as_text(DEFAULT_OPENERS))
    allowed_templates: so.Mapped[str] = so.mapped_column(sa.Text, default=as_text(DEFAULT_ALLOWED_TEMPLATES))
    closing_phrases: so.Mapped[str] = so.mapped_column(sa.Text, default=as_text(DEFAULT_CLOSINGS))

    nicknames: so.Mapped[list[AgentNickname]] = so.relationship(back_populates="shop")

    @property
    def label(self) -> str:
        """The shop's name on pages; the shop imports fall back to when an export names none is
        called `default` in the data, and reads as words."""
        if self.slug == UNNAMED_SHOP and self.name == UNNAMED_SHOP:
            return str(_l("Shop not named in the export"))
        return self.name

    def __repr__(self) -> str:
        return f"<Shop {self.slug}>"


class Team(db.Model):
    __tablename__ = "teams"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    lead_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", use_alter=True, name="fk_teams_lead_id_users"), index=True
    )

    lead: so.Mapped[User | None] = so.relationship(foreign_keys=[lead_id], back_populates="led_teams")
    members: so.Mapped[list[User]] = so.relationship(
        foreign_keys="User.team_id", back_populates="team", order_by="User.display_name"
    )


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        sa.CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="known_role"),
    )

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)

    user: so.Mapped[User] = so.relationship(back_populates="role_rows")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    team_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("teams.id"), index=True)
    # Deactivated users cannot log in but keep their chats, scores and attempts.
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    hired_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Bumped on password change or deactivation: invalidates sessions that were logged in before.
    session_version: so.Mapped[int] = so.mapped_column(default=1)

    team: so.Mapped[Team | None] = so.relationship(foreign_keys=[team_id], back_populates="members")
    led_teams: so.Mapped[list[Team]] = so.relationship(
        foreign_keys="Team.lead_id", back_populates="lead", order_by="Team.name"
    )
    role_rows: so.Mapped[list[UserRole]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    nicknames: so.Mapped[list[AgentNickname]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    @roles.setter
    def roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)
        ]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # The session version makes logins issued before a password reset stop working.
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class AgentNickname(db.Model):
    """The name customers see for an agent in one shop (e.g. "小美")."""

    __tablename__ = "agent_nicknames"
    __table_args__ = (sa.UniqueConstraint("shop_id", "nickname"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    shop_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("shops.id"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    nickname: so.Mapped[str] = so.mapped_column(sa.String(64))

    shop: so.Mapped[Shop] = so.relationship(back_populates="nicknames")
    user: so.Mapped[User] = so.relationship(back_populates="nicknames")


class LoginFailure(db.Model):
    """Failed logins by the name typed (whether or not such a user exists: no enumeration) and the
    client address; qa_app/accounts/throttle.py counts them."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_username_at", "username", "at"),
        sa.Index("ix_login_failures_remote_addr_at", "remote_addr", "at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64))
    remote_addr: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class Setting(db.Model):
    """Organisation-wide settings as JSON values (e.g. evaluation weights)."""

    __tablename__ = "settings"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    value: so.Mapped[dict | list | str | int | float | None] = so.mapped_column(sa.JSON)

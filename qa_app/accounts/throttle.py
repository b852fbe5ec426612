"""Failed logins, counted three ways within the cool-off (LOGIN_LOCKOUT_MINUTES).

- per name from one address (LOGIN_MAX_FAILURES): whoever guesses one account is stopped after a
  few tries, but only at their own address, so a stranger typing five wrong passwords cannot
  lock a real agent out of the account from everywhere;
- per name from all addresses (LOGIN_MAX_FAILURES_PER_NAME, much higher): the ceiling for
  guessing one account from many addresses; reaching it does lock the name everywhere for the
  cool-off, which now takes many addresses and many tries rather than five;
- per address for any names (LOGIN_MAX_FAILURES_PER_ADDRESS): one guess per account ("password
  spraying") from one address is slowed too.

Names are counted whether or not such a user exists, so the answer reveals no accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from ..dbtypes import utcnow
from ..extensions import db
from .models import LoginFailure

COLUMN_LENGTH = 64  # LoginFailure.username and .remote_addr


@dataclass(frozen=True)
class LoginLimits:
    per_name_and_address: int
    per_name: int
    per_address: int
    minutes: int

    @classmethod
    def from_config(cls, config) -> LoginLimits:
        return cls(
            per_name_and_address=config["LOGIN_MAX_FAILURES"],
            per_name=config["LOGIN_MAX_FAILURES_PER_NAME"],
            per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            minutes=config["LOGIN_LOCKOUT_MINUTES"],
        )


def _keys(username: str, remote_addr: str | None) -> tuple[str, str | None]:
    # Stored truncated: looked up truncated, or a very long name would never be counted.
    return username[:COLUMN_LENGTH], remote_addr[:COLUMN_LENGTH] if remote_addr else None


def _same_address(remote_addr: str | None):
    return (
        LoginFailure.remote_addr.is_(None)
        if remote_addr is None
        else (LoginFailure.remote_addr == remote_addr)
    )


def is_throttled(username: str, remote_addr: str | None, limits: LoginLimits) -> bool:
    """True when any of the three counts has reached its limit (one query)."""
    name, address = _keys(username, remote_addr)
    same_name, same_address = LoginFailure.username == name, _same_address(address)
    counts = db.session.execute(
        sa.select(
            sa.func.count().filter(same_name & same_address),
            sa.func.count().filter(same_name),
            sa.func.count().filter(same_address),
        ).where(
            LoginFailure.at >= utcnow() - timedelta(minutes=limits.minutes), sa.or_(same_name, same_address)
        )
    ).one()
    return (
        counts[0] >= limits.per_name_and_address
        or counts[1] >= limits.per_name
        or counts[2] >= limits.per_address
    )


def record_failure(username: str, remote_addr: str | None) -> None:
    name, address = _keys(username, remote_addr)
    db.session.add(LoginFailure(username=name, remote_addr=address))
    db.session.flush()


def forget_failures(username: str, remote_addr: str | None) -> None:
    """After a successful login: that name's failures from that address only. Failures from
    elsewhere still count, so logging in with one's own account never resets a guesser's budget."""
    name, address = _keys(username, remote_addr)
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == name, _same_address(address)))

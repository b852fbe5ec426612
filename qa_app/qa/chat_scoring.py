"""Scoring one chat picked by hand (from its transcript page), outside any sampling plan.

The chat becomes a sample (no plan) for the chosen rubric in the QA specialist's queue, and its
draft score is started as for any sample. A chat already sampled for that rubric is opened
instead: the database keeps one sample per chat and rubric."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..chats.models import Chat
from ..database import in_one_transaction
from ..extensions import db
from .models import Rubric, Sample
from .scores import ScoreError
from .weeks import iso_week


def existing_samples(chat: Chat) -> list[Sample]:
    return list(
        db.session.scalars(
            sa.select(Sample).where(Sample.chat_id == chat.id).order_by(Sample.created_at, Sample.id)
        )
    )


def sample_chat(chat: Chat, rubric: Rubric, grader: User) -> Sample:
    """The chat's sample for `rubric`, created in `grader`'s queue when there is none yet."""
    version = rubric.current
    if version is None or not rubric.active:
        raise ScoreError(_l("Rubric: it has no published version."))
    if chat.agent_id is None:
        raise ScoreError(_l("This chat has no agent yet: map its agent nickname first."))
    if chat.agent_id == grader.id:
        raise ScoreError(_l("Nobody scores their own chats."))

    def attempt() -> Sample:
        found = db.session.scalar(
            sa.select(Sample).where(Sample.chat_id == chat.id, Sample.rubric_id == rubric.id)
        )
        if found is not None:
            return found
        sample = Sample(
            plan_id=None,
            chat_id=chat.id,
            rubric_id=rubric.id,
            rubric_version_id=version.id,
            agent_id=chat.agent_id,
            assigned_to_id=grader.id,
            week=iso_week(chat.started_at, current_app.config["SHOP_TIMEZONE"]),
        )
        db.session.add(sample)
        db.session.flush()
        record(grader, "sample.created_by_hand", sample, after={"chat": chat.id, "rubric": rubric.id})
        return sample

    return in_one_transaction(attempt)

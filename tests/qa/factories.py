"""Builders for QA tests: chats (with check results), rubrics, samples and scores."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qa_app.chats.models import Chat, ChatAgent, ChatMessage, CheckResult
from qa_app.extensions import db
from qa_app.qa import rubrics, scores
from qa_app.qa.models import Sample

from ..factories import make_shop

_n = itertools.count(1)
RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"

SMALL_RUBRIC = """
title = { zh = "测试表", en = "Test rubric" }
[[sections]]
key = "main"
title = { zh = "主要", en = "Main" }
  [[sections.criteria]]
  key = "greeting"
  title = { zh = "问候", en = "Greeting" }
  weight = 2
  scale = "yes_no"
  auto_check = "greeting"
  [[sections.criteria]]
  key = "answer"
  title = { zh = "解答", en = "Answer" }
  weight = 4
  scale = "1-5"
  [[sections.criteria]]
  key = "offers"
  title = { zh = "优惠", en = "Offers" }
  weight = 2
  scale = "points"
  max_points = 4
  na_allowed = true
  [[sections.criteria]]
  key = "honest"
  title = { zh = "不夸大", en = "Honest" }
  weight = 2
  scale = "yes_no"
  critical = true
"""

PREFILL_RUBRIC = """
title = { zh = "预填测试", en = "Pre-fill test" }
[[sections]]
key = "main"
title = { zh = "主要", en = "Main" }
  [[sections.criteria]]
  key = "speed"
  title = { zh = "首次响应", en = "First response" }
  weight = 4
  scale = "1-3"
  na_allowed = true
  auto_check = "first_response_time"
  auto_map = [{ max = 60, value = 3 }, { max = "shop_limit", value = 2 }, { value = 1 }]
  [[sections.criteria]]
  key = "strict-speed"
  title = { zh = "首次响应（不可 N/A）", en = "First response (no N/A)" }
  weight = 1
  scale = "1-5"
  auto_check = "first_response_time"
  [[sections.criteria]]
  key = "transfer"
  title = { zh = "转接", en = "Transfer" }
  weight = 2
  scale = "1-3"
  na_allowed = true
  auto_check = "transfers"
  auto_map = [{ max = 0, value = "na" }, { max = 1, value = "grader" }, { value = 1 }]
  [[sections.criteria]]
  key = "polite"
  title = { zh = "未使用禁用语", en = "No forbidden phrases" }
  weight = 2
  scale = "yes_no"
  critical = true
  auto_check = "forbidden_phrases"
"""


def make_rubric(slug: str = "test", text: str = SMALL_RUBRIC, actor=None):
    rubric, _ = rubrics.save_from_ui(actor, slug, text)
    return rubric


def _result(outcome) -> str:
    """A check given as "pass" or as ("pass", measured value)."""
    return outcome[0] if isinstance(outcome, tuple) else outcome


def make_chat(
    agent,
    *,
    shop=None,
    started_at: datetime | None = None,
    channel: str = "qianniu",
    tags=(),
    checks: dict | None = None,
    messages: int = 4,
    **fields,
) -> Chat:
    """`checks`: {name: result} or {name: (result, measured value)}."""
    shop = shop or make_shop()
    n = next(_n)
    started_at = started_at or datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    chat = Chat(
        shop_id=shop.id,
        external_id=f"c-{n}",
        channel=channel,
        agent_nickname=f"nick{n}",
        agent_id=agent.id if agent else None,
        started_at=started_at,
        ended_at=started_at + timedelta(minutes=10),
        tags=list(tags),
        message_count=messages,
        failed_checks=sum(1 for r in (checks or {}).values() if _result(r) == "fail"),
        **fields,
    )
    db.session.add(chat)
    for position in range(messages):
        db.session.add(
            ChatMessage(
                chat=chat,
                position=position,
                at=started_at + timedelta(minutes=position),
                sender="customer" if position % 2 == 0 else "agent",
                text="您好，有M码吗？" if position % 2 == 0 else "亲，在的~",
            )
        )
    if agent:
        db.session.add(
            ChatAgent(chat=chat, nickname=chat.agent_nickname, agent_id=agent.id, message_count=messages // 2)
        )
    for check, outcome in (checks or {}).items():
        value = outcome[1] if isinstance(outcome, tuple) else None
        db.session.add(CheckResult(chat=chat, check=check, result=_result(outcome), value=value))
    db.session.commit()
    return chat


def make_sample(chat: Chat, rubric, grader) -> Sample:
    sample = Sample(
        chat_id=chat.id,
        rubric_id=rubric.id,
        rubric_version_id=rubric.current.id,
        agent_id=chat.agent_id,
        assigned_to_id=grader.id,
        week="2026-W45",
    )
    db.session.add(sample)
    db.session.commit()
    return sample


def answers_for(score, values: dict[str, object]) -> dict:
    """{criterion key: value or "na"} → answers for scores.save."""
    result = {}
    for item in score.items:
        raw = values.get(item.criterion.key)
        result[item.criterion_id] = scores.AnswerInput(
            value=None if raw in (None, "na") else float(raw), na=raw == "na"
        )
    return result


def submitted_score(chat: Chat, rubric, grader, values=None):
    sample = make_sample(chat, rubric, grader)
    score = scores.start_for_sample(sample, grader)
    values = values or {"greeting": 1, "answer": 5, "offers": 4, "honest": 1}
    return scores.save(
        score, grader, expected_version=score.version_id, answers=answers_for(score, values), submit=True
    )

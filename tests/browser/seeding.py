"""Data the journeys need, made through the domains' own services and importers (never raw rows),
inside the live server's app context. Everything is small (a few chats, a few reviews) so the
whole browser folder seeds in well under a second.

Times are placed in the shop's current local day, so the current month's evaluation, the
reviews list's date filters and a sampling plan over "this week" all see them.
"""

from __future__ import annotations

import csv
import json
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from qa_app.accounts.models import AgentNickname, Shop, User
from qa_app.extensions import db

SHOP = "tmall-flagship"


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def nickname(username: str, shop: str = SHOP) -> str:
    return db.session.scalar(
        sa.select(AgentNickname.nickname)
        .join(Shop, AgentNickname.shop_id == Shop.id)
        .where(AgentNickname.user_id == user(username).id, Shop.slug == shop)
    )


def shop_today_start() -> datetime:
    """A moment inside the shop's current local day, at most two hours ago."""
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    now = datetime.now(zone).replace(microsecond=0)
    return max(now - timedelta(hours=2), now.replace(hour=0, minute=0, second=0))


def import_libraries() -> None:
    """The course library and the rubrics, as `courses import` and `rubrics import` do
    (both are idempotent: a second call changes nothing)."""
    from qa_app.qa.rubrics import import_dir
    from qa_app.training.services.library import import_library

    import_library(current_app.config["COURSES_DIR"])
    import_dir(current_app.config["RUBRICS_DIR"])
    db.session.commit()


# --- training -----------------------------------------------------------------------------------


def quiz_answers(slug: str) -> list[dict]:
    """The questions of the course's quiz.toml (key, type, answer, choice count)."""
    path = Path(current_app.config["COURSES_DIR"]) / slug / "quiz.toml"
    questions = tomllib.loads(path.read_text(encoding="utf-8"))["questions"]
    return [
        {
            "key": q["key"],
            "type": q["type"],
            "answer": q.get("answer"),
            "choices": len(q.get("choices") or []),
        }
        for q in questions
    ]


def assign_course(username: str, slug: str, *, cooloff_minutes: int | None = None) -> int:
    """Assign a published course to one learner (as the demo trainer); optionally change the
    published version's cooling-off time. Returns the number of lessons."""
    from qa_app.training.models import Course
    from qa_app.training.services.assigning import assign

    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    assign(user("trainer"), [user(username)], course=course)
    if cooloff_minutes is not None:
        course.published.cooloff_minutes = cooloff_minutes
        db.session.commit()
    return len(course.published.lessons)


# --- chats, scores, reviews ---------------------------------------------------------------------


def import_chats(folder: Path, *, agent: str, prefix: str, count: int, channel: str) -> list[str]:
    """`count` polite, quick chats of one agent through the chats importer (JSON Lines file).
    Returns their external ids; chat i is about order <PREFIX>-i."""
    from qa_app.chats.importer import import_file

    nick = nickname(agent)
    start = shop_today_start()
    lines, ids = [], []
    for i in range(count):
        at = start + timedelta(minutes=5 * i)
        ids.append(f"{prefix}-{i}")
        messages = [
            (0, "customer", "在吗？这件羊毛外套有 M 码吗？"),
            (25, "agent", f"您好，我是客服{nick}，很高兴为您服务！M 码有货的哦。"),
            (60, "customer", "好的，那我拍一件，今天能发货吗？"),
            (80, "agent", "今天下午五点前付款当天就能发出，请放心。"),
            (110, "customer", "好的谢谢"),
            (125, "agent", "不客气，还有什么可以帮您的随时找我，祝您购物愉快！"),
        ]
        lines.append(
            json.dumps(
                {
                    "id": ids[-1],
                    "shop": SHOP,
                    "channel": channel,
                    "agent": nick,
                    "customer": f"buyer_{i}",
                    "order_id": f"{prefix.upper()}-{i}",
                    "started_at": at.isoformat(),
                    "messages": [
                        {
                            "at": (at + timedelta(seconds=s)).isoformat(),
                            "from": who,
                            "text": text,
                            **({"agent": nick} if who == "agent" else {}),
                        }
                        for s, who, text in messages
                    ],
                },
                ensure_ascii=False,
            )
        )
    path = folder / f"{prefix}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = import_file(path)
    assert summary.imported == count, summary
    return ids


def sample_and_submit(channel: str, *, grader: str, rubric: str = "etiquette") -> int:
    """Sample the channel's chats (one per agent and week) for one grader with a sampling plan
    over this week, then submit the first sample with the best value on every criterion, through
    the QA services (evaluations count submitted scores of sampled chats only). Returns its id."""
    from qa_app.qa import prefill, sampling, scores, scoring
    from qa_app.qa.models import Rubric, Sample

    today = shop_today_start().date()
    grader_user = user(grader)
    plan = sampling.create_plan(
        grader_user,
        name=f"browser {channel}",
        rubric=db.session.scalar(sa.select(Rubric).where(Rubric.slug == rubric)),
        mode="per_agent",
        per_agent_per_week=1,
        percent=None,
        date_from=today - timedelta(days=7),
        date_to=today,
        filters={"channel": channel, "grader_ids": [grader_user.id]},
        seed=1,
    )
    assert sampling.run(plan, grader_user).created == 1
    sample = db.session.scalar(sa.select(Sample).where(Sample.plan_id == plan.id))
    score = scores.start_for_sample(sample, grader_user)
    answers = {
        item.criterion_id: scores.AnswerInput(value=max(scoring.choices(prefill.spec(item.criterion))))
        for item in score.items
    }
    scores.save(
        score, grader_user, expected_version=None, answers=answers, submit=True, praise="问候和收尾都很规范。"
    )
    return score.id


def import_reviews(folder: Path, rows: list[dict], name: str = "reviews.csv") -> None:
    """Reviews through the reviews importer (attributed and classified on the way in)."""
    from qa_app.reviews.importer import import_file

    path = folder / name
    columns = ["id", "order_id", "shop", "created_at", "rating", "service_rating", "agent", "text"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"shop": SHOP, **row})
    result = import_file(path)
    assert result.imported == len(rows), result


def confirm_reviews(by: str) -> None:
    """`by` (a lead or QA user) confirms every review still waiting for a person's confirmation,
    as they would from the review list's "to confirm" filter."""
    from qa_app.reviews.corrections import confirm_classification
    from qa_app.reviews.models import Review

    actor = user(by)
    waiting = db.session.scalars(sa.select(Review).where(Review.needs_confirmation)).all()
    for review in waiting:
        confirm_classification(actor, review)
    db.session.commit()

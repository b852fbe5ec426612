"""Everything the benchmarks need besides the chats: the organisation, rubrics, QA scores and
reviews, written with Core bulk inserts (the seeding is not what is measured).

All functions run inside an app context on the bench database.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from . import generate

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-password-42"
HASH_METHOD = "pbkdf2:sha256:1000"  # seeding 300+ users must not take a minute of scrypt


@dataclass
class Org:
    shop_id: int
    agent_ids: list[int]  # by agent index (nickname 客服NNN)
    lead_ids: list[int]
    qa_ids: list[int]
    team_of_lead: dict[int, int] = field(default_factory=dict)
    session_version: dict[int, int] = field(default_factory=dict)


def _insert_returning_ids(table, rows: list[dict], key: str) -> dict:
    """Insert rows and map `key` → id with one query afterwards (no RETURNING, as the importer)."""
    from qa_app.extensions import db

    if not rows:
        return {}
    db.session.execute(table.insert(), rows)
    keys = [r[key] for r in rows]
    found = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            {
                k: i
                for k, i in db.session.execute(
                    sa.select(table.c[key], table.c.id).where(table.c[key].in_(chunk))
                )
            }
        )
    return found


def organisation(agents: int, *, per_team: int = 15, graders: int = 10) -> Org:
    """One shop, `agents` agents with nicknames 客服000…, teams of `per_team` agents each with a
    lead, `graders` QA specialists, and the rubric library (rubrics/)."""
    from qa_app.accounts.models import AgentNickname, Shop, Team, User, UserRole
    from qa_app.extensions import db
    from qa_app.qa import rubrics

    now = datetime.now(UTC)
    password_hash = generate_password_hash(PASSWORD, method=HASH_METHOD)
    db.session.execute(
        Shop.__table__.insert(),
        [
            {
                "slug": generate.SHOP,
                "name": "Bench flagship store",
                "platform": "tmall",
                "timezone": "Asia/Shanghai",
                "first_response_limit_seconds": 300,
                "forbidden_phrases": "不知道\n不归我管\n你自己看",
            }
        ],
    )
    shop_id = db.session.scalar(sa.select(Shop.id).where(Shop.slug == generate.SHOP))
    teams = math.ceil(agents / per_team)

    def user(username, display, locale="zh_CN", team_id=None):
        return {
            "username": username,
            "display_name": display,
            "password_hash": password_hash,
            "locale": locale,
            "team_id": team_id,
            "active": True,
            "created_at": now,
            "hired_at": now - timedelta(days=365),
            "session_version": 1,
        }

    users = _insert_returning_ids(
        User.__table__,
        [user(f"lead{t:02d}", f"主管{t:02d}") for t in range(teams)]
        + [user(f"qa{g:02d}", f"质检{g:02d}") for g in range(graders)],
        "username",
    )
    lead_ids = [users[f"lead{t:02d}"] for t in range(teams)]
    qa_ids = [users[f"qa{g:02d}"] for g in range(graders)]
    team_ids = _insert_returning_ids(
        Team.__table__,
        [{"name": f"Bench team {t:02d}", "lead_id": lead_ids[t]} for t in range(teams)],
        "name",
    )
    agent_users = _insert_returning_ids(
        User.__table__,
        [
            user(f"agent{i:04d}", f"坐席{i:04d}", team_id=team_ids[f"Bench team {i // per_team:02d}"])
            for i in range(agents)
        ],
        "username",
    )
    agent_ids = [agent_users[f"agent{i:04d}"] for i in range(agents)]
    db.session.execute(
        UserRole.__table__.insert(),
        [{"user_id": i, "role": "lead"} for i in lead_ids]
        + [{"user_id": i, "role": "qa"} for i in qa_ids]
        + [{"user_id": i, "role": "agent"} for i in agent_ids],
    )
    db.session.execute(
        AgentNickname.__table__.insert(),
        [
            {"shop_id": shop_id, "user_id": agent_ids[i], "nickname": generate.nickname(i)}
            for i in range(agents)
        ],
    )
    db.session.commit()
    rubrics.import_dir(ROOT / "rubrics")
    db.session.commit()  # the import flushes; the seed is a command of its own and commits
    return Org(
        shop_id,
        agent_ids,
        lead_ids,
        qa_ids,
        team_of_lead={lead: team_ids[f"Bench team {t:02d}"] for t, lead in enumerate(lead_ids)},
        session_version={i: 1 for i in lead_ids + qa_ids + agent_ids},
    )


def load_org(agents: int, per_team: int = 15, graders: int = 10) -> Org:
    """The Org of a database seeded by organisation() (ids read back)."""
    from qa_app.accounts.models import Shop, Team, User
    from qa_app.extensions import db

    ids = dict(db.session.execute(sa.select(User.username, User.id)).all())
    teams = math.ceil(agents / per_team)
    lead_ids = [ids[f"lead{t:02d}"] for t in range(teams)]
    team_of_lead = dict(db.session.execute(sa.select(Team.lead_id, Team.id)).all())
    return Org(
        db.session.scalar(sa.select(Shop.id).where(Shop.slug == generate.SHOP)),
        [ids[f"agent{i:04d}"] for i in range(agents)],
        lead_ids,
        [ids[f"qa{g:02d}"] for g in range(graders)],
        team_of_lead,
        dict(db.session.execute(sa.select(User.id, User.session_version)).all()),
    )


def rubric():
    """The rubric the bench scores with, and its current version (with criteria)."""
    from qa_app.extensions import db
    from qa_app.qa.models import Rubric

    found = db.session.scalar(sa.select(Rubric).order_by(Rubric.slug).limit(1))
    return found, found.current


def _value(criterion, rng: random.Random) -> float:
    if criterion.scale == "yes_no":
        return float(rng.random() < 0.9)
    if criterion.scale == "1-3":
        return float(rng.choice((2, 3, 3)))
    if criterion.scale == "1-5":
        return float(rng.choice((3, 4, 4, 5, 5)))
    return float(rng.randint(max(0, (criterion.max_points or 1) - 2), criterion.max_points or 1))


# noqa reason (C901): a seeding script with one branch per score state, read top to bottom.
def scores(  # noqa: C901
    org: Org,
    *,
    until: datetime,
    per_agent_per_week: int = 5,
    open_per_grader: int = 40,
    seed: int = 5,
) -> dict:
    """Submitted QA scores for chats started before `until`: `per_agent_per_week` per agent and
    ISO week (what a QA team of this size really scores), with criterion items, plus
    `open_per_grader` unscored samples in each QA specialist's queue."""
    from qa_app.chats.models import Chat
    from qa_app.extensions import db
    from qa_app.qa.models import CriterionScore, Sample, Score
    from qa_app.qa.weeks import iso_week

    rng = random.Random(seed)
    rubric_row, version = rubric()
    criteria = list(version.criteria)
    agents = set(org.agent_ids)
    # a thin, even slice of the chats is enough to pick from (every 23rd id)
    picked: dict[tuple[int, str], list[tuple[int, datetime]]] = defaultdict(list)
    for chat_id, agent_id, started in db.session.execute(
        sa.select(Chat.id, Chat.agent_id, Chat.started_at)
        .where(Chat.id % 23 == 0, Chat.agent_id.is_not(None), Chat.started_at < until)
        .order_by(Chat.id)
    ):
        if agent_id not in agents:
            continue
        bucket = picked[(agent_id, iso_week(started, "Asia/Shanghai"))]
        if len(bucket) < per_agent_per_week + 1:
            bucket.append((chat_id, started))
    now = datetime.now(UTC)
    samples, submitted, open_left = [], {}, {g: open_per_grader for g in org.qa_ids}
    for (agent_id, week), chats in sorted(picked.items()):
        for n, (chat_id, started) in enumerate(chats):
            grader = org.qa_ids[rng.randrange(len(org.qa_ids))]
            scored = n < per_agent_per_week
            if not scored and open_left[grader] <= 0:
                continue
            if not scored:
                open_left[grader] -= 1
            samples.append(
                {
                    "chat_id": chat_id,
                    "rubric_id": rubric_row.id,
                    "rubric_version_id": version.id,
                    "agent_id": agent_id,
                    "assigned_to_id": grader,
                    "week": week,
                    "created_at": min(started + timedelta(hours=12), now),
                }
            )
            if scored:
                submitted[chat_id] = min(started + timedelta(hours=rng.randint(12, 72)), now)
    for start in range(0, len(samples), 5000):
        db.session.execute(Sample.__table__.insert(), samples[start : start + 5000])
    sample_rows = db.session.execute(
        sa.select(Sample.id, Sample.chat_id, Sample.agent_id, Sample.assigned_to_id).where(
            Sample.rubric_id == rubric_row.id
        )
    ).all()
    score_rows = []
    for sample_id, chat_id, agent_id, grader in sample_rows:
        if chat_id not in submitted:
            continue
        total = round(rng.triangular(40, 100, 88), 1)
        critical = rng.random() < 0.02
        score_rows.append(
            {
                "sample_id": sample_id,
                "chat_id": chat_id,
                "agent_id": agent_id,
                "grader_id": grader,
                "rubric_version_id": version.id,
                "status": "submitted",
                "total": 0.0 if critical else total,
                "critical_failed": critical,
                "praise": "",
                "criticism": "",
                "root_causes": [],
                "created_at": submitted[chat_id],
                "updated_at": submitted[chat_id],
                "submitted_at": submitted[chat_id],
                "version_id": 1,
            }
        )
    for start in range(0, len(score_rows), 5000):
        db.session.execute(Score.__table__.insert(), score_rows[start : start + 5000])
    items = []
    for (score_id,) in db.session.execute(sa.select(Score.id).where(Score.sample_id.is_not(None))):
        items.extend(
            {"score_id": score_id, "criterion_id": c.id, "value": _value(c, rng), "na": False, "comment": ""}
            for c in criteria
        )
        if len(items) >= 20000:
            db.session.execute(CriterionScore.__table__.insert(), items)
            items = []
    if items:
        db.session.execute(CriterionScore.__table__.insert(), items)
    db.session.commit()
    return {"samples": len(samples), "scores": len(score_rows)}


def reviews(org: Org, path: Path, *, chats_agents: int, batch: int = 5000) -> int:
    """Load the generated reviews CSV as the importer would leave it: attributed (by the
    nickname in the text, else by the order's chat) and classified (from the generator's labels)."""
    from zoneinfo import ZoneInfo

    from qa_app.extensions import db
    from qa_app.reviews import explanations
    from qa_app.reviews.models import Review

    zone = ZoneInfo("Asia/Shanghai")
    now = datetime.now(UTC)
    count, rows = 0, []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            text = record["text"]
            sentiment, polarity = generate.review_labels(text)
            index, route, rule = generate.nickname_index(text), None, None
            if index is not None:
                route, rule = (
                    "text",
                    explanations.dump(
                        [
                            explanations.part(
                                explanations.TEXT_MENTION,
                                nick=generate.nickname(index),
                                context="service word",
                                quote=generate.nickname(index),
                                name=generate.nickname(index),
                                shop="bench",
                            )
                        ]
                    ),
                )
            elif record["order_id"]:
                index = int(record["order_id"][1:]) % chats_agents
                route, rule = (
                    "order",
                    explanations.dump(
                        [
                            explanations.part(
                                explanations.CHATS + "majority",
                                n=1,
                                total=1,
                                chats=1,
                                order=record["order_id"],
                            )
                        ]
                    ),
                )
            created = datetime.strptime(record["created_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            rows.append(
                {
                    "shop_id": org.shop_id,
                    "external_id": record["id"],
                    "order_id": record["order_id"] or None,
                    "created_at": created,
                    "rating": int(record["rating"]),
                    "service_rating": int(record["service_rating"]) if record["service_rating"] else None,
                    "agent_field": None,
                    "text": text,
                    "agent_id": org.agent_ids[index]
                    if index is not None and index < len(org.agent_ids)
                    else None,
                    "attribution_route": route,
                    "attribution_rule": rule,
                    "sentiment": sentiment,
                    "service_polarity": polarity,
                    "evidence": text if polarity != "none" else None,
                    "probability": 0.9 if sentiment == "positive" else 0.1,
                    "corrected": False,
                    "imported_at": now,
                }
            )
            if len(rows) >= batch:
                db.session.execute(Review.__table__.insert(), rows)
                count += len(rows)
                rows = []
    if rows:
        db.session.execute(Review.__table__.insert(), rows)
        count += len(rows)
    db.session.commit()
    return count

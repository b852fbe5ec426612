"""QA reports: scores over time per agent, team or rubric; criteria most often failed; QA
specialist throughput; CSV exports. Only submitted scores of sampled chats count."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Team, User
from ..extensions import db
from ..spreadsheets import SafeWriter
from . import scoring
from .models import Criterion, CriterionScore, RubricVersion, Sample, Score
from .prefill import spec
from .weeks import iso_week

GROUPS = ("agent", "team", "rubric")
PICKED = ("random", "spotlight", "all")


@dataclass
class Filters:
    start: date
    end: date
    rubric_id: int | None = None
    team_id: int | None = None
    agent_ids: list[int] | None = None  # a lead sees their own teams only
    # averages use the random picks (an unbiased sample); spotlight picks, chosen for their
    # problems, are reported apart; "all" mixes both
    picked: str = "random"

    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )


def _scores_stmt(f: Filters) -> sa.Select:
    start, end = f.bounds()
    stmt = (
        sa.select(
            Score.id,
            Score.agent_id,
            Score.grader_id,
            Score.total,
            Score.critical_failed,
            Score.submitted_at,
            RubricVersion.rubric_id,
            RubricVersion.title_zh,
            RubricVersion.title_en,
            RubricVersion.number,
            User.team_id,
            User.display_name,
            Sample.picked_by,
        )
        .join(RubricVersion, RubricVersion.id == Score.rubric_version_id)
        .join(User, User.id == Score.agent_id)
        .join(Sample, Sample.id == Score.sample_id)
        .where(
            Score.status == "submitted",
            Score.sample_id.is_not(None),
            Score.submitted_at >= start,
            Score.submitted_at < end,
        )
        .order_by(Score.submitted_at, Score.id)
    )
    if f.rubric_id:
        stmt = stmt.where(RubricVersion.rubric_id == f.rubric_id)
    if f.picked in PICKED[:2]:
        stmt = stmt.where(Sample.picked_by == f.picked)
    if f.team_id:
        stmt = stmt.where(User.team_id == f.team_id)
    if f.agent_ids is not None:
        stmt = stmt.where(Score.agent_id.in_(f.agent_ids or [0]))
    return stmt


def score_rows(f: Filters) -> list:
    """The submitted scores the filters select, read once for the report page's three views."""
    return db.session.execute(_scores_stmt(f)).all()


def weeks_between(f: Filters) -> list[str]:
    tz = current_app.config["SHOP_TIMEZONE"]
    weeks, day = [], f.start
    while day <= f.end:
        week = iso_week(datetime.combine(day, time(12), ZoneInfo(tz)), tz)
        if week not in weeks:
            weeks.append(week)
        day += timedelta(days=1)
    return weeks


def trend(
    f: Filters, group: str, zh: bool = True, limit: int = 8, rows: list | None = None
) -> tuple[list[str], dict[str, list]]:
    """Weekly mean score per group (the `limit` groups with most scores); `rows`: score_rows(f)."""
    tz = current_app.config["SHOP_TIMEZONE"]
    weeks = weeks_between(f)
    teams = {t.id: t.name for t in db.session.scalars(sa.select(Team))}
    buckets: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in score_rows(f) if rows is None else rows:
        if row.total is None:
            continue
        if group == "team":
            key = teams.get(row.team_id, "—")
        elif group == "rubric":
            key = row.title_zh if zh else row.title_en
        else:
            key = row.display_name
        buckets[key][iso_week(row.submitted_at, tz)].append(row.total)
    biggest = sorted(buckets, key=lambda k: -sum(len(v) for v in buckets[k].values()))[:limit]
    return weeks, {
        k: [round(mean(buckets[k][w]), 1) if buckets[k].get(w) else None for w in weeks]
        for k in sorted(biggest)
    }


def summary_rows(f: Filters, group: str, zh: bool = True, rows: list | None = None) -> list[dict]:
    teams = {t.id: t.name for t in db.session.scalars(sa.select(Team))}
    totals: dict[str, list] = defaultdict(list)
    crit: dict[str, int] = defaultdict(int)
    for row in score_rows(f) if rows is None else rows:
        key = (
            teams.get(row.team_id, "—")
            if group == "team"
            else (row.title_zh if zh else row.title_en)
            if group == "rubric"
            else row.display_name
        )
        if row.total is not None:
            totals[key].append(row.total)
        crit[key] += bool(row.critical_failed)
    return [
        {"name": k, "count": len(v), "mean": round(mean(v), 1) if v else None, "critical": crit[k]}
        for k, v in sorted(totals.items(), key=lambda kv: kv[0])
    ]


def criteria_failed(f: Filters, zh: bool = True, limit: int = 15) -> list[dict]:
    """Criteria by fail rate (fraction 0 among answered, non-N/A), most failed first. A criterion
    key is one criterion across the versions of its rubric."""
    score_ids = sa.select(_scores_stmt(f).order_by(None).subquery().c.id)
    # counted per (criterion, value) in SQL: eight weeks at scale are ~120,000 answers, but only
    # a few hundred distinct pairs
    counts = db.session.execute(
        sa.select(CriterionScore.criterion_id, CriterionScore.value, sa.func.count())
        .where(
            CriterionScore.score_id.in_(score_ids),
            CriterionScore.na.is_(False),
            CriterionScore.value.is_not(None),
        )
        .group_by(CriterionScore.criterion_id, CriterionScore.value)
    ).all()
    criteria = {
        c.id: (c, rubric_id)
        for c, rubric_id in db.session.execute(
            sa.select(Criterion, RubricVersion.rubric_id)
            .join(RubricVersion, RubricVersion.id == Criterion.version_id)
            .where(Criterion.id.in_({criterion_id for criterion_id, _, _ in counts}))
        )
    }
    stats: dict[tuple, dict] = {}
    for criterion_id, value, count in sorted(counts, key=lambda row: (row[0], row[1])):
        criterion, rubric_id = criteria[criterion_id]
        entry = stats.setdefault(
            (rubric_id, criterion.key),
            {
                "title": criterion.title_zh if zh else criterion.title_en,
                "key": criterion.key,
                "critical": criterion.critical,
                "answered": 0,
                "failed": 0,
                "earned": 0.0,
            },
        )
        fraction = scoring.fraction(spec(criterion), value)
        entry["answered"] += count
        entry["failed"] += count if fraction == 0 else 0
        entry["earned"] += fraction * count
    out = [
        {
            "title": e["title"],
            "key": e["key"],
            "critical": e["critical"],
            "answered": e["answered"],
            "failed": e["failed"],
            "fail_rate": round(100 * e["failed"] / e["answered"], 1),
            "mean_fraction": round(100 * e["earned"] / e["answered"], 1),
        }
        for e in stats.values()
    ]
    out.sort(key=lambda e: (-e["fail_rate"], -e["failed"], e["key"]))
    return out[:limit]


def throughput(f: Filters, rows: list | None = None) -> tuple[list[str], list[dict]]:
    """Submitted scores per QA specialist per week; `rows`: score_rows(f)."""
    tz = current_app.config["SHOP_TIMEZONE"]
    weeks = weeks_between(f)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in score_rows(f) if rows is None else rows:
        counts[row.grader_id][iso_week(row.submitted_at, tz)] += 1
    graders = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(list(counts) or [0])))}
    result = [
        {"grader": graders[g], "weeks": [c.get(w, 0) for w in weeks], "total": sum(c.values())}
        for g, c in counts.items()
    ]
    result.sort(key=lambda r: r["grader"].display_name)
    return weeks, result


def scores_csv(f: Filters) -> str:
    teams = {t.id: t.name for t in db.session.scalars(sa.select(Team))}
    graders = {u.id: u.username for u in db.session.scalars(sa.select(User))}
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [
            "score_id",
            "submitted_at",
            "agent",
            "team",
            "grader",
            "rubric_version",
            "rubric_title",
            "total",
            "critical_failed",
            "picked_by",
        ]
    )
    for row in db.session.execute(_scores_stmt(f)):
        writer.writerow(
            [
                row.id,
                row.submitted_at.isoformat(),
                row.display_name,
                teams.get(row.team_id, ""),
                graders.get(row.grader_id, ""),
                row.number,
                row.title_en,
                "" if row.total is None else f"{row.total:.2f}",
                int(row.critical_failed),
                row.picked_by,
            ]
        )
    return out.getvalue()


def criteria_csv(f: Filters) -> str:
    score_ids = sa.select(_scores_stmt(f).order_by(None).subquery().c.id)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [
            "score_id",
            "criterion",
            "weight",
            "scale",
            "critical",
            "value",
            "na",
            "fraction",
            "prefilled_from_check",
            "comment",
        ]
    )
    rows = db.session.execute(
        sa.select(CriterionScore, Criterion)
        .join(Criterion, Criterion.id == CriterionScore.criterion_id)
        .where(CriterionScore.score_id.in_(score_ids))
        .order_by(CriterionScore.score_id, Criterion.position)
    )
    for item, criterion in rows:
        fraction = (
            "" if item.na or item.value is None else f"{scoring.fraction(spec(criterion), item.value):.4f}"
        )
        writer.writerow(
            [
                item.score_id,
                criterion.key,
                criterion.weight,
                criterion.scale,
                int(criterion.critical),
                "" if item.value is None else item.value,
                int(item.na),
                fraction,
                item.prefilled_from_check or "",
                item.comment,
            ]
        )
    return out.getvalue()

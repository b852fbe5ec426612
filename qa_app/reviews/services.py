"""Review rules: who sees which reviews, finding them, the numbers evaluations need, and
re-attribution when nicknames become known. Corrections live in corrections.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from ..accounts.models import AgentNickname, Shop, Team, User
from ..extensions import db
from ..ui import pagination
from ..ui.inputs import BadArgument, in_window, int_arg, window_message
from .attribution import Attributor
from .models import POLARITIES, ROUTES, Review
from .parsing import DEFAULT_SHOP

# --- who sees what ---------------------------------------------------------------------------


def visible_reviews(viewer: User) -> sa.Select:
    """Reviews `viewer` may see: QA and admins all; a lead the reviews of their teams' agents
    and the unattributed ones (to attribute them); anyone else only reviews about themselves,
    once their classification is sure or confirmed (a doubtful verdict is no praise or blame)."""
    stmt = sa.select(Review)
    if viewer.has_any_role("admin", "qa"):
        return stmt
    if viewer.has_role("lead"):
        team_agents = list(
            db.session.scalars(
                sa.select(User.id).join(Team, User.team_id == Team.id).where(Team.lead_id == viewer.id)
            )
        )
        # One unindexable test instead of "agent IN (…) OR agent IS NULL": with the OR, SQLite
        # gathers every visible review (over 100,000 at scale) through the agent index and sorts
        # them for one page; this way it walks the date index newest first and stops after a page.
        # 0 stands for "unattributed" (ids start at 1).
        return stmt.where(sa.func.coalesce(Review.agent_id, 0).in_([0, viewer.id, *team_agents]))
    return stmt.where(Review.agent_id == viewer.id, Review.needs_confirmation == sa.false())


def can_see(viewer: User, review: Review) -> bool:
    if viewer.has_any_role("admin", "qa"):
        return True
    if review.agent_id == viewer.id and not review.needs_confirmation:
        return True
    if viewer.has_role("lead"):
        return review.agent_id is None or (
            review.agent is not None
            and review.agent.team is not None
            and review.agent.team.lead_id == viewer.id
        )
    return False


def can_correct(viewer: User, review: Review) -> bool:
    """Leads correct their teams' and unattributed reviews; QA and admins any review."""
    if not viewer.has_any_role("lead", "qa", "admin"):
        return False
    if viewer.has_any_role("admin", "qa"):
        return True
    return can_see(viewer, review) and review.agent_id != viewer.id


def assignable_agents(viewer: User) -> list[sa.Row]:
    """Agents `viewer` may attribute a review to (rows of `id`, `display_name`): a lead's own
    teams, everyone for QA/admin. Plain rows: building 300 User objects with their roles cost
    more than the rest of the review list."""
    stmt = sa.select(User.id, User.display_name).where(
        User.active.is_(True), User.role_rows.any(role="agent")
    )
    if not viewer.has_any_role("admin", "qa"):
        stmt = stmt.join(Team, User.team_id == Team.id).where(Team.lead_id == viewer.id)
    return list(db.session.execute(stmt.order_by(User.display_name, User.id)))


# --- finding reviews -------------------------------------------------------------------------


@dataclass
class ReviewFilters:
    """The list's filters, parsed leniently from a query string: a bad value means no filter."""

    agent_id: int | None = None
    shop_id: int | None = None
    polarity: str | None = None
    sentiment: str | None = None
    rating: int | None = None
    route: str | None = None
    unattributed: bool = False
    corrected: bool = False
    to_confirm: bool = False
    since: date | None = None
    until: date | None = None
    query: str = ""
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> ReviewFilters:
        filters = cls(
            agent_id=int_arg("agent", args=args),
            shop_id=int_arg("shop", args=args),
            rating=int_arg("rating", args=args),
            query=(args.get("q") or "").strip()[:200],
            unattributed=args.get("unattributed") in ("1", "on", "yes"),
            corrected=args.get("corrected") in ("1", "on", "yes"),
            to_confirm=args.get("to_confirm") in ("1", "on", "yes"),
        )
        polarity, sentiment, route = args.get("polarity"), args.get("sentiment"), args.get("route")
        filters.polarity = polarity if polarity in POLARITIES else None
        filters.sentiment = sentiment if sentiment in ("positive", "negative", "neutral") else None
        filters.route = route if route in ROUTES else None
        if filters.rating is not None and not 1 <= filters.rating <= 5:
            filters.rating = None
        filters.since = _date(args, "since", filters.problems)
        filters.until = _date(args, "until", filters.problems)
        return filters

    def as_args(self) -> dict:
        values = {
            "agent": self.agent_id,
            "shop": self.shop_id,
            "polarity": self.polarity,
            "sentiment": self.sentiment,
            "rating": self.rating,
            "route": self.route,
            "unattributed": "1" if self.unattributed else None,
            "corrected": "1" if self.corrected else None,
            "to_confirm": "1" if self.to_confirm else None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "q": self.query or None,
        }
        return {key: value for key, value in values.items() if value is not None}


def _date(args, name: str, problems: list[str]) -> date | None:
    """The date in `args[name]`; not a date: noted in `problems`; out of the window: 400."""
    value = args.get(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        problems.append(value[:40])
        return None
    if not in_window(day):
        raise BadArgument(f"{name}: {window_message()}")
    return day


def find_reviews(viewer: User, filters: ReviewFilters) -> sa.Select:
    """The reviews `viewer` may see that match `filters`, newest first (for pagination)."""
    stmt = visible_reviews(viewer)
    if filters.agent_id:
        stmt = stmt.where(Review.agent_id == filters.agent_id)
    if filters.unattributed:
        stmt = stmt.where(Review.agent_id.is_(None))
    if filters.shop_id:
        stmt = stmt.where(Review.shop_id == filters.shop_id)
    if filters.polarity:
        stmt = stmt.where(Review.service_polarity == filters.polarity)
    if filters.sentiment:
        stmt = stmt.where(Review.sentiment == filters.sentiment)
    if filters.rating:
        stmt = stmt.where(Review.rating == filters.rating)
    if filters.route:
        stmt = stmt.where(Review.attribution_route == filters.route)
    if filters.corrected:
        # "= true", not "IS true": PostgreSQL uses an index only for the former
        stmt = stmt.where(Review.corrected == sa.true())
    if filters.to_confirm:
        stmt = stmt.where(Review.needs_confirmation == sa.true())
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    if filters.since:
        stmt = stmt.where(Review.created_at >= datetime.combine(filters.since, time(), zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), zone)
        stmt = stmt.where(Review.created_at < end)
    if filters.query:
        like = "%" + filters.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            sa.or_(
                Review.text.like(like, escape="\\"),
                Review.external_id == filters.query,
                Review.order_id == filters.query,
            )
        )
    return stmt.order_by(Review.created_at.desc(), Review.id.desc())


def unattributed_count(viewer: User) -> int:
    """How many reviews wait for their agent, counted up to COUNT_CAP + 1 (shown as "1,000+")."""
    stmt = visible_reviews(viewer).where(Review.agent_id.is_(None))
    return pagination.capped_count(stmt, COUNT_CAP + 1, Review.id)


def to_confirm_count(viewer: User) -> int:
    """How many visible reviews wait for a person to confirm their classification (capped)."""
    stmt = visible_reviews(viewer).where(Review.needs_confirmation == sa.true())
    return pagination.capped_count(stmt, COUNT_CAP + 1, Review.id)


# --- long lists --------------------------------------------------------------------------------

#: lists count matching reviews up to this many and say "more than" beyond: an exact count of a
#: lead's ~100,000 visible reviews cost more than the page itself
COUNT_CAP = 1000


#: each review's agent and shop loaded with it (lists show both on every row)
RELATED = (so.joinedload(Review.agent), so.joinedload(Review.shop))


def with_related(stmt: sa.Select) -> sa.Select:
    return stmt.options(*RELATED)


def page_of(stmt: sa.Select, number: int, per_page: int, cap: int | None = None) -> pagination.Page:
    """Page `number` of `stmt` with each review's agent and shop; the count goes up to `cap`
    (COUNT_CAP), or just past the page asked for."""
    return pagination.paginate_capped(
        stmt, number, per_page, cap=COUNT_CAP if cap is None else cap, column=Review.id, options=RELATED
    )


def latest(
    viewer: User, *, polarity=None, agent_id: int | None = None, limit: int = 5, attributed_only: bool = False
) -> list[Review]:
    stmt = visible_reviews(viewer)
    if polarity:
        stmt = stmt.where(
            Review.service_polarity.in_((polarity,) if isinstance(polarity, str) else tuple(polarity))
        )
    if agent_id is not None:
        stmt = stmt.where(Review.agent_id == agent_id)
    if attributed_only:
        stmt = stmt.where(Review.agent_id.is_not(None))
    return list(db.session.scalars(stmt.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)))


def latest_criticism(viewer: User, limit: int = 5) -> list[Review]:
    """The newest attributed reviews that criticise the service: polarity criticism, or mixed
    with a negative overall sentiment (a "mixed" verdict is often mostly praise), and only
    confirmed ones (a classification waiting for confirmation blames nobody yet)."""
    stmt = visible_reviews(viewer).where(
        Review.agent_id.is_not(None),
        Review.needs_confirmation == sa.false(),
        sa.or_(
            Review.service_polarity == "criticism",
            sa.and_(Review.service_polarity == "mixed", Review.sentiment == "negative"),
        ),
    )
    return list(db.session.scalars(stmt.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)))


def shops_with_reviews() -> list[Shop]:
    return list(
        db.session.scalars(
            sa.select(Shop).where(sa.exists().where(Review.shop_id == Shop.id)).order_by(Shop.name)
        )
    )


# --- the numbers evaluations use -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    """An agent's reviews in a period: how many, how many praise / criticise the service."""

    agent_id: int
    total: int = 0
    praise: int = 0
    criticism: int = 0
    mixed: int = 0
    no_service: int = 0
    average_rating: float | None = None
    average_service_rating: float | None = None
    service_ratings: int = 0


def reviews_of_agent(agent_id: int, start: datetime, end: datetime, polarity: str | None = None) -> sa.Select:
    """A select() of the reviews attributed to the agent with created_at in [start, end), newest
    first; `polarity` narrows to praise / criticism / mixed / none (for evidence links). Reviews
    waiting for confirmation are left out, as in `summaries`."""
    stmt = sa.select(Review).where(
        Review.agent_id == agent_id,
        Review.created_at >= start,
        Review.created_at < end,
        Review.needs_confirmation == sa.false(),
    )
    if polarity:
        stmt = stmt.where(Review.service_polarity == polarity)
    return stmt.order_by(Review.created_at.desc(), Review.id.desc())


def summaries(agent_ids, start: datetime, end: datetime) -> dict[int, ReviewSummary]:
    """ReviewSummary per agent for reviews created in [start, end) (aware datetimes), one query
    for all agents; agents without reviews get a summary of zeros. A review whose classification
    waits for confirmation counts nowhere until a lead or QA confirms or corrects it."""
    ids = list(agent_ids)
    result = {agent_id: ReviewSummary(agent_id) for agent_id in ids}
    if not ids:
        return result
    polarity = Review.service_polarity

    def count_of(value):
        return sa.func.sum(sa.case((polarity == value, 1), else_=0))

    rows = db.session.execute(
        sa.select(
            Review.agent_id,
            sa.func.count(),
            count_of("praise"),
            count_of("criticism"),
            count_of("mixed"),
            count_of("none"),
            sa.func.avg(Review.rating),
            sa.func.avg(Review.service_rating),
            sa.func.count(Review.service_rating),
        )
        .where(
            Review.agent_id.in_(ids),
            Review.created_at >= start,
            Review.created_at < end,
            Review.needs_confirmation == sa.false(),
        )
        .group_by(Review.agent_id)
    )
    for agent_id, total, praise, criticism, mixed, none, rating, service, service_n in rows:
        result[agent_id] = ReviewSummary(
            agent_id,
            total=total,
            praise=int(praise or 0),
            criticism=int(criticism or 0),
            mixed=int(mixed or 0),
            no_service=int(none or 0),
            average_rating=round(float(rating), 2) if rating is not None else None,
            average_service_rating=round(float(service), 2) if service is not None else None,
            service_ratings=service_n,
        )
    return result


def summary(agent_id: int, start: datetime, end: datetime) -> ReviewSummary:
    return summaries([agent_id], start, end)[agent_id]


# --- attribution after the fact --------------------------------------------------------------


def attribute_pending(*, shop_ids=None, nickname: str | None = None) -> int:
    """Retry the automatic rules on unattributed reviews (all, or those of some shops that may
    mention `nickname`). Manual decisions are never touched. The caller commits."""
    stmt = sa.select(Review).where(Review.agent_id.is_(None))
    if shop_ids is not None:
        stmt = stmt.where(Review.shop_id.in_(list(shop_ids)))
    if nickname:
        stmt = stmt.where(
            sa.or_(Review.agent_field == nickname, Review.text.contains(nickname, autoescape=True))
        )
    attributor = Attributor()
    attributed = 0
    for review in db.session.scalars(stmt.order_by(Review.id)):
        found = attributor.attribute(
            shop=review.shop, agent_field=review.agent_field, order_id=review.order_id, text=review.text
        )
        if found.agent_id is not None:
            review.agent_id, review.attribution_route = found.agent_id, found.route
            review.attribution_rule = found.rule
            attributed += 1
    return attributed


def on_nickname_assigned(nickname: AgentNickname) -> int:
    """A nickname became known: reviews of that shop naming it are attributed now."""
    db.session.flush()
    # exports without a shop land in the default shop, which matches every shop's nicknames
    default = db.session.scalar(sa.select(Shop.id).where(Shop.slug == DEFAULT_SHOP))
    shop_ids = {nickname.shop_id} | ({default} if default else set())
    return attribute_pending(shop_ids=shop_ids, nickname=nickname.nickname)


def reviews_for_chat(chat) -> list[Review]:
    """Reviews of the chat's order in its shop (the chats domain shows them with the transcript)."""
    if not getattr(chat, "order_id", None):
        return []
    return list(
        db.session.scalars(
            sa.select(Review)
            .where(Review.order_id == chat.order_id, Review.shop_id == chat.shop_id)
            .order_by(Review.created_at)
        )
    )

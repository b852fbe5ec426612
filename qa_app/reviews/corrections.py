"""Leads' corrections of a review's classification or agent, kept with who, when and why,
audited, and exported as new training data for the classifier."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from . import explanations
from .export import safe_cell
from .followup import follow_agent, open_cases
from .models import POLARITIES, SENTIMENTS, Review, ReviewCorrection
from .services import assignable_agents, can_correct

TRAINING_COLUMNS = (
    "id",
    "shop",
    "text",
    "sentiment",
    "service_polarity",
    "evidence",
    "agent",
    "corrected_fields",
    "reason",
    "corrected_by",
    "corrected_at",
)


class CorrectionError(ValueError):
    """The correction breaks a rule; the message is safe to show."""


def correct_classification(
    actor: User, review: Review, *, sentiment: str, service_polarity: str, evidence: str | None, reason: str
) -> list[ReviewCorrection]:
    """Set the review's classification as the lead judges it. Each changed field is kept as a
    correction; the review is marked corrected so that no automatic run overwrites it."""
    reason = _check(actor, review, reason)
    if sentiment not in SENTIMENTS or service_polarity not in POLARITIES:
        raise CorrectionError(_l("Choose a sentiment and a service polarity."))
    evidence = (evidence or "").strip() or None
    if service_polarity == "none":
        evidence = None
    elif evidence and evidence not in review.text:
        raise CorrectionError(_l("The evidence must be a fragment copied from the review text."))
    wanted = {"sentiment": sentiment, "service_polarity": service_polarity, "evidence": evidence}
    before = {name: getattr(review, name) for name in wanted}
    changes = [(name, before[name], value) for name, value in wanted.items() if before[name] != value]
    if not changes:
        raise CorrectionError(_l("Nothing changed: the classification is already so."))
    corrections = _apply(actor, review, changes, reason)
    review.corrected = True
    _mark_confirmed(actor, review)  # a person set the labels: nothing left to confirm
    open_cases([review])  # a confirmed negative verdict is followed up
    record(actor, "review.correct", review, before=before, after=wanted, reason=reason)
    db.session.flush()
    return corrections


def confirm_classification(actor: User, review: Review) -> None:
    """A lead or QA agrees with the classifier's verdict on a review marked "to confirm": it
    counts from now on (evaluations, the agent's pages) and becomes a labelled training row.
    Audited; the caller commits."""
    if not can_correct(actor, review):
        raise CorrectionError(_l("You may not correct this review."))
    if not review.needs_confirmation:
        raise CorrectionError(_l("This classification needs no confirmation."))
    _mark_confirmed(actor, review)
    record(
        actor,
        "review.confirm",
        review,
        before={"needs_confirmation": True},
        after={
            "needs_confirmation": False,
            "sentiment": review.sentiment,
            "service_polarity": review.service_polarity,
        },
    )
    db.session.flush()
    open_cases([review])


def _mark_confirmed(actor: User, review: Review) -> None:
    review.needs_confirmation = False
    review.confirmed_at = utcnow()
    review.confirmed_by_id = actor.id


def attribute_manually(actor: User, review: Review, agent: User | None, *, reason: str) -> ReviewCorrection:
    """Give the review to `agent` (or take it from its agent when None), as a lead decided."""
    reason = _check(actor, review, reason)
    if agent is not None and agent.id not in {a.id for a in assignable_agents(actor)}:
        raise CorrectionError(_l("You can only attribute reviews to agents of your teams."))
    new_id = agent.id if agent else None
    if new_id == review.agent_id:
        raise CorrectionError(_l("The review is already attributed so."))
    before = {"agent_id": review.agent_id, "route": review.attribution_route, "rule": review.attribution_rule}
    old_name = review.agent.display_name if review.agent else None
    correction = _apply(actor, review, [("agent", old_name, agent.display_name if agent else None)], reason)[
        0
    ]
    review.agent_id = new_id
    review.agent = agent
    review.attribution_route = "manual"
    follow_agent(review)
    review.attribution_rule = explanations.dump(
        [explanations.part(explanations.MANUAL, lead=actor.display_name, reason=reason)]
    )
    record(
        actor,
        "review.attribute",
        review,
        before=before,
        after={"agent_id": new_id, "route": "manual"},
        reason=reason,
    )
    db.session.flush()
    return correction


def _check(actor: User, review: Review, reason: str) -> str:
    if not can_correct(actor, review):
        raise CorrectionError(_l("You may not correct this review."))
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError(_l("Say why: the reason is kept with the correction."))
    return reason[:2000]


def _apply(actor: User, review: Review, changes, reason: str) -> list[ReviewCorrection]:
    now = utcnow()
    corrections = []
    for name, old, new in changes:
        if name != "agent":  # the agent is set by the caller, with the route
            setattr(review, name, new)
        correction = ReviewCorrection(
            review=review, field=name, old=old, new=new, reason=reason, by_id=actor.id, at=now
        )
        db.session.add(correction)
        corrections.append(correction)
    return corrections


# --- training data ---------------------------------------------------------------------------


def labelled_reviews(since: datetime | None = None) -> sa.Select:
    """Reviews a person labelled — corrected (any correction) or confirmed as classified — with
    the time of their last correction, else of the confirmation; oldest first."""
    last_correction = (
        sa.select(sa.func.max(ReviewCorrection.at))
        .where(ReviewCorrection.review_id == Review.id)
        .correlate(Review)
        .scalar_subquery()
    )
    labelled_at = sa.func.coalesce(last_correction, Review.confirmed_at)
    stmt = sa.select(Review, labelled_at).where(labelled_at.is_not(None))
    if since is not None:
        stmt = stmt.where(labelled_at >= since)
    return stmt.order_by(labelled_at, Review.id)


def training_rows(since: datetime | None = None):
    """One row per labelled review with its labels as they stand now. A confirmation (the
    classifier's verdict, confirmed) has empty `corrected_fields` and `reason`."""
    for review, _at in db.session.execute(labelled_reviews(since)):
        corrections = review.corrections
        latest = corrections[-1] if corrections else None
        by = latest.by if latest else review.confirmed_by
        at = latest.at if latest else review.confirmed_at
        yield {
            "id": review.external_id,
            "shop": review.shop.slug,
            "text": review.text,
            "sentiment": review.sentiment or "",
            "service_polarity": review.service_polarity or "",
            "evidence": review.evidence or "",
            "agent": review.agent.display_name if review.agent else "",
            "corrected_fields": " ".join(sorted({c.field for c in corrections})),
            "reason": latest.reason if latest else "",
            "corrected_by": by.username if by else "",
            "corrected_at": at.isoformat() if at else "",
        }


def write_training_csv(handle, since: datetime | None = None, *, spreadsheet_safe: bool) -> int:
    """Write the corrections and confirmations as CSV; `spreadsheet_safe` quotes cells a spreadsheet would run as
    formulas (web downloads), pipelines get the texts untouched. Returns the number of rows."""
    writer = csv.DictWriter(handle, fieldnames=TRAINING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in training_rows(since):
        if spreadsheet_safe:
            row = {key: safe_cell(value) for key, value in row.items()}
        writer.writerow(row)
        count += 1
    return count


def training_csv(since: datetime | None = None, *, spreadsheet_safe: bool = True) -> str:
    out = io.StringIO()
    write_training_csv(out, since, spreadsheet_safe=spreadsheet_safe)
    return out.getvalue()

"""Who needs coaching first: a short, ranked list with the reason for each name.

The formula's flags (formula.flags) tag every weakness and, in a month of many reviews, tag nearly
everyone; a lead cannot coach nineteen agents first. This list is selective: an agent is listed
for a critical failure, for a component both below the lead's threshold and clearly below the
team's mean, for a component that fell by at least the lead's drop since the previous period,
or for required courses past their due date. Candidates are ranked by how far they are behind
and only the lead's top N are shown. Each lead tunes the numbers (stored per lead in
`settings`, key `coaching_priority:<user id>`); the defaults fit a team of about twenty.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask_babel import lazy_gettext as _l

from ..accounts.models import Setting, User
from ..audit.services import record
from ..extensions import db
from .forms import PRIORITY_LABELS
from .formula import COMPONENTS
from .services import EvaluationError

# score of each kind of reason, in points of "behind" (a gap of 10 points below the team is 10)
CRITICAL_POINTS = 100.0  # above any gap: a critical failure is coached first
OVERDUE_POINTS = 8.0


@dataclass(frozen=True)
class PrioritySettings:
    top: int = 5  # how many agents the list shows
    low: float = 70.0  # a component below this …
    gap: float = 10.0  # … and at least this many points below the team mean
    drop: float = 10.0  # or fallen by at least this many points since the previous period

    LIMITS = {"top": (1, 50), "low": (0, 100), "gap": (0, 100), "drop": (1, 100)}

    @classmethod
    def from_value(cls, raw) -> PrioritySettings:
        """Settings from a stored value: unknown keys ignored, bad or out-of-range → default."""
        values = asdict(cls())
        if isinstance(raw, dict):
            for key, (low, high) in cls.LIMITS.items():
                try:
                    number = float(raw.get(key, values[key]))
                except (TypeError, ValueError):
                    continue
                if low <= number <= high:
                    values[key] = int(number) if key == "top" else number
        return cls(**values)


@dataclass(frozen=True)
class Reason:
    """Why an agent is listed. code: critical_failures | low_vs_team | falling | overdue_training."""

    code: str
    component: str | None = None
    value: float | None = None  # the agent's component (or count for counts)
    reference: float | None = None  # the team mean (low_vs_team) or the previous value (falling)

    @property
    def difference(self) -> float | None:
        if self.value is None or self.reference is None:
            return None
        return round(self.value - self.reference, 1)


@dataclass
class Candidate:
    evaluation: object  # services.AgentEvaluation
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0


def _key(lead: User) -> str:
    return f"coaching_priority:{lead.id}"


def settings_for(lead: User) -> PrioritySettings:
    row = db.session.get(Setting, _key(lead))
    return PrioritySettings.from_value(row.value if row is not None else None)


def save_settings(lead: User, values: dict) -> PrioritySettings:
    """Store the lead's own thresholds (audited); values outside their limits are refused."""
    for key, (low, high) in PrioritySettings.LIMITS.items():
        number = values.get(key)
        if number is None or not low <= float(number) <= high:
            raise EvaluationError(
                _l(
                    "%(field)s: enter a number from %(low)s to %(high)s.",
                    field=PRIORITY_LABELS[key],
                    low=low,
                    high=high,
                )
            )
    cleaned = PrioritySettings.from_value(values)
    row = db.session.get(Setting, _key(lead))
    before = row.value if row is not None else None
    if row is None:
        row = Setting(key=_key(lead))
        db.session.add(row)
    row.value = asdict(cleaned)
    db.session.flush()
    target = type("Setting", (), {"id": _key(lead)})()
    record(lead, "evaluation.priority_settings", target, before=before, after=row.value)
    return cleaned


def team_means(rows) -> dict[str, float | None]:
    """Mean of each component over the agents with enough data for it."""
    means = {}
    for key in COMPONENTS:
        values = [e.components[key].value for e in rows if key in e.components and e.components[key].enough]
        means[key] = round(sum(values) / len(values), 1) if values else None
    return means


def reasons_for(evaluation, previous, means: dict, settings: PrioritySettings) -> tuple[list[Reason], float]:
    """The reasons to coach one agent first, most serious first, and their weight together."""
    reasons, score = [], 0.0
    qa = evaluation.components.get("qa")
    critical = qa.details.get("critical_failures", 0) if qa is not None else 0
    if critical:
        reasons.append(Reason("critical_failures", "qa", float(critical)))
        score += CRITICAL_POINTS * min(critical, 3)
    for key in COMPONENTS:
        component = evaluation.components.get(key)
        if component is None or not component.enough:
            continue
        mean = means.get(key)
        if mean is not None and component.value < settings.low and mean - component.value >= settings.gap:
            reasons.append(Reason("low_vs_team", key, component.value, mean))
            score += mean - component.value
        before = previous.components.get(key) if previous is not None else None
        if before is not None and before.enough and before.value - component.value >= settings.drop:
            reasons.append(Reason("falling", key, component.value, before.value))
            score += before.value - component.value
    training = evaluation.components.get("training")
    overdue = training.details.get("overdue", 0) if training is not None else 0
    if overdue:
        reasons.append(Reason("overdue_training", "training", float(overdue)))
        score += OVERDUE_POINTS * min(overdue, 3)
    return reasons, round(score, 1)


def rank(rows, previous_rows, settings: PrioritySettings) -> list[Candidate]:
    """Every agent with a reason to be coached first, highest score first (the pages show the
    first `settings.top`); `previous_rows` are the same agents' evaluations of the period before
    (for falls)."""
    means = team_means(rows)
    before = {e.agent.id: e for e in previous_rows or ()}
    candidates = []
    for evaluation in rows:
        reasons, score = reasons_for(evaluation, before.get(evaluation.agent.id), means, settings)
        if reasons:
            candidates.append(Candidate(evaluation, reasons, score))
    candidates.sort(key=lambda c: (-c.score, c.evaluation.agent.display_name))
    return candidates

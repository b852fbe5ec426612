import pytest

from ..factories import make_team, make_user
from .factories import PREFILL_RUBRIC, make_rubric


@pytest.fixture
def rubric(db):
    return make_rubric()


@pytest.fixture
def prefill_rubric(db):
    """Criteria mapped from measured checks, one without a map, and a must-pass check."""
    return make_rubric("prefill", PREFILL_RUBRIC)


@pytest.fixture
def team_setup(db):
    """A lead with a team of two agents, and a QA specialist."""
    lead = make_user(roles=("lead",))
    team = make_team(lead=lead)
    agent = make_user(roles=("agent",), team=team)
    other = make_user(roles=("agent",), team=team)
    qa = make_user(roles=("qa",))
    return {"lead": lead, "team": team, "agent": agent, "other": other, "qa": qa}

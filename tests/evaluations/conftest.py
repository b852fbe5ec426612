import pytest

from qa_app.evaluations import periods

from .factories import make_team_with_agents


@pytest.fixture
def october():
    return periods.parse("2026-10", "Asia/Shanghai")


@pytest.fixture
def team(db):
    """(lead, team, [agent, agent])"""
    return make_team_with_agents(2)

"""A lead's pages (agent filters, dropdowns, checkboxes) name only the agents of the lead's own
teams; QA and admins see every agent. Every GET page without URL parameters that a lead may open
is walked, from the URL map."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from qa_app.permissions import AUTHENTICATED

from .factories import make_team, make_user
from .properties.world import World
from .qa.factories import make_chat, make_rubric, submitted_score
from .reviews.factories import make_review
from .test_permission_matrix import PLAIN_GETS

STRANGER = "外组王五"
LEAD_PAGES = [
    r
    for r in PLAIN_GETS
    if r.access == AUTHENTICATED or (isinstance(r.access, frozenset) and "lead" in r.access)
]


def _text(response) -> str:
    """What the page shows: a spreadsheet's cells, or the text."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.get_data(as_text=True)


@pytest.fixture
def world(db):
    """The world's lead and agent, and an agent of another lead's team with chats, a QA score
    and a review: everything that puts an agent's name in a filter."""
    world = World()
    stranger = make_user(
        team=make_team(lead=make_user(roles=("lead",))),
        display_name=STRANGER,
        nickname="王五",
        shop=world.shop,
    )
    chat = make_chat(stranger, shop=world.shop)
    submitted_score(chat, make_rubric(slug="other-rubric"), world.user("qa"))
    make_review(shop=world.shop, agent=stranger)
    make_chat(world.agent, shop=world.shop)
    return world


@pytest.mark.parametrize("route", LEAD_PAGES, ids=str)
def test_lead_page_names_no_agent_of_another_team(client, auth, world, route):
    auth.login_user(world.agent.team.lead)
    assert STRANGER not in _text(client.get(route.url))


@pytest.mark.parametrize("url", ["/chats", "/reviews"])
def test_lead_filter_lists_the_own_teams_agents(client, auth, world, url):
    auth.login_user(world.agent.team.lead)
    assert world.agent.display_name in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("role", ["qa", "admin"])
@pytest.mark.parametrize("url", ["/chats", "/reviews"])
def test_qa_and_admin_filters_list_every_agent(client, auth, world, role, url):
    auth.login_user(world.user(role))
    assert STRANGER in client.get(url).get_data(as_text=True)

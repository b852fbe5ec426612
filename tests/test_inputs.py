"""Ids, pages, dates and periods out of range: 400 with a message naming the parameter, or the
form's message beside the field; nothing stored (qa_app/ui/inputs.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from qa_app.evaluations import periods
from qa_app.qa.models import SamplingPlan
from qa_app.training.models import Assignment
from qa_app.ui.inputs import parse_date, parse_int

from .factories import make_team, make_user
from .qa.factories import make_rubric
from .training.factories import make_course


@pytest.mark.parametrize("raw", ["2147483648", "-2147483649", "99999999999999999999", "9" * 5000])
def test_integers_past_the_database_range_are_refused(raw):
    with pytest.raises(ValueError, match=re.escape(raw[:24])):  # the message quotes the input
        parse_int(raw)


@pytest.mark.parametrize(
    ("raw", "value"), [("2147483647", 2**31 - 1), (" 7 ", 7), ("abc", None), ("", None), ("²", None)]
)
def test_integers_within_range_are_read_and_other_text_ignored(raw, value):
    assert parse_int(raw) == value


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_dates_outside_the_window_are_refused(raw):
    with pytest.raises(ValueError, match="2000-01-01"):  # the message names the window
        parse_date(raw)


def test_dates_at_the_windows_edges_are_read():
    assert (parse_date("2000-01-01"), parse_date("2099-12-31")) == (date(2000, 1, 1), date(2099, 12, 31))


@pytest.mark.parametrize("key", ["9999-12", "9999-Q4", "9999-W52", "2100-01", "1999-12"])
def test_periods_outside_the_window_are_refused(key):
    with pytest.raises(periods.PeriodOutOfRange):
        periods.parse(key)


def test_a_period_at_the_windows_start_still_has_previous_periods():
    first = periods.parse("2000-01")
    assert [p.key for p in periods.recent(first, 3)] == ["1999-11", "1999-12", "2000-01"]


def test_huge_agent_id_in_the_chat_filter_is_a_400_naming_the_parameter(client, login_as):
    login_as("qa")
    response = client.get("/chats?agent=99999999999999999999")
    assert response.status_code == 400
    assert "agent: 99999999999999999999 is out of range" in response.get_data(as_text=True)


def test_chat_filter_at_the_calendars_end_is_a_400_with_the_window(client, login_as):
    login_as("qa")
    response = client.get("/chats?to=9999-12-31")
    assert response.status_code == 400
    assert "to: Choose a date between 2000-01-01 and 2099-12-31." in response.get_data(as_text=True)


def test_the_message_is_in_the_users_language(client, login_as):
    login_as("qa", locale="zh_CN")
    response = client.get("/reviews?page=9223372036854775808")
    assert response.status_code == 400
    assert "超出范围" in response.get_data(as_text=True)


def test_far_evaluation_period_is_a_400(client, login_as):
    login_as("lead")
    response = client.get("/evaluations/?period=9999-12")
    assert response.status_code == 400
    assert "period: choose a period between 2000 and 2099." in response.get_data(as_text=True)


def test_first_period_of_the_window_opens_the_dashboard(client, login_as):
    login_as("lead")
    assert client.get("/evaluations/?period=2000-01").status_code == 200


def test_far_period_in_the_api_is_a_400_with_the_years(client, db):
    from qa_app.api import tokens

    _token, secret = tokens.issue(None, "test", ("evaluations:read",))
    response = client.get("/api/v1/evaluations?period=9999-Q4", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400
    assert response.get_json()["message"] == "period: choose a year from 2000 to 2099"


def test_assignment_due_at_the_calendars_end_is_refused(client, login_as, db):
    login_as("trainer")
    course, team = make_course(), make_team()
    make_user(team=team)
    response = client.post(
        "/training/assignments",
        data={"target": f"course:{course.id}", "teams": [team.id], "due_on": "9999-12-31"},
    )
    assert "Choose a date between 2000-01-01 and 2099-12-31." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 0


def test_sampling_plan_from_year_one_is_refused(client, login_as, db):
    login_as("qa")
    rubric = make_rubric()
    response = client.post(
        "/qa/plans/new",
        data={
            "name": "Weekly",
            "rubric_id": rubric.id,
            "mode": "per_agent",
            "per_agent_per_week": 1,
            "date_from": "0001-01-01",
            "date_to": "2026-11-30",
            "shop_id": 0,
            "failed_check": "",
            "negative_review": "",
        },
    )
    assert "Choose a date between 2000-01-01 and 2099-12-31." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingPlan)) == 0

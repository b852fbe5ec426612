"""Default dates of sampling plans and QA reports are the shop's local days, not UTC's."""

from datetime import UTC, datetime

import pytest

from qa_app.qa import weeks

# 20:00 UTC on 23 November is 04:00 on 24 November in Shanghai (the default SHOP_TIMEZONE)
LATE_UTC = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


@pytest.fixture
def before_eight_in_shanghai(monkeypatch):
    monkeypatch.setattr(weeks, "utcnow", lambda: LATE_UTC)


def test_local_today_is_the_shops_date(app, before_eight_in_shanghai):
    with app.app_context():
        assert weeks.local_today().isoformat() == "2026-11-24"


def test_new_plan_form_ends_today_in_the_shops_time_zone(client, login_as, before_eight_in_shanghai):
    login_as("qa")
    page = client.get("/qa/plans/new").get_data(as_text=True)
    assert 'value="2026-11-24"' in page
    assert 'value="2026-11-16"' in page  # Monday of the previous local week


def test_qa_report_ends_today_in_the_shops_time_zone(client, login_as, before_eight_in_shanghai):
    login_as("qa")
    page = client.get("/qa/reports").get_data(as_text=True)
    assert 'name="end" value="2026-11-24"' in page

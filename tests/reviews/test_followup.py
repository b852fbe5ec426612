"""Bad-review follow-up: which reviews open a case, when it falls due in the shop's time, the
moves a case may make, who sees which cases, and the share resolved on time."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.reviews import followup
from qa_app.reviews.corrections import confirm_classification, correct_classification
from qa_app.reviews.followup import FollowUpError, case_of, move, open_cases
from qa_app.reviews.models import FollowUpCase

from ..factories import make_shop
from .factories import make_review, write_csv

#: 23:30 in Shanghai on 1 November is 15:30 UTC the same day
LATE_EVENING = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)
BEFORE_DUE = datetime(2026, 11, 2, tzinfo=UTC)


def bad(org, agent=None, **fields):
    fields = {
        "rating": 1,
        "sentiment": "negative",
        "service_polarity": "criticism",
        "evidence": None,
        **fields,
    }
    return make_review(org.shop, agent, **fields)


def cases() -> list[FollowUpCase]:
    return list(db.session.scalars(sa.select(FollowUpCase)))


def test_a_middle_rating_opens_a_case_for_the_attributed_agent(org):
    review = make_review(org.shop, org.mei, rating=3)
    (case,) = open_cases([review], BEFORE_DUE)
    assert (case.status, case.agent_id) == ("open", org.mei.id)


def test_a_good_rating_with_a_positive_verdict_opens_no_case(org):
    assert open_cases([make_review(org.shop, org.mei, rating=4)], BEFORE_DUE) == []


def test_a_sure_criticism_opens_a_case_whatever_the_rating(org):
    review = make_review(org.shop, org.mei, rating=5, sentiment="neutral", service_polarity="criticism")
    assert len(open_cases([review], BEFORE_DUE)) == 1


def test_a_criticism_to_confirm_waits_for_confirmation(org):
    review = make_review(
        org.shop,
        org.mei,
        rating=5,
        sentiment="negative",
        service_polarity="criticism",
        needs_confirmation=True,
    )
    assert open_cases([review], BEFORE_DUE) == []


def test_confirming_a_negative_verdict_opens_the_case(org):
    review = make_review(
        org.shop,
        org.mei,
        rating=5,
        sentiment="negative",
        service_polarity="criticism",
        needs_confirmation=True,
    )
    confirm_classification(org.lead, review)
    assert case_of(review) is not None


def test_correcting_a_review_to_criticism_opens_the_case(org):
    review = make_review(org.shop, org.mei, rating=5, text="客服态度不好")
    correct_classification(
        org.lead,
        review,
        sentiment="negative",
        service_polarity="criticism",
        evidence="态度不好",
        reason="看原文",
    )
    assert case_of(review) is not None


def test_the_case_falls_due_three_days_later_at_the_same_shop_time_across_midnight(org):
    review = make_review(org.shop, org.mei, rating=2, created_at=LATE_EVENING)
    (case,) = open_cases([review], BEFORE_DUE)
    assert case.due_at.isoformat() == "2026-11-04T23:30:00+08:00"
    assert case.due_at == datetime(2026, 11, 4, 15, 30, tzinfo=UTC)


def test_the_due_time_follows_the_shops_own_zone(org):
    shop = make_shop(timezone="America/New_York")
    review = make_review(shop, org.mei, rating=2, created_at=datetime(2026, 11, 1, 3, 30, tzinfo=UTC))
    (case,) = open_cases([review], BEFORE_DUE)
    # 23:30 on 31 October in New York (EDT); three days on the clocks have gone back (EST)
    assert case.due_at.isoformat() == "2026-11-03T23:30:00-05:00"


def test_a_review_arriving_after_its_three_days_opens_an_expired_case(org):
    review = make_review(org.shop, org.mei, rating=1, created_at=LATE_EVENING)
    (case,) = open_cases([review], LATE_EVENING + timedelta(days=4))
    assert case.status == "expired"


def test_opening_twice_opens_one_case(org):
    review = bad(org, org.mei)
    open_cases([review], BEFORE_DUE)
    open_cases([review], BEFORE_DUE)
    assert len(cases()) == 1


def test_closing_a_case_needs_a_written_result(org):
    (case,) = open_cases([bad(org, org.mei)], BEFORE_DUE)
    with pytest.raises(FollowUpError):
        move(org.mei, case, "resolved", "  ")
    assert case.status == "open"


def test_a_case_closes_with_its_result_and_is_audited(org):
    from qa_app.audit.services import history

    (case,) = open_cases([bad(org, org.mei)], BEFORE_DUE)
    move(org.mei, case, "contacted")
    move(org.mei, case, "revised", "顾客已追评改为好评")
    assert (case.status, case.result) == ("revised", "顾客已追评改为好评") and case.closed_at is not None
    assert [entry.action for entry in history("FollowUpCase", case.id)].count("follow_up.status") == 2


def test_a_closed_case_cannot_move_again(org):
    (case,) = open_cases([bad(org, org.mei)], BEFORE_DUE)
    move(org.mei, case, "unresolvable", "顾客不回复")
    with pytest.raises(FollowUpError):
        move(org.mei, case, "contacted")


def test_an_agent_may_not_move_another_agents_case(org):
    (case,) = open_cases([bad(org, org.mei)], BEFORE_DUE)
    with pytest.raises(FollowUpError):
        move(org.xue, case, "contacted")


def test_an_agent_sees_only_their_own_cases(org):
    open_cases([bad(org, org.mei), bad(org, org.xue)], BEFORE_DUE)
    seen = db.session.scalars(followup.visible_cases(org.mei)).all()
    assert [case.agent_id for case in seen] == [org.mei.id]


def test_a_lead_sees_only_their_teams_cases(org):
    open_cases([bad(org, org.mei), bad(org, org.xue)], BEFORE_DUE)
    seen = db.session.scalars(followup.visible_cases(org.lead)).all()
    assert [case.agent_id for case in seen] == [org.mei.id]


def test_the_queue_puts_overdue_cases_first(org):
    later = bad(org, org.mei, created_at=datetime(2026, 11, 3, tzinfo=UTC))
    earlier = bad(org, org.mei, created_at=datetime(2026, 11, 1, tzinfo=UTC))
    open_cases([later, earlier], BEFORE_DUE)
    now = datetime(2026, 11, 5, tzinfo=UTC)  # the earlier one is overdue
    queue = db.session.scalars(followup.queue(org.lead, now)).all()
    assert [case.review_id for case in queue] == [earlier.id, later.id]


def test_re_attributing_a_review_hands_its_open_case_to_the_new_agent(org):
    from qa_app.reviews.corrections import attribute_manually

    review = bad(org, None)
    open_cases([review], BEFORE_DUE)
    attribute_manually(org.lead, review, org.mei, reason="订单聊天是小美")
    assert case_of(review).agent_id == org.mei.id


def test_reminders_go_out_once_for_cases_falling_due_soon(org):
    open_cases([bad(org, org.mei, created_at=LATE_EVENING)], BEFORE_DUE)
    soon = LATE_EVENING + timedelta(days=2, hours=12)
    due = followup.due_for_reminder(soon, timedelta(hours=24))
    followup.mark_reminded(due, soon)
    assert len(due) == 1 and followup.due_for_reminder(soon, timedelta(hours=24)) == []


def test_on_time_share_counts_settled_and_overdue_cases_but_never_expired_ones(org):
    """One resolved in time, one left open past its due time, one expired: 1 of 2."""
    settled, missed, expired = bad(org, org.mei), bad(org, org.mei), bad(org, org.mei)
    open_cases([settled, missed], BEFORE_DUE)
    open_cases([expired], datetime(2026, 12, 1, tzinfo=UTC))
    move(org.mei, case_of(settled), "resolved", "已补发", now=BEFORE_DUE)
    november = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    share, counted = followup.on_time_share([org.mei.id], *november, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert (share, counted) == (0.5, 2)


def test_import_opens_cases_and_re_import_opens_none(runner, org, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        "a,,tmall-flagship,2099-01-01 10:00:00,1,,小美,物流太慢了",
        "b,,tmall-flagship,2099-01-01 10:00:00,5,,小美,客服很耐心",
    )
    assert runner.invoke(args=["reviews", "import", path]).exit_code == 0
    assert runner.invoke(args=["reviews", "import", path]).exit_code == 0
    assert [(case.review.external_id, case.status) for case in cases()] == [("a", "open")]


def test_a_late_import_opens_an_expired_case(runner, org, tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,tmall-flagship,2020-01-01 10:00:00,1,,小美,物流太慢了")
    runner.invoke(args=["reviews", "import", path])
    assert [case.status for case in cases()] == ["expired"]


def test_export_carries_the_case_status_and_due_time_in_the_shop_zone(runner, org):
    review = bad(org, org.mei, created_at=LATE_EVENING)
    open_cases([review], datetime(2026, 12, 1, tzinfo=UTC))
    make_review(org.shop, org.mei)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["reviews", "export"]).output)))
    assert [(row["follow_up_status"], row["follow_up_due"]) for row in rows] == [
        ("", ""),  # 1 November 02:00 UTC, a good review: no case
        ("expired", "2026-11-04T23:30:00+08:00"),
    ]


def test_the_reminder_command_names_each_case_once(runner, org):
    soon = datetime.now(UTC) - timedelta(days=2, hours=12)  # due in 12 hours
    review = bad(org, org.mei, created_at=soon)
    open_cases([review])
    first = runner.invoke(args=["reviews", "follow-up-reminders"]).output
    second = runner.invoke(args=["reviews", "follow-up-reminders"]).output
    assert first.split("\t")[:3] == [org.mei.username, org.shop.slug, review.external_id] and second == ""

"""Dispute decisions: the score is edited on the decision page, "changed" needs a change, the
agent is told old -> new total, and a score keeps its dispute history (one dispute per score)."""

import re
from datetime import timedelta

import pytest
from flask_babel import gettext

from qa_app.dbtypes import utcnow
from qa_app.extensions import db as _db
from qa_app.qa import disputes

from .factories import answers_for, make_chat, submitted_score

NOTHING_CHANGED = 'Nothing was changed: edit at least one criterion to record "changed", or choose "upheld".'
CRITERIA_CHANGED = (
    'You changed criteria: record the decision as "changed", or put the criteria back to uphold the score.'
)
FINAL = "This score was disputed already and the decision is final."
FULL = {"greeting": 1, "answer": 5, "offers": 4, "honest": 1}


@pytest.fixture
def score(db, rubric, team_setup):
    return submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])


@pytest.fixture
def dispute(score, team_setup):
    return disputes.raise_dispute(team_setup["agent"], score, "The greeting was there.")


def test_changed_decision_saves_the_edited_criteria(db, score, dispute, team_setup):
    disputes.resolve(
        team_setup["lead"],
        dispute,
        "changed",
        "Greeting missed.",
        answers=answers_for(score, FULL | {"greeting": 0}),
    )
    assert score.item_for(score.items[0].criterion_id).value == 0
    assert (dispute.status, dispute.total_before, dispute.total_after) == ("changed", 100.0, 80.0)


def test_changed_decision_tells_the_agent_the_old_and_new_total(db, score, dispute, team_setup):
    disputes.resolve(
        team_setup["lead"],
        dispute,
        "changed",
        "Greeting missed.",
        answers=answers_for(score, FULL | {"greeting": 0}),
    )
    [note] = disputes.recent_notifications(team_setup["agent"])
    assert disputes.text_of(note) == gettext(
        "Your dispute of score #%(score)s was reviewed: the score was changed from %(old)s to %(new)s.",
        score=score.id,
        old="100.0",
        new="80.0",
    )


def test_changed_without_any_change_is_refused_and_the_dispute_stays_open(db, score, dispute, team_setup):
    with pytest.raises(disputes.DisputeError, match=re.escape(gettext(NOTHING_CHANGED))):
        disputes.resolve(
            team_setup["lead"], dispute, "changed", "Corrected.", answers=answers_for(score, FULL)
        )
    _db.session.refresh(dispute)
    assert dispute.status == "open" and disputes.recent_notifications(team_setup["agent"]) == []


def test_upheld_with_edited_criteria_is_refused_and_nothing_is_saved(db, score, dispute, team_setup):
    with pytest.raises(disputes.DisputeError, match=re.escape(gettext(CRITERIA_CHANGED))):
        disputes.resolve(
            team_setup["lead"], dispute, "upheld", "Stands.", answers=answers_for(score, FULL | {"answer": 3})
        )
    _db.session.refresh(score)
    assert score.total == 100.0 and dispute.status == "open"


def test_a_decided_score_cannot_be_disputed_again(db, score, dispute, team_setup):
    disputes.resolve(team_setup["lead"], dispute, "upheld", "The score stands.")
    assert not disputes.can_dispute(team_setup["agent"], score)
    with pytest.raises(disputes.DisputeError, match=re.escape(gettext(FINAL))):
        disputes.raise_dispute(team_setup["agent"], score, "Again, please.")


def test_window_closes_the_configured_days_after_submission(db, score):
    assert disputes.window_closes_at(score) == score.submitted_at + timedelta(days=7)


# --- pages -------------------------------------------------------------------------------------------


def test_score_page_lists_the_dispute_and_its_decision(client, auth, db, score, dispute, team_setup):
    disputes.resolve(team_setup["lead"], dispute, "upheld", "The closing was missing.")
    auth.login_user(team_setup["agent"])
    page = client.get(f"/qa/scores/{score.id}").get_data(as_text=True)
    assert "data-dispute-history" in page and "The closing was missing." in page
    assert "The greeting was there." in page and "Dispute this score" not in page


def test_score_page_says_when_the_dispute_window_closed(client, auth, db, score, team_setup):
    score.submitted_at = utcnow() - timedelta(days=30)
    _db.session.commit()
    auth.login_user(team_setup["agent"])
    page = client.get(f"/qa/scores/{score.id}").get_data(as_text=True)
    assert "can no longer be disputed: the dispute window (7 days after submission) closed on" in page


def test_dispute_page_shows_the_transcript(client, auth, db, score, dispute, team_setup):
    auth.login_user(team_setup["lead"])
    page = client.get(f"/qa/disputes/{dispute.id}").get_data(as_text=True)
    assert "qa-transcript" in page and "您好，有M码吗？" in page


def test_lead_changes_a_criterion_on_the_decision_page(client, auth, db, score, dispute, team_setup):
    auth.login_user(team_setup["lead"])
    form = {f"c-{i.criterion_id}-value": f"{i.value:g}" for i in score.items}
    form[f"c-{score.items[0].criterion_id}-value"] = "0"
    response = client.post(
        f"/qa/disputes/{dispute.id}",
        data=form | {"version": score.version_id, "outcome": "changed", "note": "Greeting missed."},
    )
    assert response.status_code == 302
    _db.session.refresh(dispute)
    assert (dispute.status, dispute.total_after) == ("changed", 80.0)


def test_decision_page_refuses_changed_without_a_change_with_a_message(
    client, auth, db, score, dispute, team_setup
):
    auth.login_user(team_setup["lead"])
    form = {f"c-{i.criterion_id}-value": f"{i.value:g}" for i in score.items}
    response = client.post(
        f"/qa/disputes/{dispute.id}",
        data=form | {"version": score.version_id, "outcome": "changed", "note": "Corrected."},
    )
    assert response.status_code == 200 and "Nothing was changed" in response.get_data(as_text=True)


def test_agent_reads_points_notes_and_guidance_of_a_score(client, auth, db, score, team_setup):
    item = score.items[1]
    item.comment, item.criterion.guidance_en = "Good answer.", "Answer every question asked."
    _db.session.commit()
    auth.login_user(team_setup["agent"])
    page = client.get(f"/qa/scores/{score.id}").get_data(as_text=True)
    assert "Grader's note: Good answer." in page and "Answer every question asked." in page
    assert "data-criterion-value" in page


def test_dispute_form_of_a_decided_score_says_the_decision_is_final(
    client, auth, db, score, dispute, team_setup
):
    disputes.resolve(team_setup["lead"], dispute, "upheld", "The score stands.")
    auth.login_user(team_setup["agent"])
    page = client.get(f"/qa/scores/{score.id}/dispute").get_data(as_text=True)
    assert "the decision is final, so it cannot be disputed again" in page and 'id="reason"' not in page

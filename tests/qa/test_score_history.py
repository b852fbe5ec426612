"""The score page's change history: labelled, localised changes, never raw audit keys."""

from datetime import UTC, datetime

import pytest

from qa_app.audit.models import AuditEntry
from qa_app.qa import score_history, scores

from .factories import answers_for, make_chat, submitted_score

CHANGED = {"greeting": 0, "answer": 5, "offers": 4, "honest": 1}


def _rows(app, score, language="en"):
    with app.test_request_context(headers={"Accept-Language": language}):
        return score_history.score_history(score)


@pytest.fixture
def changed_score(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = submitted_score(make_chat(team_setup["agent"]), rubric, qa)
    scores.save(
        score, qa, expected_version=score.version_id, reason="漏了问候", answers=answers_for(score, CHANGED)
    )
    return score


def test_a_change_reads_as_words_not_as_its_audit_key(app, changed_score):
    rows = _rows(app, changed_score)
    assert [r.what for r in rows] == ["Score submitted", "Score changed"]


def test_a_change_lists_the_criterion_by_title_from_before_to_after(app, changed_score):
    changes = _rows(app, changed_score)[-1].changes
    assert score_history.Change("Greeting", "1", "0") in changes


def test_a_change_shows_the_total_from_before_to_after(app, changed_score):
    changes = _rows(app, changed_score)[-1].changes
    assert score_history.Change("Total", "100.0", "80.0") in changes


def test_a_first_submission_shows_only_the_resulting_total_and_critical_flag(app, changed_score):
    first = _rows(app, changed_score)[0]
    assert [c.field for c in first.changes] == ["Total", "Critical criterion failed"]


def test_the_time_is_in_the_shops_zone_to_the_minute(app):
    entry = AuditEntry(
        at=datetime(2026, 11, 2, 4, 5, 30, 123456, tzinfo=UTC), action="score.changed", before={}, after={}
    )
    with app.test_request_context():
        assert score_history._row(entry, {}).at == "2026-11-02 12:05"


def test_the_history_reads_in_chinese_for_a_chinese_user(app, changed_score):
    row = _rows(app, changed_score, "zh-CN")[-1]
    assert "score.changed" not in row.what and any(c.field == "问候" for c in row.changes)


def test_the_score_page_shows_no_raw_audit_keys(client, auth, changed_score, team_setup):
    auth.login_user(team_setup["lead"])
    page = client.get(f"/qa/scores/{changed_score.id}").get_data(as_text=True)
    assert "score.changed" not in page and "score.submitted" not in page and "漏了问候" in page


def test_an_unchanged_field_is_not_listed(app, changed_score):
    fields = [c.field for c in _rows(app, changed_score)[-1].changes]
    assert "Answer" not in fields and "Status" not in fields


def test_an_entry_without_an_actor_reads_as_a_dash(app):
    entry = AuditEntry(at=datetime(2026, 11, 2, tzinfo=UTC), action="score.changed", before={}, after={})
    with app.test_request_context():
        assert score_history._row(entry, {}).who == "—"

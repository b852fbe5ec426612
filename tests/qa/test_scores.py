"""Scoring: pre-fill from checks, drafts, submission, audited changes, optimistic locking, visibility."""

import pytest

from qa_app.audit.services import history
from qa_app.extensions import db as _db
from qa_app.qa import access, feeds, queue, scores
from qa_app.qa.models import Score

from ..factories import make_user
from .factories import answers_for, make_chat, make_sample, submitted_score


def _item(score, key):
    return next(i for i in score.items if i.criterion.key == key)


def test_passed_check_prefills_the_best_value_and_marks_it(db, rubric, team_setup):
    chat = make_chat(team_setup["agent"], checks={"greeting": "pass"})
    score = scores.start_for_sample(make_sample(chat, rubric, team_setup["qa"]), team_setup["qa"])
    item = _item(score, "greeting")
    assert (item.value, item.prefilled_from_check) == (1, "greeting")


def test_failed_check_prefills_the_worst_value(db, rubric, team_setup):
    chat = make_chat(team_setup["agent"], checks={"greeting": "fail"})
    score = scores.start_for_sample(make_sample(chat, rubric, team_setup["qa"]), team_setup["qa"])
    assert _item(score, "greeting").value == 0


def test_not_measurable_check_is_left_to_the_grader(db, rubric, team_setup):
    chat = make_chat(team_setup["agent"], checks={"greeting": "not_measurable"})
    score = scores.start_for_sample(make_sample(chat, rubric, team_setup["qa"]), team_setup["qa"])
    item = _item(score, "greeting")
    assert item.value is None and item.prefilled_from_check is None


def test_draft_can_be_saved_incomplete(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    scores.save(score, qa, expected_version=score.version_id, answers=answers_for(score, {"answer": 3}))
    assert score.status == "draft" and score.total == 50.0


def test_submission_requires_every_criterion_answered_or_na(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    with pytest.raises(scores.ScoreError):
        scores.save(
            score,
            qa,
            expected_version=score.version_id,
            answers=answers_for(score, {"answer": 3}),
            submit=True,
        )


def test_submitted_score_applies_the_formula(db, rubric, team_setup):
    score = submitted_score(
        make_chat(team_setup["agent"]),
        rubric,
        team_setup["qa"],
        {"greeting": 1, "answer": 3, "offers": "na", "honest": 1},
    )
    # (2·1 + 4·0.5 + 2·1) / 8
    assert score.status == "submitted" and score.total == 75.0


def test_critical_failure_in_a_review_zeroes_it(db, rubric, team_setup):
    score = submitted_score(
        make_chat(team_setup["agent"]),
        rubric,
        team_setup["qa"],
        {"greeting": 1, "answer": 5, "offers": 4, "honest": 0},
    )
    assert score.total == 0 and score.critical_failed


def test_na_is_refused_where_the_rubric_does_not_allow_it(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    with pytest.raises(scores.ScoreError):
        scores.save(
            score, qa, expected_version=score.version_id, answers=answers_for(score, {"answer": "na"})
        )


def test_submission_is_audited(db, rubric, team_setup):
    score = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    assert [e.action for e in history("Score", score.id)] == ["score.submitted"]


def test_change_after_submission_needs_a_reason(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = submitted_score(make_chat(team_setup["agent"]), rubric, qa)
    with pytest.raises(scores.ScoreError):
        scores.save(
            score,
            qa,
            expected_version=score.version_id,
            answers=answers_for(score, {"greeting": 0, "answer": 5, "offers": 4, "honest": 1}),
        )


def test_change_after_submission_is_audited_with_before_and_after(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = submitted_score(make_chat(team_setup["agent"]), rubric, qa)
    scores.save(
        score,
        qa,
        expected_version=score.version_id,
        reason="Greeting was missing",
        answers=answers_for(score, {"greeting": 0, "answer": 5, "offers": 4, "honest": 1}),
    )
    entry = history("Score", score.id)[-1]
    assert entry.action == "score.changed" and entry.reason == "Greeting was missing"
    assert (entry.before["total"], entry.after["total"]) == (100.0, 80.0)
    assert entry.after["values"]["greeting"] == 0


def test_stale_save_is_refused(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    loaded_version = score.version_id
    scores.save(score, qa, expected_version=loaded_version, answers=answers_for(score, {"answer": 3}))
    with pytest.raises(scores.StaleScore):
        scores.save(score, qa, expected_version=loaded_version, answers=answers_for(score, {"answer": 5}))


def test_a_row_changed_behind_the_session_is_detected_as_stale(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    _db.session.commit()  # the request that opened the score ends
    opened_version = score.version_id
    _db.session.execute(
        _db.update(Score)
        .where(Score.id == score.id)
        .values(version_id=Score.version_id + 1)
        .execution_options(synchronize_session=False)
    )
    _db.session.commit()  # another grader's save, committed behind this session's back
    with pytest.raises(scores.StaleScore):
        scores.save(score, qa, expected_version=opened_version, answers=answers_for(score, {"answer": 2}))


def test_nobody_scores_their_own_chat(db, rubric):
    both = make_user(roles=("qa", "agent"))
    with pytest.raises(scores.ScoreError):
        scores.start_for_sample(make_sample(make_chat(both), rubric, both), both)


def test_submitted_score_is_visible_to_agent_and_lead_but_not_to_other_agents(db, rubric, team_setup):
    score = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    assert access.can_view(team_setup["agent"], score)
    assert access.can_view(team_setup["lead"], score)
    assert not access.can_view(team_setup["other"], score)
    assert not access.can_view(make_user(roles=("lead",)), score)


def test_draft_is_hidden_from_the_agent(db, rubric, team_setup):
    qa = team_setup["qa"]
    score = scores.start_for_sample(make_sample(make_chat(team_setup["agent"]), rubric, qa), qa)
    assert not access.can_view(team_setup["agent"], score)


def test_agent_can_never_edit_their_score(db, rubric, team_setup):
    score = submitted_score(make_chat(team_setup["agent"]), rubric, team_setup["qa"])
    assert not access.can_edit(team_setup["agent"], score)
    assert access.can_edit(team_setup["lead"], score)


def test_public_api_returns_submitted_scores_with_criterion_results(db, rubric, team_setup):
    submitted_score(
        make_chat(team_setup["agent"]),
        rubric,
        team_setup["qa"],
        {"greeting": 1, "answer": 3, "offers": "na", "honest": 1},
    )
    [result] = feeds.submitted_scores(agent_ids=[team_setup["agent"].id])
    assert result.total == 75.0 and result.rubric_slug == "test"
    answer = next(c for c in result.criteria if c.key == "answer")
    offers = next(c for c in result.criteria if c.key == "offers")
    assert (answer.fraction, offers.na, offers.fraction) == (0.5, True, None)
    assert feeds.agent_average(team_setup["agent"].id) == (75.0, 1)


def test_queue_lists_open_assignments_only(db, rubric, team_setup):
    qa = team_setup["qa"]
    open_sample = make_sample(make_chat(team_setup["agent"]), rubric, qa)
    submitted_score(make_chat(team_setup["agent"]), rubric, qa)
    assert list(_db.session.scalars(queue.queue_query(qa))) == [open_sample]
    assert queue.queue_counts(qa) == {"new": 1, "draft": 0, "submitted": 1}


def test_queue_page_counts_what_the_state_filter_shows(db, rubric, team_setup):
    qa = team_setup["qa"]
    make_sample(make_chat(team_setup["agent"]), rubric, qa)
    drafted = make_sample(make_chat(team_setup["agent"]), rubric, qa)
    scores.start_for_sample(drafted, qa)
    submitted_score(make_chat(team_setup["agent"]), rubric, qa)
    counts = queue.queue_counts(qa)
    pages = {
        state: queue.queue_page(qa, 1, 25, counts=counts, state=state) for state in (None, "new", "draft")
    }
    assert {state: (page.total, len(page.items)) for state, page in pages.items()} == {
        None: (2, 2),
        "new": (1, 1),
        "draft": (1, 1),
    }
    assert pages["draft"].items == [drafted]

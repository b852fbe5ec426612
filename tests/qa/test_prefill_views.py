"""The scoring workspace shows a suggested must-pass failure and asks the grader to confirm it."""

from qa_app.qa import scores

from ..factories import make_user
from .factories import make_chat, make_sample


def _pending_draft(qa, rubric):
    chat = make_chat(make_user(), checks={"forbidden_phrases": ("fail", 1)})
    return scores.start_for_sample(make_sample(chat, rubric, qa), qa)


def test_workspace_shows_the_suggestion_and_refuses_submitting_it_unconfirmed(
    client, login_as, prefill_rubric
):
    qa = login_as("qa")
    score = _pending_draft(qa, prefill_rubric)
    page = client.get(f"/qa/scores/{score.id}").get_data(as_text=True)
    assert "suggested, confirm" in page and "does not count until you confirm it" in page
    form = {"version": score.version_id, "action": "submit"}
    for item in score.items:
        if item.criterion.key != "polite":
            form[f"c-{item.criterion_id}-value"] = "na" if item.criterion.na_allowed else "3"
    response = client.post(f"/qa/scores/{score.id}", data=form).get_data(as_text=True)
    assert "Confirm or change the suggested must-pass failure" in response

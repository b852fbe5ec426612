"""Classifications the classifier is not sure of wait for a lead or QA: they count nowhere and
the agent does not see them until confirmed (one click) or corrected."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from qa_app.audit.services import history
from qa_app.extensions import db
from qa_app.reviews import classification, services
from qa_app.reviews.classification import classify_review
from qa_app.reviews.corrections import (
    CorrectionError,
    confirm_classification,
    correct_classification,
    training_csv,
)

from .factories import make_review

START, END = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Verdict:
    sentiment: str = "positive"
    service_polarity: str = "praise"
    evidence: str = "客服很耐心"
    positive_probability: float = 0.7
    confidence: float = 0.9


@pytest.fixture
def verdict(monkeypatch):
    """Makes the classifier answer with the given confidence, against a threshold of 0.6."""
    monkeypatch.setattr(classification, "confirm_below", lambda: 0.6)

    def answer(confidence: float):
        monkeypatch.setattr(classification, "classify_text", lambda text: Verdict(confidence=confidence))

    return answer


def to_confirm(org, agent=None, **fields):
    return make_review(org.shop, agent or org.mei, needs_confirmation=True, confidence=0.4, **fields)


def test_a_verdict_below_the_threshold_is_marked_to_confirm(org, verdict):
    verdict(0.45)
    review = make_review(org.shop, org.mei)
    classify_review(review)
    assert review.needs_confirmation and review.confidence == 0.45


def test_a_sure_verdict_needs_no_confirmation(org, verdict):
    verdict(0.9)
    review = make_review(org.shop, org.mei, needs_confirmation=True)
    classify_review(review)
    assert not review.needs_confirmation and review.confidence == 0.9


def test_the_threshold_is_the_classifiers_constant():
    from qa_app.reviews.classifier import CONFIRM_BELOW

    assert classification.confirm_below() == CONFIRM_BELOW


def test_a_review_to_confirm_counts_in_no_summary(org):
    make_review(org.shop, org.mei)
    to_confirm(org)
    summary = services.summary(org.mei.id, START, END)
    assert (summary.total, summary.praise) == (1, 1)
    assert len(db.session.scalars(services.reviews_of_agent(org.mei.id, START, END)).all()) == 1


def test_the_agent_does_not_see_a_review_to_confirm(client, auth, org):
    review = to_confirm(org, text="客服小美很耐心，待确认")
    auth.login_user(org.mei)
    assert "待确认" not in client.get("/reviews/mine").get_data(as_text=True)
    assert client.get(f"/reviews/{review.id}").status_code == 404


def test_confirming_makes_the_review_count_and_is_audited(org):
    review = to_confirm(org)
    confirm_classification(org.lead, review)
    db.session.commit()
    assert not review.needs_confirmation and review.confirmed_by_id == org.lead.id
    assert services.summary(org.mei.id, START, END).total == 1
    assert history("Review", review.id)[-1].action == "review.confirm"


def test_a_correction_confirms_too(org):
    review = to_confirm(org)
    correct_classification(
        org.lead, review, sentiment="negative", service_polarity="criticism", evidence="", reason="sarcasm"
    )
    assert not review.needs_confirmation and review.confirmed_by_id == org.lead.id


def test_a_lead_cannot_confirm_another_teams_review(org):
    review = to_confirm(org, agent=org.xue)
    with pytest.raises(CorrectionError):
        confirm_classification(org.lead, review)
    assert review.needs_confirmation


def test_a_sure_verdict_cannot_be_confirmed_again(org):
    review = make_review(org.shop, org.mei)
    with pytest.raises(CorrectionError):
        confirm_classification(org.lead, review)


def test_reclassification_leaves_a_confirmed_verdict_alone(org, verdict):
    review = to_confirm(org)
    confirm_classification(org.lead, review)
    verdict(0.1)
    classify_review(review)
    assert not review.needs_confirmation and review.confidence == 0.4


def test_a_confirmation_is_a_labelled_training_row(org):
    review = to_confirm(org)
    confirm_classification(org.lead, review)
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(training_csv())))
    assert [(r["id"], r["service_polarity"], r["corrected_fields"], r["corrected_by"]) for r in rows] == [
        (review.external_id, "praise", "", org.lead.username)
    ]


def test_the_to_confirm_filter_lists_and_counts_only_those(client, auth, org):
    make_review(org.shop, org.mei, text="客服小美很耐心，没问题")
    to_confirm(org, text="客服小美还行吧，待确认")
    auth.login_user(org.lead)
    page = client.get("/reviews?to_confirm=1").get_data(as_text=True)
    assert "待确认" in page and "没问题" not in page
    assert "To confirm (1)" in page


def test_a_lead_confirms_with_one_click(client, auth, org):
    review = to_confirm(org)
    auth.login_user(org.lead)
    response = client.post(f"/reviews/{review.id}/confirm", data={"next": "to_confirm"})
    assert response.status_code == 302 and "to_confirm=1" in response.headers["Location"]
    db.session.refresh(review)
    assert not review.needs_confirmation


def test_an_agent_cannot_confirm(client, auth, org):
    review = to_confirm(org)
    auth.login_user(org.mei)
    assert client.post(f"/reviews/{review.id}/confirm").status_code == 403
    db.session.refresh(review)
    assert review.needs_confirmation


def test_the_review_page_says_why_it_waits(client, auth, org):
    review = to_confirm(org)
    auth.login_user(org.lead)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "counts in no evaluation" in page and "Confirm the classification" in page


def test_the_leads_home_panel_counts_what_waits_for_confirmation(client, auth, org):
    to_confirm(org)
    to_confirm(org, agent=org.xue)  # another lead's team
    org.lead.locale = "en"
    db.session.commit()
    auth.login_user(org.lead)
    assert "1 classification waits for your confirmation" in client.get("/").get_data(as_text=True)

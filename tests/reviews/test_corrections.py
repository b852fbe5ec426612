import pytest

from qa_app.audit.services import history
from qa_app.reviews.corrections import (
    CorrectionError,
    attribute_manually,
    correct_classification,
    training_csv,
)
from qa_app.reviews.explanations import render

from ..factories import make_user
from .factories import make_review


def test_correction_changes_the_classification_and_keeps_who_and_why(org):
    review = make_review(org.shop, org.mei)
    correct_classification(
        org.lead,
        review,
        sentiment="negative",
        service_polarity="criticism",
        evidence="客服很耐心",
        reason="sarcasm",
    )
    fields = {c.field: (c.old, c.new, c.reason, c.by_id) for c in review.corrections}
    assert review.corrected and review.service_polarity == "criticism"
    assert fields["service_polarity"] == ("praise", "criticism", "sarcasm", org.lead.id)


def test_correction_is_audited(org):
    review = make_review(org.shop, org.mei)
    correct_classification(
        org.lead, review, sentiment="negative", service_polarity="criticism", evidence="", reason="sarcasm"
    )
    entry = history("Review", review.id)[-1]
    assert (entry.action, entry.actor_id, entry.reason) == ("review.correct", org.lead.id, "sarcasm")


def test_correction_needs_a_reason(org):
    review = make_review(org.shop, org.mei)
    with pytest.raises(CorrectionError):
        correct_classification(
            org.lead, review, sentiment="negative", service_polarity="criticism", evidence="", reason="  "
        )


def test_evidence_must_come_from_the_text(org):
    review = make_review(org.shop, org.mei)
    with pytest.raises(CorrectionError):
        correct_classification(
            org.lead,
            review,
            sentiment="negative",
            service_polarity="criticism",
            evidence="not there",
            reason="x",
        )


def test_lead_cannot_correct_another_teams_review(org):
    review = make_review(org.shop, org.xue)
    with pytest.raises(CorrectionError):
        correct_classification(
            org.lead, review, sentiment="negative", service_polarity="criticism", evidence="", reason="x"
        )


def test_manual_attribution_records_route_rule_and_audit(org):
    review = make_review(org.shop, None)
    attribute_manually(org.lead, review, org.mei, reason="she served this customer by phone")
    assert (review.agent_id, review.attribution_route) == (org.mei.id, "manual")
    assert "she served this customer by phone" in render(review.attribution_rule)
    assert history("Review", review.id)[-1].action == "review.attribute"
    assert review.corrections[-1].field == "agent"


def test_lead_can_only_attribute_to_their_own_agents(org):
    review = make_review(org.shop, None)
    with pytest.raises(CorrectionError):
        attribute_manually(org.lead, review, org.xue, reason="x")


def test_qa_can_attribute_to_any_agent(org):
    review = make_review(org.shop, None)
    attribute_manually(make_user(roles=("qa",)), review, org.xue, reason="x")
    assert review.agent_id == org.xue.id


def test_corrected_review_is_not_reclassified(org, classifier):
    from qa_app.reviews.classification import classify_review

    review = make_review(org.shop, org.mei, text="客服态度不好")
    correct_classification(
        org.lead, review, sentiment="neutral", service_polarity="mixed", evidence="客服态度不好", reason="x"
    )
    classify_review(review)
    assert review.service_polarity == "mixed"


def test_training_csv_quotes_formula_cells_for_spreadsheets(org):
    review = make_review(org.shop, org.mei, text="=HYPERLINK(1) 客服很耐心")
    correct_classification(
        org.lead, review, sentiment="negative", service_polarity="criticism", evidence="", reason="x"
    )
    assert "'=HYPERLINK(1)" in training_csv()

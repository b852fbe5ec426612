"""Review fixtures. Classification comes from the real classifier when it is installed; until
then a keyword stand-in keeps the application-layer tests independent of the model."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qa_app.reviews import classification

from ..factories import make_shop, make_team, make_user


@dataclass(frozen=True)
class _StandIn:
    sentiment: str
    service_polarity: str
    evidence: str
    positive_probability: float


def _keyword_classify(text: str) -> _StandIn:
    for word in ("太慢", "态度不好", "rude", "slow"):
        if word in text:
            return _StandIn("negative", "criticism", word, 0.1)
    for word in ("耐心", "热情", "helpful", "patient"):
        if word in text:
            return _StandIn("positive", "praise", word, 0.9)
    return _StandIn("neutral", "none", "", 0.5)


def _real_classifier_available() -> bool:
    try:
        from qa_app.reviews.classifier import classify  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True)
def classifier(monkeypatch):
    """The classifier in use: the real one when present, else the keyword stand-in."""
    if _real_classifier_available():
        return classification.classify_text
    monkeypatch.setattr(classification, "classify_text", _keyword_classify)
    return _keyword_classify


@pytest.fixture
def org(db):
    """A shop, two teams with their leads, an agent in each ("小美" and "小雪")."""
    shop = make_shop(slug="tmall-flagship", name="天猫旗舰店")
    lead, other_lead = make_user(roles=("lead",)), make_user(roles=("lead",))
    team, other_team = make_team(lead=lead), make_team(lead=other_lead)
    mei = make_user(team=team, nickname="小美", shop=shop, display_name="林小美")
    xue = make_user(team=other_team, nickname="小雪", shop=shop, display_name="张雪")
    return type(
        "Org",
        (),
        {"shop": shop, "lead": lead, "other_lead": other_lead, "team": team, "mei": mei, "xue": xue},
    )

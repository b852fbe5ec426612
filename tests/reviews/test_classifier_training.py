"""The classifier's training helpers, confidence and service verdict (no HTTP, no database).

Training itself (scikit-learn) runs only where requirements-train.txt is installed; the data
preparation it relies on is pure Python and tested everywhere.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from qa_app.reviews.classifier import CONFIRM_BELOW, classify, datasets
from qa_app.reviews.classifier.model import get_model
from qa_app.reviews.classifier.service import NOT_JUDGED, candidate, verdict
from qa_app.reviews.corrections import TRAINING_COLUMNS


def _service(text, polarity, evidence=(), source="htl"):
    return datasets.ServiceExample(f"{source}_0001", text, polarity, tuple(evidence), True)


def test_clause_overlapping_evidence_takes_review_polarity_and_others_none():
    ex = _service("房间很小，前台态度很差，早餐一般", "criticism", ["前台态度很差"])
    assert datasets.clause_labels(ex, get_model()) == ["none", "criticism", "none"]


def test_mixed_review_gives_each_evidence_clause_its_own_side():
    ex = _service("前台非常热情周到，保洁员态度恶劣", "mixed", ["前台非常热情周到", "保洁员态度恶劣"])
    assert datasets.clause_labels(ex, get_model()) == ["praise", "criticism"]


def test_none_review_labels_every_clause_none_even_with_evidence_text():
    ex = _service("快递小哥态度很好，送得很快", "none", ["快递小哥态度很好"])
    assert datasets.clause_labels(ex, get_model()) == ["none", "none"]


def test_corrections_export_is_read_as_sentiment_and_service_examples(tmp_path):
    path = tmp_path / "corrections.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=TRAINING_COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "id": "7",
                "text": "'-客服很耐心，衣服一般",
                "sentiment": "positive",
                "service_polarity": "mixed",
                "evidence": "客服很耐心；衣服一般",
            }
        )
        writer.writerow({"id": "8", "text": "   ", "sentiment": "negative", "service_polarity": "none"})
    sentiment, service = datasets.read_corrections(path)
    assert sentiment == [datasets.Example("-客服很耐心，衣服一般", 1)]
    assert service == [
        datasets.ServiceExample("corr_7", "-客服很耐心，衣服一般", "mixed", ("客服很耐心", "衣服一般"), True)
    ]


def test_polarity_metrics_macro_f1_averages_the_four_classes():
    m = datasets.polarity_metrics(
        ["praise", "criticism", "none", "mixed"], ["praise", "criticism", "none", "none"]
    )
    assert m["accuracy"] == 0.75
    assert m["macro_f1"] == pytest.approx((1 + 1 + 2 / 3 + 0) / 4)


def test_service_split_is_disjoint_and_keeps_every_row():
    rows = [_service(f"客服第{i}次回复", ("praise", "criticism", "none")[i % 3]) for i in range(60)]
    train, held = datasets.split_service(rows)
    assert not {e.text for e in train} & {e.text for e in held}
    assert len(train) + len(held) == 60
    assert {e.polarity for e in held} == {"praise", "criticism", "none"}


def test_clause_after_a_service_clause_is_a_candidate_and_a_product_clause_alone_is_not():
    assert candidate("超级赞", "客服小美")
    assert not candidate("衣服很好看", "")


def test_verdict_is_mixed_when_praise_and_criticism_clauses_both_pass():
    polarity, judged, confidence = verdict([(0.1, 0.8, 0.1), NOT_JUDGED, (0.2, 0.1, 0.7)], 0.5)
    assert (polarity, judged) == ("mixed", [0, 2])
    assert confidence == pytest.approx(0.8 * 0.7)


def test_verdict_without_judged_clause_is_none_and_sure_when_no_clause_is_close():
    assert verdict([NOT_JUDGED, NOT_JUDGED], 0.5) == ("none", [], 1.0)
    assert verdict([(0.55, 0.45, 0.0)], 0.5)[2] == pytest.approx(0.55)


def test_confidence_is_a_probability_and_lower_for_a_borderline_review():
    sure = classify("太烂了，用两天就坏，再也不买了")
    unsure = classify("还行吧")
    assert 0.0 <= unsure.confidence < sure.confidence <= 1.0
    assert 0.0 < CONFIRM_BELOW < 1.0


# --- training on a small fixture (requires requirements-train.txt) ---------------------------

POSITIVE = [
    "质量很好，非常满意",
    "价格实惠，值得买",
    "很好用，推荐",
    "Great product, love it",
    "Works perfectly, highly recommend",
    "物流快，东西好",
]
NEGATIVE = [
    "太烂了，用两天就坏",
    "质量很差，不推荐",
    "垃圾，退货",
    "Broke after a week, terrible",
    "Awful quality, waste of money",
    "东西很差，失望",
]


def _train_module():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import train_reviews

    return train_reviews


def test_training_on_a_fixture_gives_a_model_that_learns_both_jobs():
    tr = _train_module()
    sets = {
        "fixture": [datasets.Example(t, 1) for t in POSITIVE * 2]
        + [datasets.Example(t, 0) for t in NEGATIVE * 2]
    }
    service = [
        _service(f"东西一般，客服{w}", "praise", [f"客服{w}"]) for w in ("很耐心", "很热情", "回复很快")
    ]
    service += [
        _service(f"东西一般，客服{w}", "criticism", [f"客服{w}"]) for w in ("不理人", "很敷衍", "态度很差")
    ]
    service += [_service(f"东西一般，{w}", "none") for w in ("包装很好", "颜色好看", "尺码合适")]
    data = tr.build(sets, service * 2)
    model = tr.model_from_dict(data)
    assert classify("价格实惠，值得买", model).sentiment == "positive"
    assert classify("质量很差，失望", model).sentiment == "negative"
    assert classify("东西一般，客服很耐心", model).service_polarity == "praise"
    assert classify("东西一般，客服很敷衍", model).service_polarity == "criticism"


def test_training_is_deterministic():
    tr = _train_module()
    sets = {
        "fixture": [datasets.Example(t, 1) for t in POSITIVE * 2]
        + [datasets.Example(t, 0) for t in NEGATIVE * 2]
    }
    service = [
        _service("客服很耐心", "praise", ["客服很耐心"]),
        _service("客服不理人", "criticism", ["客服不理人"]),
    ] * 2
    assert tr.build(sets, service) == tr.build(sets, service)

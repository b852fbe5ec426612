"""Behaviour of qa_app.reviews.classifier (run from the project root: pytest tests/reviews)."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from qa_app.reviews.classifier import Classification, classify, datasets, split_clauses
from qa_app.reviews.classifier.model import ARTEFACT_PATH, get_model, load_model

SERVICE_SET = Path(__file__).resolve().parents[1] / "data" / "service_reviews.csv"

# Measured with the shipped artefact (see docs/reviews-classifier.md); the thresholds sit a
# little below the measured values so that a retrain does not break the build but a real
# regression does. tests/data/service_reviews.csv was written for the old hand rules (0.975
# there); the learned model, trained only on real reviews, scores 0.765 (124/162) on it.
SERVICE_POLARITY_MIN_ACCURACY = 0.73
# In-domain 20 % held-out parts, positive/negative rows, every 4th review; measured on the
# whole 20 % parts with neutral counted wrong: waimai 0.887, hotel 0.882, yelp 0.805 (n=200,
# a slice of 50, hence the wide margin), zh_jd_switch 0.965, zh_fewclue 0.857, zh_cosmetics
# 0.959, zh_camera 0.824, en_clothing 0.928, en_vader 0.769, en_electronics 0.827.
HELDOUT_SLICE_MIN_ACCURACY = {
    "waimai": 0.86,
    "hotel": 0.85,
    "yelp": 0.70,
    "zh_jd_switch": 0.93,
    "zh_fewclue": 0.80,
    "zh_cosmetics": 0.92,
    "zh_camera": 0.78,
    "en_clothing": 0.89,
    "en_vader": 0.72,
    "en_electronics": 0.77,
}


def _service_rows() -> list[dict[str, str]]:
    with open(SERVICE_SET, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- public API ----------------------------------------------------------------------------


def test_classify_returns_frozen_classification_with_known_labels():
    c = classify("衣服质量一般,但客服小美很耐心")
    assert isinstance(c, Classification)
    assert c.sentiment in {"positive", "negative", "neutral"}
    assert c.service_polarity in {"praise", "criticism", "mixed", "none"}
    assert 0.0 <= c.positive_probability <= 1.0
    with pytest.raises(AttributeError):
        c.sentiment = "positive"  # type: ignore[misc]


def test_empty_text_is_classified_without_error():
    c = classify("")
    assert c.service_polarity == "none"
    assert c.evidence == ""


def test_classifier_runs_without_numpy_or_sklearn_loaded():
    code = (
        "import sys; from qa_app.reviews.classifier import classify; classify('客服很好');"
        "print(','.join(x for x in ('numpy', 'sklearn', 'scipy') if x in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_classifier_modules_import_no_flask_or_training_libraries():
    package = Path(__file__).resolve().parents[2] / "qa_app" / "reviews" / "classifier"
    banned = {"flask", "numpy", "sklearn", "scipy"}
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & banned, source.name


# --- artefact --------------------------------------------------------------------------------


def test_artefact_loads_and_is_small():
    assert ARTEFACT_PATH.is_file()
    assert ARTEFACT_PATH.stat().st_size < 8 * 1024 * 1024
    model = load_model(ARTEFACT_PATH)
    assert len(model.weights) > 1000
    lo, hi = model.neutral_band
    assert 0.0 < lo < 0.5 < hi < 1.0


def test_model_fast_path_matches_training_features():
    # Inference scores bare character n-grams; training used features() with "c:" prefixes.
    import math

    from qa_app.reviews.classifier.features import features, normalise

    model = get_model()
    for text in ("客服很耐心，衣服也好看！", "Not helpful at all... 2 stars", ""):
        feats = features(normalise(text), model.config, normalised=True)
        total = sum(model.weights.get(f, 0.0) for f in feats)
        if model.scale == "sqrt" and feats:
            total /= math.sqrt(len(feats))
        assert math.isclose(model.score(text), model.bias + total, abs_tol=1e-9)


def test_model_is_loaded_once_and_cached():
    assert get_model() is get_model()


def test_model_separates_clear_positive_from_clear_negative():
    model = get_model()
    assert model.positive_probability("非常好吃，送餐也很快，下次还点") > 0.7
    assert model.positive_probability("太难吃了，再也不会点了") < 0.3
    assert model.positive_probability("Loved it, the food was amazing.") > 0.6
    assert model.positive_probability("Terrible food, I will never come back.") < 0.4


# --- clause splitting --------------------------------------------------------------------


def test_clause_split_on_chinese_commas():
    assert split_clauses("物流很快，包装完好，客服也很热情") == ["物流很快", "包装完好", "客服也很热情"]


def test_clause_split_on_contrast_word_without_punctuation():
    assert split_clauses("质量一般但客服很耐心") == ["质量一般", "客服很耐心"]


def test_clause_split_drops_leading_conjunction():
    assert split_clauses("衣服质量一般,但客服小美很耐心") == ["衣服质量一般", "客服小美很耐心"]


def test_clause_split_on_english_but_and_sentence_end():
    assert split_clauses("The jacket is great but the seller never replied. Sad!") == [
        "The jacket is great",
        "the seller never replied",
        "Sad",
    ]


def test_clause_split_keeps_decimal_numbers():
    assert split_clauses("Rated 4.5 stars, fast shipping") == ["Rated 4.5 stars", "fast shipping"]


def test_clause_split_keeps_not_only_together():
    assert split_clauses("不但快而且好") == ["不但快而且好"]


# --- service polarity ------------------------------------------------------------------------


def test_product_complaint_with_service_praise_is_praise():
    c = classify("衣服质量一般,但客服小美很耐心")
    assert c.service_polarity == "praise"
    assert c.evidence == "客服小美很耐心"


def test_negated_patience_is_criticism():
    c = classify("客服一点都不耐心，问两句就走了")
    assert c.service_polarity == "criticism"


def test_impatience_word_is_criticism():
    assert classify("客服太不耐烦了").service_polarity == "criticism"


def test_chinese_no_reply_is_criticism():
    c = classify("买的外套有线头，联系客服一直没有回复")
    assert c.service_polarity == "criticism"
    assert c.evidence == "联系客服一直没有回复"


def test_not_quite_satisfied_with_service_is_criticism():
    assert classify("不太满意客服的处理方式").service_polarity == "criticism"


def test_mild_degree_complaint_is_still_criticism():
    assert classify("东西还行，就是客服回复有点慢").service_polarity == "criticism"


def test_no_service_mention_gives_none_and_empty_evidence():
    c = classify("零食很好吃，包装也很用心")
    assert c.service_polarity == "none"
    assert c.evidence == ""


def test_english_no_service_mention_gives_none():
    c = classify("The shoes are comfortable and fit perfectly.")
    assert c.service_polarity == "none"
    assert c.evidence == ""


def test_english_not_helpful_is_criticism():
    c = classify("Support was not helpful at all.")
    assert c.service_polarity == "criticism"
    assert c.evidence == "Support was not helpful at all"


def test_english_very_helpful_is_praise():
    assert classify("Customer service was very helpful and polite.").service_polarity == "praise"


def test_praise_and_criticism_clauses_give_mixed():
    c = classify("客服态度很好，可是回复实在太慢了")
    assert c.service_polarity == "mixed"
    assert "客服态度很好" in c.evidence and "回复实在太慢了" in c.evidence


def test_suggestion_is_not_praise():
    assert classify("希望客服耐心一点").service_polarity == "criticism"


def test_delivery_speed_alone_is_not_service():
    assert classify("送餐很快，味道不错").service_polarity == "none"


def test_star_rating_text_overrides_nothing():
    # A rating written into the text is just text: the judgement comes from the words.
    c = classify("5 stars. The seller never replied to my messages.")
    assert c.service_polarity == "criticism"


# --- measured accuracy ---------------------------------------------------------------------


def test_classifier_reaches_accuracy_on_service_set():
    rows = _service_rows()
    assert len(rows) >= 100
    correct = sum(classify(r["text"]).service_polarity == r["service_polarity"] for r in rows)
    assert correct / len(rows) >= SERVICE_POLARITY_MIN_ACCURACY


def test_service_set_labels_are_valid():
    for r in _service_rows():
        assert r["service_polarity"] in {"praise", "criticism", "mixed", "none"}
        assert r["sentiment"] in {"positive", "negative", "neutral"}
        assert r["text"].strip()


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_heldout_sentiment_accuracy_on_shared_data_slice(name):
    if not datasets.available():
        pytest.skip(f"shared review data not found in {datasets.data_dir()} (set {datasets.DATA_ENV_VAR})")
    _, heldout = datasets.load_split(name)
    # Deterministic slice: every 4th held-out positive/negative review (never used in training).
    sample = [e for e in heldout if e.label in (0, 1)][::4]
    correct = sum((classify(e.text).positive_probability >= 0.5) == (e.label == 1) for e in sample)
    assert correct / len(sample) >= HELDOUT_SLICE_MIN_ACCURACY[name]


def test_split_is_deterministic_and_disjoint():
    examples = [datasets.Example(f"text {i}", i % 2) for i in range(200)]
    train1, held1 = datasets.split("x", examples)
    train2, held2 = datasets.split("x", list(reversed(examples)))
    assert {e.text for e in held1} == {e.text for e in held2}
    assert not {e.text for e in train1} & {e.text for e in held1}
    assert len(held1) == 40


def test_double_negation_of_impatience_is_praise():
    assert classify("衣服没有色差，客服也没有不耐烦，满意").service_polarity == "praise"


def test_english_never_replied_is_criticism():
    c = classify("I emailed support three times and they never replied.")
    assert c.service_polarity == "criticism"


def test_english_product_complaint_with_service_praise_is_praise():
    c = classify("The headphones broke after a week but customer service was very helpful.")
    assert c.service_polarity == "praise"
    assert c.evidence == "customer service was very helpful"


def test_english_praise_and_criticism_give_mixed():
    assert classify("The staff were friendly but the refund took forever.").service_polarity == "mixed"


def test_subjectless_follow_up_clause_inherits_service_topic():
    c = classify("Support was friendly but they could not fix anything.")
    assert c.service_polarity == "mixed"


def test_judgement_after_unjudged_service_clause_forms_evidence():
    c = classify("客服小美，超级赞")
    assert c.service_polarity == "praise"
    assert c.evidence == "客服小美，超级赞"


def test_product_clause_after_service_clause_is_not_inherited():
    c = classify("客服态度很好，质量太差了")
    assert c.service_polarity == "praise"


def test_staff_who_lie_about_the_goods_are_criticised():
    assert classify("客服小雪说是正品，收到发现是翻新机，骗人").service_polarity == "criticism"


def test_staff_who_pass_the_buck_are_criticised():
    assert classify("让我自己找快递，不负责任").service_polarity == "criticism"


def test_thanks_after_a_long_fight_is_praise():
    assert classify("沟通了很久，最后还是给我补发了，辛苦了").service_polarity == "praise"


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [("价格实惠，值得买", "positive"), ("太烂了，用两天就坏", "negative")],
)
def test_clear_short_verdict_is_not_neutral(text, sentiment):
    assert classify(text).sentiment == sentiment


def test_clear_praise_is_confident_enough_not_to_wait():
    from qa_app.reviews.classifier import CONFIRM_BELOW

    c = classify("外套质量很好，客服小婷态度特别好，耐心解答")
    assert c.service_polarity == "praise"
    assert c.confidence >= CONFIRM_BELOW

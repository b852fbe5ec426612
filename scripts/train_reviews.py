#!/usr/bin/env python
"""Train the review classifier and export it as qa_app/reviews/classifier/model.json.gz.

    .venv/bin/pip install -r requirements-train.txt
    .venv/bin/python scripts/train_reviews.py [--data DIR] [--corrections FILE] [--out FILE]

Data: ``--data`` or $REVIEWS_DATA_DIR or <repo root>/../shared/data/reviews (the sets of
qa_app.reviews.classifier.datasets) plus, optionally, confirmed corrections exported by
qa_app/reviews/corrections.py (``--corrections``). No other corpora. Each sentiment set and the
service set are split 80/20 by datasets.split (stratified, SHA-1 keyed, fixed seed); the
shipped model learns from the 80 % parts, the 20 % parts give the in-domain figures printed
at the end. Held-out-source figures come from scripts/eval_reviews.py.

Two models in one artefact (format 2):
- sentiment: NB-SVM (logistic regression over binary character 1-3-grams + English word
  1-2-grams scaled by naive-Bayes log-count ratios, rows scaled by 1/sqrt(n)) with the clipped
  clause-lexicon total as one more input per script; trained on labels 0/1 only.
- service: a softmax over each clause's features (qa_app/reviews/classifier/service.py),
  trained on the clauses of service_polarity_dev.csv labelled from the evidence spans; the
  review threshold is chosen by 3-fold cross-validation inside the training rows.
Same data + same seed -> byte-identical artefact (sorted keys, rounded weights, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from qa_app.reviews.classifier import classify, datasets  # noqa: E402
from qa_app.reviews.classifier.clauses import split_spans  # noqa: E402
from qa_app.reviews.classifier.features import features, is_chinese, normalise  # noqa: E402
from qa_app.reviews.classifier.lexicon import review_score  # noqa: E402
from qa_app.reviews.classifier.lexicon import score as lexicon_score  # noqa: E402
from qa_app.reviews.classifier.model import ARTEFACT_PATH, LinearModel, load_model, model_from_dict  # noqa: E402
from qa_app.reviews.classifier.service import (  # noqa: E402
    CLASSES,
    NOT_JUDGED,
    ServiceModel,
    candidate,
    clause_features,
    verdict,
)

FEATURE_CONFIG = {"char_min": 1, "char_max": 3, "word_max": 2, "neg_scope": 3}
C = 8.0
NB_ALPHA = 1.0
MIN_DF = 2
PRUNE = 0.002  # |exported weight| below this is dropped
DECIMALS = 4
NEUTRAL_BAND = (0.45, 0.55)
LEXICON_CLIP = 4.0
# The largest sets are capped (deterministic order) so that no one set drowns the others
# and training stays a few minutes on one core.
MAX_ROWS_PER_SET = 5000
SERVICE_C = 1.0
SERVICE_CS = (0.03, 0.1, 0.3, 1.0)
SERVICE_CLASS_WEIGHTS = (None, "balanced")
SERVICE_MIN_DF = 2
SERVICE_THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)
RANDOM_STATE = 0


# --- sentiment -------------------------------------------------------------------------------


def cap(name: str, examples: list, limit: int = MAX_ROWS_PER_SET) -> list:
    if len(examples) <= limit:
        return examples
    return sorted(examples, key=lambda e: datasets._key(datasets.SPLIT_SEED, name, e.text))[:limit]


def sentiment_training_rows(
    sets: dict[str, list], corrections: list | None = None
) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 labels of the positive and negative rows (label 2 is not a side)."""
    texts: list[str] = []
    labels: list[int] = []
    for name, examples in sorted(sets.items()):
        for e in cap(name, [e for e in examples if e.label in (0, 1)]):
            texts.append(e.text)
            labels.append(e.label)
    for e in corrections or []:
        if e.label in (0, 1):
            texts.append(e.text)
            labels.append(e.label)
    return texts, np.array(labels)


def _lexicon_columns(texts: list[str]) -> np.ndarray:
    """Clipped lexicon total in the column of the text's script (zh, en)."""
    cols = np.zeros((len(texts), 2))
    for i, t in enumerate(texts):
        value = max(-LEXICON_CLIP, min(LEXICON_CLIP, review_score(t)[0]))
        cols[i, 0 if is_chinese(normalise(t)) else 1] = value
    return cols


def fit_sentiment(texts: list[str], y: np.ndarray) -> dict:
    """The sentiment part of the artefact (bias, weights, blend)."""
    vec = CountVectorizer(analyzer=lambda t: features(t, FEATURE_CONFIG), binary=True, min_df=MIN_DF)
    X = vec.fit_transform(texts).astype(np.float64).tocsr()
    n_feats = np.array([len(features(t, FEATURE_CONFIG)) for t in texts], dtype=np.float64)
    p = NB_ALPHA + np.asarray(X[y == 1].sum(axis=0)).ravel()
    q = NB_ALPHA + np.asarray(X[y == 0].sum(axis=0)).ravel()
    r = np.log((p / p.sum()) / (q / q.sum()))
    Xs = sp.diags(1.0 / np.sqrt(np.maximum(n_feats, 1.0))) @ X.multiply(r).tocsr()
    Xall = sp.hstack([Xs, sp.csr_matrix(_lexicon_columns(texts))]).tocsr()
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=10000, random_state=RANDOM_STATE)
    clf.fit(Xall, y)
    coef = clf.coef_.ravel()
    w = coef[:-2] * r
    weights = {}
    for feat, j in vec.vocabulary_.items():
        v = round(float(w[j]), DECIMALS)
        if abs(v) >= PRUNE:
            weights[feat] = v
    # z already holds the n-gram part; the blend adds the lexicon weight per script.
    blend = {"zh": [1.0, round(float(coef[-2]), 4), 0.0], "en": [1.0, round(float(coef[-1]), 4), 0.0]}
    return {"bias": round(float(clf.intercept_[0]), 6), "weights": weights, "blend": blend}


# --- service ---------------------------------------------------------------------------------


def review_clause_features(text: str, model: LinearModel) -> list:
    """Clause features exactly as classify() builds them; None for a clause that is not a
    candidate (classify() calls it none without scoring)."""
    out = []
    previous = ""
    for start, end in split_spans(text):
        clause = normalise(text[start:end])
        if candidate(clause, previous):
            z = model.score(clause, normalised=True)
            out.append(clause_features(clause, previous, z, *lexicon_score(clause)))
        else:
            out.append(None)
        previous = clause
    return out


def _fit_softmax(feats: list, labels: list[str], c: float = 1.0, class_weight=None) -> dict:
    df: dict[str, int] = {}
    for binary, _ in feats:
        for f in binary:
            df[f] = df.get(f, 0) + 1
    numeric_names = sorted({n for _, num in feats for n in num})
    names = sorted(f for f, k in df.items() if k >= SERVICE_MIN_DF) + numeric_names
    index = {f: i for i, f in enumerate(names)}
    rows, cols, vals = [], [], []
    for i, (binary, num) in enumerate(feats):
        for f in binary:
            j = index.get(f)
            if j is not None:
                rows.append(i), cols.append(j), vals.append(1.0)
        for n, v in num.items():
            rows.append(i), cols.append(index[n]), vals.append(v)
    X = sp.csr_matrix((vals, (rows, cols)), shape=(len(feats), len(names)))
    y = np.array([CLASSES.index(label) for label in labels])
    present = sorted(set(y.tolist()))
    bias = [-20.0, -20.0, -20.0]  # a class absent from the data (tiny sets) is never chosen
    coef = np.zeros((3, len(names)))
    if len(present) == 1:
        bias[present[0]] = 0.0
    else:
        clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=3000, random_state=RANDOM_STATE)
        clf.fit(X, y)
        if len(present) == 2:  # binary: one coefficient row for the second class
            bias[present[0]], bias[present[1]] = 0.0, float(clf.intercept_[0])
            coef[present[1]] = clf.coef_[0]
        else:
            for k, cls in enumerate(clf.classes_):
                bias[cls] = float(clf.intercept_[k])
                coef[cls] = clf.coef_[k]
    weights = {}
    for f, j in index.items():
        vec = [round(float(coef[k, j]), DECIMALS) for k in range(3)]
        if max(abs(v) for v in vec) >= PRUNE:
            weights[f] = vec
    return {"bias": [round(b, 6) for b in bias], "weights": weights}


def _rows(examples: list, cached: list) -> tuple[list, list[str]]:
    feats, labels = [], []
    for _ex, (clause_feats, clause_labels_) in zip(examples, cached, strict=True):
        for f, label in zip(clause_feats, clause_labels_, strict=True):
            if f is not None:
                feats.append(f)
                labels.append(label)
    return feats, labels


def _review_polarities(part: dict, clause_feats: list, thresholds) -> list[str]:
    sm = load_service_part(part)
    probs = [NOT_JUDGED if f is None else sm.probabilities(*f) for f in clause_feats]
    return [verdict(probs, t)[0] for t in thresholds]


def _select(examples: list, cached: list) -> tuple[float, str | None, float]:
    """(C, class weight, review threshold) with the best mean accuracy + macro-F1 over
    folds inside the training rows: each hand-labelled source held out in turn (the same
    leave-one-source-out idea as the evaluation), or 3 hashed folds when there is only one."""
    sources = sorted({e.source for e in examples if e.hand})
    if len(sources) >= 2:
        folds = [[i for i, e in enumerate(examples) if e.source == s] for s in sources]
    else:
        order = sorted(
            range(len(examples)), key=lambda i: datasets._key(RANDOM_STATE, "svc", examples[i].text)
        )
        folds = [order[k::3] for k in range(3)]
    best, best_score = (SERVICE_C, None, 0.5), -1.0
    for c in SERVICE_CS:
        for cw in SERVICE_CLASS_WEIGHTS:
            scores = {t: [] for t in SERVICE_THRESHOLDS}
            for fold in folds:
                held = set(fold)
                train = [k for k in range(len(examples)) if k not in held]
                part = _fit_softmax(*_rows([examples[k] for k in train], [cached[k] for k in train]), c, cw)
                scored = [k for k in fold if examples[k].hand] or fold
                preds = [_review_polarities(part, cached[k][0], SERVICE_THRESHOLDS) for k in scored]
                gold = [examples[k].polarity for k in scored]
                for ti, t in enumerate(SERVICE_THRESHOLDS):
                    m = datasets.polarity_metrics(gold, [p[ti] for p in preds])
                    scores[t].append(m["accuracy"] + m["macro_f1"])
            for t, v in scores.items():
                if sum(v) / len(v) > best_score:
                    best, best_score = (c, cw, t), sum(v) / len(v)
    return best


def load_service_part(part: dict, threshold: float = 0.5) -> ServiceModel:
    return ServiceModel(tuple(part["bias"]), {k: tuple(v) for k, v in part["weights"].items()}, threshold)


def fit_service(examples: list, model: LinearModel) -> dict:
    """The service part of the artefact; hyper-parameters chosen inside ``examples``."""
    cached = [(review_clause_features(ex.text, model), datasets.clause_labels(ex, model)) for ex in examples]
    c, cw, threshold = _select(examples, cached) if len(examples) >= 30 else (SERVICE_C, None, 0.5)
    feats, labels = _rows(examples, cached)
    part = _fit_softmax(feats, labels, c, cw)
    part["threshold"] = threshold
    part["meta"] = {"reviews": len(examples), "clauses": len(labels), "C": c, "class_weight": cw}
    return part


# --- the whole model -------------------------------------------------------------------------


def build(sentiment_sets: dict[str, list], service_examples: list, corrections=None) -> dict:
    """Train both parts; return the artefact as a dict."""
    sent_corr, svc_corr = corrections or ([], [])
    texts, y = sentiment_training_rows(sentiment_sets, sent_corr)
    data = {
        "format": 2,
        "config": FEATURE_CONFIG,
        "scale": "sqrt",
        "lexicon_clip": LEXICON_CLIP,
        "neutral_band": list(NEUTRAL_BAND),
        "contrast_band": None,
        **fit_sentiment(texts, y),
    }
    sentiment_model = model_from_dict(data)
    data["service"] = fit_service(list(service_examples) + list(svc_corr), sentiment_model)
    data["meta"] = {
        "sentiment_rows": {
            n: sum(e.label in (0, 1) for e in cap(n, ex)) for n, ex in sorted(sentiment_sets.items())
        },
        "corrections": {"sentiment": len(sent_corr), "service": len(svc_corr)},
        "method": f"NB-SVM C={C} min_df={MIN_DF} + lexicon; clause softmax C={SERVICE_C}",
    }
    return data


def export(data: dict, path) -> int:
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    Path(path).write_bytes(buf.getvalue())
    return len(buf.getvalue())


def evaluate(model: LinearModel, sentiment_examples: list, service_examples: list) -> dict:
    """Sentiment accuracy on 0/1 rows (neutral counts as wrong), label-2 outcomes, polarity."""
    out: dict = {}
    if sentiment_examples:
        preds = [classify(e.text, model) for e in sentiment_examples]
        sided = [(p, e) for p, e in zip(preds, sentiment_examples, strict=True) if e.label in (0, 1)]
        want = {0: "negative", 1: "positive"}
        out["sentiment_accuracy"] = sum(p.sentiment == want[e.label] for p, e in sided) / max(len(sided), 1)
        out["neutral_on_sided"] = sum(p.sentiment == "neutral" for p, _ in sided) / max(len(sided), 1)
        middle = [p.sentiment for p, e in zip(preds, sentiment_examples, strict=True) if e.label == 2]
        if middle:
            out["label2"] = {
                s: round(middle.count(s) / len(middle), 3) for s in ("positive", "negative", "neutral")
            }
        out["n"] = len(sided)
    if service_examples:
        preds = [classify(e.text, model).service_polarity for e in service_examples]
        out.update(
            {
                f"service_{k}": v
                for k, v in datasets.polarity_metrics([e.polarity for e in service_examples], preds).items()
            }
        )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ARTEFACT_PATH))
    ap.add_argument("--data", help="directory of the review sets (default: ../shared/data/reviews)")
    ap.add_argument("--corrections", help="confirmed corrections exported by the app (CSV)")
    args = ap.parse_args(argv)
    directory = Path(args.data) if args.data else datasets.data_dir()
    if not datasets.available(directory):
        print(f"data not found in {directory} (use --data or set {datasets.DATA_ENV_VAR})", file=sys.stderr)
        return 1
    splits = {n: datasets.split(n, datasets.load(n, directory)) for n in datasets.DATASETS}
    service = datasets.load_service(directory)
    svc_train, svc_held = datasets.split_service(service)
    corrections = datasets.read_corrections(args.corrections) if args.corrections else None
    data = build({n: tr for n, (tr, _) in splits.items()}, svc_train, corrections)
    size = export(data, args.out)
    model = load_model(args.out)
    print(
        json.dumps(
            {
                "artefact": str(args.out),
                "bytes": size,
                "weights": len(model.weights),
                "service_weights": len(model.service.weights),
                "threshold": model.service.threshold,
            }
        )
    )
    for name, (_, held) in splits.items():
        print(json.dumps({"in_domain": name, **evaluate(model, held, [])}))
    print(json.dumps({"in_domain": "service_hand", **evaluate(model, [], [e for e in svc_held if e.hand])}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

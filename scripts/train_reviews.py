#!/usr/bin/env python
"""Train the review sentiment model and export it as qa_app/reviews/classifier/model.json.gz.

    .venv/bin/pip install -r requirements-train.txt
    .venv/bin/python scripts/train_reviews.py            # train, export, print held-out metrics
    .venv/bin/python scripts/train_reviews.py --compare  # also re-run the model comparison (CV)

Data: $REVIEWS_DATA_DIR or <project root>/../shared/data/reviews (waimai_10k.csv,
ChnSentiCorp_htl_all.csv, uci_yelp_labelled.txt). Each set is split 80/20 by
qa_app.reviews.classifier.datasets.split (stratified, SHA-1 keyed, fixed seed); only the
80 % parts are used for training, and model selection (--compare) uses cross-validation
inside them. The held-out 20 % are scored once, by the exported pure-Python model.

Method (chosen by the comparison in docs/reviews-classifier.md): NB-SVM, i.e. logistic
regression over binary features multiplied by their naive-Bayes log-count ratios, on
character 1-3-grams + English word 1-2-grams with negation marking, rows scaled by
1/sqrt(number of features). One joint model for Chinese and English. The exported weight
of a feature is coef * ratio; tiny weights are pruned. The review's probability stacks the
model score with the clause lexicon total (qa_app.reviews.classifier.lexicon): per script
(zh/en) a 2-feature logistic regression over out-of-fold model scores of the training part
(3-fold CV) gives sigmoid(a*z + b*clip(L, ±4) + c). Retrain after editing the lexicon. Same data + same seed → byte-identical
artefact (sorted keys, rounded weights, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from qa_app.reviews.classifier import datasets  # noqa: E402
from qa_app.reviews.classifier.features import features, is_chinese, normalise  # noqa: E402
from qa_app.reviews.classifier.lexicon import review_score  # noqa: E402
from qa_app.reviews.classifier.model import ARTEFACT_PATH, LinearModel, load_model  # noqa: E402

FEATURE_CONFIG = {"char_min": 1, "char_max": 3, "word_max": 2, "neg_scope": 3}
METHOD = "nbsvm"  # "nbsvm" | "lr"
SCALE = "sqrt"  # "sqrt" | "binary"
C = 8.0
NB_ALPHA = 1.0
MIN_DF = 2
PRUNE = 0.002  # |exported weight| below this is dropped
DECIMALS = 4
NEUTRAL_BAND = (0.4, 0.6)
CONTRAST_BAND = (0.3, 0.7)
LEXICON_CLIP = 4.0
STACK_FOLDS = 3
RANDOM_STATE = 0


def build_matrix(texts, vectorizer=None, config=FEATURE_CONFIG):
    analyzer = lambda t: features(t, config)  # noqa: E731
    if vectorizer is None:
        vectorizer = CountVectorizer(analyzer=analyzer, binary=True, min_df=MIN_DF)
        X = vectorizer.fit_transform(texts)
    else:
        X = vectorizer.transform(texts)
    n_feats = np.array([len(features(t, config)) for t in texts], dtype=np.float64)
    return X.astype(np.float64).tocsr(), n_feats, vectorizer


def nb_ratio(X, y, alpha=NB_ALPHA):
    p = alpha + np.asarray(X[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(X[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def fit(X, n_feats, y, method=METHOD, scale=SCALE, c=C):
    """Return (weights per column, bias) of the linear model on binary features."""
    r = nb_ratio(X, y) if method == "nbsvm" else np.ones(X.shape[1])
    Xs = X.multiply(r).tocsr() if method == "nbsvm" else X
    if scale == "sqrt":
        Xs = sp.diags(1.0 / np.sqrt(np.maximum(n_feats, 1.0))) @ Xs
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=10000, random_state=RANDOM_STATE)
    clf.fit(sp.csr_matrix(Xs), y)
    return clf.coef_.ravel() * r, float(clf.intercept_[0])


def predict(X, n_feats, w, b, scale=SCALE):
    z = X @ w
    if scale == "sqrt":
        z = z / np.sqrt(np.maximum(n_feats, 1.0))
    return 1.0 / (1.0 + np.exp(-(z + b)))


def metrics(probs, labels):
    probs = list(probs)
    labels = list(labels)
    pred = [1 if p >= 0.5 else 0 for p in probs]
    n = len(labels)
    acc = sum(int(a == b) for a, b in zip(pred, labels, strict=True)) / n
    neg = [p for p, y in zip(pred, labels, strict=True) if y == 0]
    neg_recall = sum(1 for p in neg if p == 0) / len(neg) if neg else float("nan")
    return {"accuracy": acc, "negative_recall": neg_recall, "n": n}


def load_all():
    splits = {}
    for name in datasets.DATASETS:
        train, heldout = datasets.load_split(name)
        splits[name] = (train, heldout)
    return splits


def compare(splits, folds=3):
    """Cross-validation inside the training parts: the numbers behind the method choice."""
    names = np.array([n for n, (tr, _) in splits.items() for _ in tr])
    texts = [e.text for _, (tr, _) in splits.items() for e in tr]
    y = np.array([e.label for _, (tr, _) in splits.items() for e in tr])
    strat = np.array([f"{n}{lab}" for n, lab in zip(names, y, strict=True)])
    X, n_feats, _ = build_matrix(texts)
    grid = [
        ("lr", "binary", 0.25),
        ("lr", "binary", 1.0),
        ("lr", "sqrt", 16.0),
        ("nbsvm", "binary", 0.1),
        ("nbsvm", "binary", 1.0),
        ("nbsvm", "sqrt", 4.0),
        ("nbsvm", "sqrt", 8.0),
        ("nbsvm", "sqrt", 16.0),
    ]
    cv = StratifiedKFold(folds, shuffle=True, random_state=RANDOM_STATE)
    for method, scale, c in grid:
        acc = {n: [] for n in splits}
        for a, b in cv.split(texts, strat):
            w, bias = fit(X[a], n_feats[a], y[a], method, scale, c)
            p = predict(X[b], n_feats[b], w, bias, scale)
            for n in splits:
                m = names[b] == n
                acc[n].append(metrics(p[m], y[b][m])["accuracy"])
        print(
            json.dumps(
                {"cv": f"{method}/{scale}/C={c}", **{n: round(float(np.mean(v)), 4) for n, v in acc.items()}}
            ),
            flush=True,
        )


def export(vocab, w, b, meta, path):
    weights = {}
    for feat, j in vocab.items():
        v = round(float(w[j]), DECIMALS)
        if abs(v) >= PRUNE:
            weights[feat] = v
    data = {
        "format": 1,
        "config": FEATURE_CONFIG,
        "scale": SCALE,
        "bias": round(b, 6),
        "weights": weights,
        "blend": meta.pop("blend"),
        "lexicon_clip": LEXICON_CLIP,
        "neutral_band": list(NEUTRAL_BAND),
        "contrast_band": list(CONTRAST_BAND),
        "meta": meta,
    }
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    Path(path).write_bytes(buf.getvalue())
    return len(weights), len(buf.getvalue())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ARTEFACT_PATH))
    ap.add_argument("--compare", action="store_true", help="re-run the CV model comparison first")
    args = ap.parse_args(argv)

    if not datasets.available():
        print(f"data not found in {datasets.data_dir()} (set {datasets.DATA_ENV_VAR})", file=sys.stderr)
        return 1
    splits = load_all()
    if args.compare:
        compare(splits)

    texts = [e.text for _, (tr, _) in splits.items() for e in tr]
    y = np.array([e.label for _, (tr, _) in splits.items() for e in tr])
    t0 = time.time()
    X, n_feats, vec = build_matrix(texts)
    w, b = fit(X, n_feats, y)
    # Stacking: out-of-fold model scores + lexicon totals → per-language blend.
    names = np.array([n for n, (tr, _) in splits.items() for _ in tr])
    strat = np.array([f"{n}{lab}" for n, lab in zip(names, y, strict=True)])
    oof = np.zeros(len(y))
    cv = StratifiedKFold(STACK_FOLDS, shuffle=True, random_state=RANDOM_STATE)
    for a, bb in cv.split(texts, strat):
        wf, bf = fit(X[a], n_feats[a], y[a])
        z = X[bb] @ wf
        if SCALE == "sqrt":
            z = z / np.sqrt(np.maximum(n_feats[bb], 1.0))
        oof[bb] = z + bf
    lex = np.clip(np.array([review_score(t)[0] for t in texts]), -LEXICON_CLIP, LEXICON_CLIP)
    chinese = np.array([is_chinese(normalise(t)) for t in texts])
    blend = {}
    for lang, mask in (("zh", chinese), ("en", ~chinese)):
        st = LogisticRegression(C=1.0, max_iter=1000).fit(np.c_[oof[mask], lex[mask]], y[mask])
        blend[lang] = [
            round(float(st.coef_[0][0]), 4),
            round(float(st.coef_[0][1]), 4),
            round(float(st.intercept_[0]), 4),
        ]
    train_seconds = time.time() - t0

    # Held-out, scored by the numpy model (before pruning/rounding) for reference.
    heldout_numpy = {}
    for name, (_, ho) in splits.items():
        Xh, nh, _ = build_matrix([e.text for e in ho], vec)
        heldout_numpy[name] = metrics(predict(Xh, nh, w, b), [e.label for e in ho])

    meta = {
        "method": f"{METHOD} (logistic regression, liblinear, C={C}, NB alpha={NB_ALPHA}), "
        f"{SCALE} row scaling, min_df={MIN_DF}, prune |w|<{PRUNE}",
        "trained_on": {n: len(tr) for n, (tr, _) in splits.items()},
        "heldout": {n: len(ho) for n, (_, ho) in splits.items()},
        "split_seed": datasets.SPLIT_SEED,
        "heldout_fraction": datasets.HELDOUT_FRACTION,
        "vocabulary": len(vec.vocabulary_),
        "sklearn": sklearn.__version__,
        "blend": blend,
    }
    n_weights, size = export(vec.vocabulary_, w, b, meta, args.out)

    model: LinearModel = load_model(args.out)
    out = {
        "artefact": str(args.out),
        "bytes": size,
        "weights": n_weights,
        "vocabulary": len(vec.vocabulary_),
        "train_seconds": round(train_seconds, 1),
    }
    print(json.dumps(out), flush=True)
    print(json.dumps({"blend": model.blend}), flush=True)
    for name, (_, ho) in splits.items():
        probs = []
        for e in ho:
            norm = normalise(e.text)
            probs.append(
                model.blended_probability(
                    model.score(norm, normalised=True), review_score(e.text)[0], is_chinese(norm)
                )
            )
        m = metrics(probs, [e.label for e in ho])
        print(
            json.dumps(
                {"name": f"reviews_accuracy_{name}", "value": round(m["accuracy"], 4), "unit": "ratio"}
            )
        )
        print(
            json.dumps(
                {
                    "name": f"reviews_negative_recall_{name}",
                    "value": round(m["negative_recall"], 4),
                    "unit": "ratio",
                }
            )
        )
        print(json.dumps({"name": f"reviews_heldout_n_{name}", "value": m["n"], "unit": "reviews"}))
        m0 = metrics([model.positive_probability(e.text) for e in ho], [e.label for e in ho])
        print(
            json.dumps(
                {
                    "name": f"reviews_accuracy_model_only_{name}",
                    "value": round(m0["accuracy"], 4),
                    "unit": "ratio",
                }
            )
        )
        print(
            json.dumps(
                {
                    "name": f"reviews_accuracy_model_only_unpruned_{name}",
                    "value": round(heldout_numpy[name]["accuracy"], 4),
                    "unit": "ratio",
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

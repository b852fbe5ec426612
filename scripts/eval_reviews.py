#!/usr/bin/env python
"""Evaluate the shipped review classifier (pure Python, no training dependencies).

    .venv/bin/python scripts/eval_reviews.py [--repeat N]

Prints JSON lines {"name": ..., "value": ..., "unit": ...}:
- per held-out set (waimai, hotel, yelp; the 20 % never trained on):
  reviews_accuracy_<set>          binary accuracy of P(positive) >= 0.5 (the sets are labelled
                                  positive/negative only),
  reviews_negative_recall_<set>   share of negative reviews predicted negative,
  reviews_n_<set>                 number of held-out reviews,
  reviews_neutral_rate_<set>      share that classify() calls neutral (inside the band),
  reviews_accuracy_strict_<set>   classify().sentiment == label, neutral counted as wrong;
- on tests/data/service_reviews.csv (hand-labelled): service-polarity accuracy, sentiment
  accuracy (3 classes);
- reviews_throughput: classify() calls per second over all held-out texts on one core
  (per CPU second of this process, and per wall-clock second).

Data: $REVIEWS_DATA_DIR or <project root>/../shared/data/reviews.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa_app.reviews.classifier import classify, datasets  # noqa: E402
from qa_app.reviews.classifier.model import get_model  # noqa: E402

SERVICE_SET = ROOT / "tests" / "data" / "service_reviews.csv"


def emit(name: str, value, unit: str) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit}, ensure_ascii=False), flush=True)


def service_set_metrics(path: Path = SERVICE_SET) -> dict:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pol_ok = sent_ok = 0
    errors = []
    for row in rows:
        c = classify(row["text"])
        pol_ok += c.service_polarity == row["service_polarity"]
        sent_ok += c.sentiment == row["sentiment"]
        if c.service_polarity != row["service_polarity"]:
            errors.append((row["text"], row["service_polarity"], c.service_polarity, c.evidence))
    return {
        "n": len(rows),
        "service_accuracy": pol_ok / len(rows),
        "sentiment_accuracy": sent_ok / len(rows),
        "errors": errors,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2, help="passes over the texts for throughput")
    ap.add_argument("--errors", action="store_true", help="list service-set mistakes on stderr")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    model = get_model()
    emit("reviews_model_load_seconds", round(time.perf_counter() - t0, 3), "s")

    all_texts: list[str] = []
    if datasets.available():
        for name in datasets.DATASETS:
            _, heldout = datasets.load_split(name)
            texts = [e.text for e in heldout]
            labels = [e.label for e in heldout]
            all_texts.extend(texts)
            results = [classify(t) for t in texts]
            pred = [1 if r.positive_probability >= 0.5 else 0 for r in results]
            n = len(labels)
            acc = sum(p == y for p, y in zip(pred, labels, strict=True)) / n
            negatives = [p for p, y in zip(pred, labels, strict=True) if y == 0]
            neg_recall = negatives.count(0) / len(negatives)
            want = {1: "positive", 0: "negative"}
            strict = sum(r.sentiment == want[y] for r, y in zip(results, labels, strict=True)) / n
            neutral = sum(r.sentiment == "neutral" for r in results) / n
            emit(f"reviews_accuracy_{name}", round(acc, 4), "ratio")
            emit(f"reviews_negative_recall_{name}", round(neg_recall, 4), "ratio")
            emit(f"reviews_n_{name}", n, "reviews")
            emit(f"reviews_neutral_rate_{name}", round(neutral, 4), "ratio")
            emit(f"reviews_accuracy_strict_{name}", round(strict, 4), "ratio")
    else:
        print(f"held-out data not found in {datasets.data_dir()}; skipping accuracy", file=sys.stderr)

    svc = service_set_metrics()
    emit("reviews_service_polarity_accuracy", round(svc["service_accuracy"], 4), "ratio")
    emit("reviews_service_set_sentiment_accuracy", round(svc["sentiment_accuracy"], 4), "ratio")
    emit("reviews_service_set_n", svc["n"], "reviews")
    if args.errors:
        for text, want, got, evidence in svc["errors"]:
            print(f"want={want} got={got} evidence={evidence!r} text={text}", file=sys.stderr)

    if not all_texts:
        with open(SERVICE_SET, encoding="utf-8", newline="") as fh:
            all_texts = [r["text"] for r in csv.DictReader(fh)]
    calls = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(max(1, args.repeat)):
        for t in all_texts:
            classify(t)
            calls += 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    emit("reviews_throughput", round(calls / cpu, 1), "reviews/s (cpu, one core)")
    emit("reviews_throughput_wall", round(calls / wall, 1), "reviews/s (wall)")
    emit("reviews_throughput_mean_chars", round(sum(map(len, all_texts)) / len(all_texts), 1), "chars/review")
    emit("reviews_model_weights", len(model.weights), "features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

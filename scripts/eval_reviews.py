#!/usr/bin/env python
"""Leave-one-source-out evaluation of the review classifier (``make eval-reviews``).

    .venv/bin/python scripts/eval_reviews.py [--data DIR] [--only sentiment|service] [--cache DIR]

Sentiment: each product-review set (datasets.PRODUCT_SETS) is held out in turn; the model is
trained by scripts/train_reviews.py's ``build`` on every other set (all languages, waimai,
hotel and yelp included) and scored on the held-out set's positive and negative rows, where
a ``neutral`` answer counts as wrong; how its label-2 (middle) rows come out is printed too.
Service polarity: each hand-labelled source of service_polarity_dev.csv (JD, hotel,
food delivery) is held out in turn; the service model is trained on every other row (the
derived ones included) and the sentiment model under it without the sentiment set the
held-out source's texts come from. Confidence: the held-out verdicts of both evaluations are
pooled and ``CONFIRM_BELOW`` is suggested as the confidence below which 15 % of them fall.
Prints one JSON line per held-out file and the means. Nothing here is used for tuning.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_reviews as tr  # noqa: E402

from qa_app.reviews.classifier import classify, datasets  # noqa: E402
from qa_app.reviews.classifier.model import model_from_dict  # noqa: E402

WAIT_SHARE = 0.15


def _sentiment_part(sets: dict, leave_out: str, cache: Path | None) -> dict:
    path = cache / f"sentiment-without-{leave_out}.pkl" if cache else None
    if path and path.is_file():
        return pickle.loads(path.read_bytes())
    texts, y = tr.sentiment_training_rows({n: ex for n, ex in sets.items() if n != leave_out})
    data = {
        "format": 2,
        "config": tr.FEATURE_CONFIG,
        "scale": "sqrt",
        "lexicon_clip": tr.LEXICON_CLIP,
        "neutral_band": list(tr.NEUTRAL_BAND),
        "contrast_band": None,
        **tr.fit_sentiment(texts, y),
    }
    if path:
        path.write_bytes(pickle.dumps(data))
    return data


def _mean(rows: list[dict], key: str) -> float:
    return round(sum(r[key] for r in rows) / len(rows), 4)


def eval_sentiment(sets: dict, service: list, cache, confidences: list) -> None:
    shared_service = None  # the service part only feeds the confidence here
    for lang, names in datasets.PRODUCT_SETS.items():
        rows = []
        for name in names:
            data = _sentiment_part(sets, name, cache)
            if name in datasets.SERVICE_SOURCES.values():  # its texts are in the service set
                held_svc = [e for e in service if datasets.SERVICE_SOURCES.get(e.source) != name]
                data["service"] = tr.fit_service(held_svc, model_from_dict(data))
            else:
                shared_service = shared_service or tr.fit_service(service, model_from_dict(data))
                data["service"] = shared_service
            model = model_from_dict(data)
            result = tr.evaluate(model, sets[name], [])
            want = {0: "negative", 1: "positive"}
            for e in sets[name]:
                if e.label in (0, 1):
                    c = classify(e.text, model)
                    confidences.append((c.confidence, c.sentiment == want[e.label]))
            rows.append(result)
            print(
                json.dumps(
                    {
                        "heldout": name,
                        **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()},
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
        print(
            json.dumps(
                {
                    "mean": f"sentiment_{lang}",
                    "accuracy": _mean(rows, "sentiment_accuracy"),
                    "neutral_on_sided": _mean(rows, "neutral_on_sided"),
                }
            ),
            flush=True,
        )


def eval_service(sets: dict, service: list, cache, confidences: list) -> None:
    rows = []
    for source in datasets.HAND_SOURCES:
        sentiment_set = datasets.SERVICE_SOURCES[source]
        data = _sentiment_part(sets, sentiment_set, cache)
        train = [e for e in service if e.source != source]
        held = [e for e in service if e.source == source and e.hand]
        data["service"] = tr.fit_service(train, model_from_dict(data))
        model = model_from_dict(data)
        result = tr.evaluate(model, [], held)
        for e in held:
            c = classify(e.text, model)
            confidences.append((c.confidence, c.service_polarity == e.polarity))
        rows.append(result)
        print(
            json.dumps(
                {
                    "heldout": f"service_{source}",
                    "threshold": data["service"]["threshold"],
                    **{k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()},
                }
            ),
            flush=True,
        )
    print(
        json.dumps(
            {
                "mean": "service",
                "accuracy": _mean(rows, "service_accuracy"),
                "macro_f1": _mean(rows, "service_macro_f1"),
            }
        ),
        flush=True,
    )


def suggest_threshold(confidences: list) -> None:
    if not confidences:
        return
    ordered = sorted(c for c, _ in confidences)
    cut = ordered[int(len(ordered) * WAIT_SHARE)]
    below = [ok for c, ok in confidences if c < cut]
    above = [ok for c, ok in confidences if c >= cut]
    print(
        json.dumps(
            {
                "confirm_below": round(cut, 3),
                "waiting": round(len(below) / len(confidences), 3),
                "accuracy_waiting": round(sum(below) / max(len(below), 1), 3),
                "accuracy_not_waiting": round(sum(above) / max(len(above), 1), 3),
                "n": len(confidences),
            }
        ),
        flush=True,
    )


def reliability(confidences: list, bins: int = 5) -> None:
    """How often the held-out verdicts are right at each confidence level (equal-count bins):
    a calibrated confidence has accuracy close to the bin's mean confidence."""
    ordered = sorted(confidences)
    size = max(len(ordered) // bins, 1)
    for k in range(0, len(ordered), size):
        part = ordered[k : k + size]
        print(
            json.dumps(
                {
                    "reliability": f"{part[0][0]:.3f}-{part[-1][0]:.3f}",
                    "mean_confidence": round(sum(c for c, _ in part) / len(part), 3),
                    "accuracy": round(sum(ok for _, ok in part) / len(part), 3),
                    "n": len(part),
                }
            ),
            flush=True,
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="directory of the review sets (default: ../shared/data/reviews)")
    ap.add_argument("--only", choices=("sentiment", "service"))
    ap.add_argument("--cache", help="keep trained sentiment parts here between runs (development)")
    args = ap.parse_args(argv)
    directory = Path(args.data) if args.data else datasets.data_dir()
    if not datasets.available(directory):
        print(f"data not found in {directory} (use --data or set {datasets.DATA_ENV_VAR})", file=sys.stderr)
        return 1
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    sets = {n: datasets.load(n, directory) for n in datasets.DATASETS}
    service = datasets.load_service(directory)
    confidences: list = []
    if args.only != "service":
        eval_sentiment(sets, service, cache, confidences)
    if args.only != "sentiment":
        eval_service(sets, service, cache, confidences)
    suggest_threshold(confidences)
    reliability(confidences)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

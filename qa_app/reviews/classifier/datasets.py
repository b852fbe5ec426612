"""Loading and deterministic splitting of the labelled review sets (development only).

Used by scripts/train_reviews.py, scripts/eval_reviews.py and the tests; never by
``classify``. Pure Python, no third-party imports.

The split is a stratified 80/20 split keyed on a SHA-1 of ``seed:set:text``: within each
label the rows are ordered by that key and the first 20 % form the held-out part. It is
therefore identical across Python versions and machines, and identical texts (the few
duplicates in waimai_10k) always land on the same side, so no held-out text is ever
seen in training.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .clauses import split_spans
from .features import normalise

SPLIT_SEED = 20261123
HELDOUT_FRACTION = 0.2
DATA_ENV_VAR = "REVIEWS_DATA_DIR"

# name -> (file name, language). Labels: 1 positive, 0 negative, 2 middle/mixed (some files).
DATASETS: dict[str, tuple[str, str]] = {
    "waimai": ("waimai_10k.csv", "zh"),
    "hotel": ("ChnSentiCorp_htl_all.csv", "zh"),
    "yelp": ("uci_yelp_labelled.txt", "en"),
    "zh_jd_switch": ("zh_jd_switch_reviews.csv", "zh"),
    "zh_fewclue": ("zh_fewclue_eprstmt.csv", "zh"),
    "zh_cosmetics": ("zh_ccf2019_ecommerce_cosmetics.csv", "zh"),
    "zh_camera": ("zh_senticnet_camera_sentences.csv", "zh"),
    "en_clothing": ("en_womens_ecommerce_clothing_reviews.csv", "en"),
    "en_vader": ("en_vader_amazon_review_snippets.csv", "en"),
    "en_electronics": ("en_blitzer_amazon_electronics.csv", "en"),
}
# The product-review sets the targets are measured on (each held out in turn).
PRODUCT_SETS: dict[str, tuple[str, ...]] = {
    "zh": ("zh_jd_switch", "zh_fewclue", "zh_cosmetics", "zh_camera"),
    "en": ("en_clothing", "en_vader", "en_electronics"),
}
SERVICE_FILE = "service_polarity_dev.csv"
# service_polarity_dev.csv id prefix -> the sentiment set its texts come from
SERVICE_SOURCES: dict[str, str] = {
    "jdsw": "zh_jd_switch",
    "htl": "hotel",
    "wm": "waimai",
    "zjcos": "zh_cosmetics",
}
HAND_SOURCES = ("jdsw", "htl", "wm")


@dataclass(frozen=True)
class Example:
    text: str
    label: int  # 1 = positive, 0 = negative, 2 = middle or mixed


@dataclass(frozen=True)
class ServiceExample:
    id: str
    text: str
    polarity: str  # praise | criticism | mixed | none
    evidence: tuple[str, ...]  # verbatim pieces of ``text``
    hand: bool

    @property
    def source(self) -> str:
        return self.id.split("_", 1)[0]


def project_root() -> Path:
    # qa_app/reviews/classifier/datasets.py -> project root is three parents up from qa_app
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """``$REVIEWS_DATA_DIR`` if set, else ``<project root>/../shared/data/reviews``."""
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env)
    return (project_root() / ".." / "shared" / "data" / "reviews").resolve()


def load(name: str, directory: Path | None = None) -> list[Example]:
    file_name, _lang = DATASETS[name]
    path = (directory or data_dir()) / file_name
    out: list[Example] = []
    if file_name.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("review") or row.get("text") or "").strip()
                if text:
                    out.append(Example(text, int(row["label"])))
    else:
        with open(path, encoding="utf-8") as fh:
            next(fh)  # header: sentence\tscore
            for line in fh:
                line = line.rstrip("\r\n")
                if not line:
                    continue
                text, _, score = line.rpartition("\t")
                text = text.strip()
                if text:
                    out.append(Example(text, int(score)))
    return out


def _key(seed: int, name: str, text: str) -> str:
    return hashlib.sha1(f"{seed}:{name}:{text}".encode()).hexdigest()


def split(
    name: str,
    examples: list[Example],
    seed: int = SPLIT_SEED,
    heldout_fraction: float = HELDOUT_FRACTION,
) -> tuple[list[Example], list[Example]]:
    """Return ``(train, heldout)``; stratified by label, grouped by identical text."""
    train: list[Example] = []
    heldout: list[Example] = []
    for label in sorted({e.label for e in examples}):
        texts: dict[str, list[Example]] = {}
        for e in examples:
            if e.label == label:
                texts.setdefault(e.text, []).append(e)
        ordered = sorted(texts, key=lambda t: _key(seed, name, t))
        n_rows = sum(len(v) for v in texts.values())
        target = round(n_rows * heldout_fraction)
        taken = 0
        for t in ordered:
            rows = texts[t]
            if taken < target:
                heldout.extend(rows)
                taken += len(rows)
            else:
                train.extend(rows)
    # A text that occurs with both labels must not straddle the split.
    held_texts = {e.text for e in heldout}
    moved = [e for e in train if e.text in held_texts]
    if moved:
        train = [e for e in train if e.text not in held_texts]
        heldout.extend(moved)
    return train, heldout


def load_split(name: str, directory: Path | None = None) -> tuple[list[Example], list[Example]]:
    return split(name, load(name, directory))


def split_service(examples: list[ServiceExample]) -> tuple[list[ServiceExample], list[ServiceExample]]:
    """80/20 split of the service rows, stratified by polarity (same rule as ``split``)."""
    code = {p: i for i, p in enumerate(("praise", "criticism", "mixed", "none"))}
    by_text: dict[tuple[str, int], list[ServiceExample]] = {}
    for e in examples:
        by_text.setdefault((e.text, code[e.polarity]), []).append(e)
    train, held = split("service", [Example(t, c) for t, c in by_text])
    held_keys = {(e.text, e.label) for e in held}
    return (
        [e for k, rows in by_text.items() if k not in held_keys for e in rows],
        [e for k, rows in by_text.items() if k in held_keys for e in rows],
    )


def load_service(directory: Path | None = None) -> list[ServiceExample]:
    """The rows of service_polarity_dev.csv (hand-labelled and derived)."""
    path = (directory or data_dir()) / SERVICE_FILE
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            ServiceExample(
                id=row["id"],
                text=row["text"],
                polarity=row["service_polarity"],
                evidence=tuple(p for p in (row["evidence"] or "").split(" | ") if p),
                hand=row["labelled_by"] == "hand",
            )
            for row in csv.DictReader(fh)
            if row["text"].strip()
        ]


def available(directory: Path | None = None) -> bool:
    d = directory or data_dir()
    return all((d / f).is_file() for f, _ in DATASETS.values()) and (d / SERVICE_FILE).is_file()


# --- training helpers without third-party imports (used by scripts/train_reviews.py) ---


_FORMULA_START = tuple("=+-@\t\r")


def _piece_spans(text: str, pieces: tuple[str, ...]) -> list[tuple[int, int, str]]:
    out = []
    for piece in pieces:
        at = text.find(piece)
        if at >= 0:
            out.append((at, at + len(piece), piece))
    return out


def clause_labels(example, model) -> list[str]:
    """The label of each clause of a service example: the polarity of the evidence span it
    overlaps most, else none. In a mixed review each span's side is its sentiment."""
    spans = split_spans(example.text)
    pieces = _piece_spans(example.text, example.evidence) if example.polarity != "none" else []
    labels = []
    for start, end in spans:
        best, overlap = "none", 0
        for ps, pe, piece in pieces:
            ov = min(end, pe) - max(start, ps)
            if ov > overlap:
                overlap = ov
                if example.polarity == "mixed":
                    best = "praise" if model.score(normalise(piece), normalised=True) >= 0 else "criticism"
                else:
                    best = example.polarity
        labels.append(best)
    return labels


def _unsafe_cell(value: str | None) -> str:
    """Undo the export's spreadsheet guard (a ' before a leading = + - @)."""
    value = value or ""
    return value[1:] if value[:1] == "'" and value[1:2] in _FORMULA_START else value


def read_corrections(path) -> tuple[list, list]:
    """Sentiment and service examples from a corrections export (corrections.TRAINING_COLUMNS)."""
    sentiment, service = [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for k, raw in enumerate(csv.DictReader(fh)):
            row = {key: _unsafe_cell(value) for key, value in raw.items()}
            text = row["text"].strip()
            if not text:
                continue
            label = {"positive": 1, "negative": 0, "neutral": 2}.get(row.get("sentiment") or "")
            if label is not None:
                sentiment.append(Example(text, label))
            polarity = row.get("service_polarity") or ""
            if polarity in ("praise", "criticism", "mixed", "none"):
                evidence = row.get("evidence") or ""
                pieces = tuple(
                    p.strip() for p in evidence.replace("；", "|").replace("; ", "|").split("|") if p.strip()
                )
                service.append(ServiceExample(f"corr_{row.get('id') or k}", text, polarity, pieces, True))
    return sentiment, service


def polarity_metrics(gold: list[str], pred: list[str]) -> dict:
    n = len(gold)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / n if n else float("nan")
    f1s = []
    for cls in ("praise", "criticism", "mixed", "none"):
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": acc, "macro_f1": sum(f1s) / len(f1s), "n": n}

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

SPLIT_SEED = 20261123
HELDOUT_FRACTION = 0.2
DATA_ENV_VAR = "REVIEWS_DATA_DIR"

# name -> (file name, language)
DATASETS: dict[str, tuple[str, str]] = {
    "waimai": ("waimai_10k.csv", "zh"),
    "hotel": ("ChnSentiCorp_htl_all.csv", "zh"),
    "yelp": ("uci_yelp_labelled.txt", "en"),
}


@dataclass(frozen=True)
class Example:
    text: str
    label: int  # 1 = positive, 0 = negative


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
                text = (row.get("review") or "").strip()
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


def available(directory: Path | None = None) -> bool:
    d = directory or data_dir()
    return all((d / f).is_file() for f, _ in DATASETS.values())

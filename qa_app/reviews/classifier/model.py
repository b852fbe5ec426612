"""Loading and scoring of the exported linear sentiment model (pure Python).

The artefact ``model.json.gz`` next to this file is written by scripts/train_reviews.py:

    {"format": 1,
     "config": {...feature config, see features.py...},
     "scale": "sqrt" | "binary",      # document scaling used in training
     "bias": float,
     "weights": {"<feature>": float, ...},   # pruned: |w| below a threshold dropped
     "neutral_band": [lo, hi],        # P(positive) in [lo, hi] → neutral
     "meta": {...training facts and held-out metrics...}}

The score of a text is ``bias + scale(n) * Σ weights[f]`` over its binary features
(``scale(n) = 1/sqrt(n)`` for ``"sqrt"`` where n is the number of distinct features of the
text, else 1), and ``P(positive) = sigmoid(score)``. The file is read once, on first use.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

from .features import features, normalise

ARTEFACT_PATH = Path(__file__).with_name("model.json.gz")


@dataclass(frozen=True)
class LinearModel:
    config: dict
    scale: str
    bias: float
    weights: dict[str, float]
    neutral_band: tuple[float, float]
    meta: dict

    def score(self, text: str, *, normalised: bool = False) -> float:
        feats = features(text, self.config, normalised=normalised)
        get = self.weights.get
        total = 0.0
        for f in feats:
            w = get(f)
            if w is not None:
                total += w
        if self.scale == "sqrt" and feats:
            total /= math.sqrt(len(feats))
        return self.bias + total

    def positive_probability(self, text: str, *, normalised: bool = False) -> float:
        z = self.score(text, normalised=normalised)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


def load_model(path: Path | str = ARTEFACT_PATH) -> LinearModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    if data.get("format") != 1:
        raise ValueError(f"{path}: unsupported model format {data.get('format')!r}")
    lo, hi = data["neutral_band"]
    return LinearModel(
        config=dict(data["config"]),
        scale=data.get("scale", "binary"),
        bias=float(data["bias"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        neutral_band=(float(lo), float(hi)),
        meta=data.get("meta", {}),
    )


_lock = threading.Lock()
_model: LinearModel | None = None


def get_model() -> LinearModel:
    """The shipped model, loaded on first call and cached for the process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load_model()
    return _model


__all__ = ["ARTEFACT_PATH", "LinearModel", "get_model", "load_model", "normalise"]

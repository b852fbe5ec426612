"""Loading and scoring of the exported linear sentiment model (pure Python).

The artefact ``model.json.gz`` next to this file is written by scripts/train_reviews.py:

    {"format": 1,
     "config": {...feature config, see features.py...},
     "scale": "sqrt" | "binary",      # document scaling used in training
     "bias": float,
     "weights": {"<feature>": float, ...},   # pruned: |w| below a threshold dropped
     "blend": {"zh": [a, b, c], "en": [a, b, c]},  # stacking of model score and lexicon
     "lexicon_clip": 4.0,
     "neutral_band": [lo, hi],        # P(positive) in [lo, hi] → neutral
     "contrast_band": [lo, hi],       # praise and blame clauses and P in [lo, hi] → neutral
     "service": {"bias": [3], "weights": {"<feature>": [3]}, "threshold": t, "meta": {...}},
                                      # format 2: the clause service model (service.py)
     "meta": {...training facts and held-out metrics...}}

The model score of a text is ``z = bias + scale(n) * Σ weights[f]`` over its binary features
(``scale(n) = 1/sqrt(n)`` for ``"sqrt"`` where n is the number of distinct features of the
text, else 1). The review's P(positive) blends it with the lexicon total ``L`` of its
clauses: ``sigmoid(a*z + b*clip(L, ±lexicon_clip) + c)`` with (a, b, c) per script, fitted
by scripts/train_reviews.py on out-of-fold scores of the training part. The file is read
once, on first use.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from .features import char_grams, normalise, other_features
from .service import ServiceModel, load_service_model

ARTEFACT_PATH = Path(__file__).with_name("model.json.gz")


@dataclass(frozen=True)
class LinearModel:
    config: dict
    scale: str
    bias: float
    weights: dict[str, float]
    neutral_band: tuple[float, float]
    meta: dict
    blend: dict[str, tuple[float, float, float]] | None = None
    lexicon_clip: float = 4.0
    contrast_band: tuple[float, float] | None = None
    service: ServiceModel | None = None
    # Inference view of ``weights``: character n-gram weights keyed by the bare n-gram.
    _char_weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._char_weights:
            self._char_weights.update({k[2:]: v for k, v in self.weights.items() if k.startswith("c:")})

    def score(self, text: str, *, normalised: bool = False) -> float:
        norm = text if normalised else normalise(text)
        cfg = self.config
        grams = char_grams(norm, cfg["char_min"], cfg["char_max"])
        others = other_features(norm, cfg)
        cw = self._char_weights
        ow = self.weights
        total = sum(map(cw.get, grams, repeat(0.0))) + sum(map(ow.get, others, repeat(0.0)))
        n = len(grams) + len(others)  # == len(features(text)): the prefixes keep them apart
        if self.scale == "sqrt" and n:
            total /= math.sqrt(n)
        return self.bias + total

    def positive_probability(self, text: str, *, normalised: bool = False) -> float:
        """P(positive) from the n-gram model alone."""
        return sigmoid(self.score(text, normalised=normalised))

    def blended_probability(self, z: float, lexicon_total: float, chinese: bool) -> float:
        """P(positive) from the model score ``z`` and the clauses' lexicon total."""
        if not self.blend:
            return sigmoid(z)
        a, b, c = self.blend["zh" if chinese else "en"]
        lex = max(-self.lexicon_clip, min(self.lexicon_clip, lexicon_total))
        return sigmoid(a * z + b * lex + c)


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def load_model(path: Path | str = ARTEFACT_PATH) -> LinearModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    if data.get("format") not in (1, 2):
        raise ValueError(f"{path}: unsupported model format {data.get('format')!r}")
    return model_from_dict(data)


def model_from_dict(data: dict) -> LinearModel:
    """The model of an artefact's parsed JSON."""
    lo, hi = data["neutral_band"]
    blend = {k: tuple(float(x) for x in v) for k, v in data["blend"].items()} if data.get("blend") else None
    contrast = data.get("contrast_band")
    return LinearModel(
        config=dict(data["config"]),
        scale=data.get("scale", "binary"),
        bias=float(data["bias"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        neutral_band=(float(lo), float(hi)),
        meta=data.get("meta", {}),
        blend=blend,
        lexicon_clip=float(data.get("lexicon_clip", 4.0)),
        contrast_band=(float(contrast[0]), float(contrast[1])) if contrast else None,
        service=load_service_model(data["service"]) if data.get("service") else None,
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


__all__ = [
    "ARTEFACT_PATH",
    "LinearModel",
    "get_model",
    "load_model",
    "model_from_dict",
    "normalise",
    "sigmoid",
]

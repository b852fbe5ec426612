"""Service polarity as a learned judgement over the review's clauses (pure Python).

Each clause gets P(none), P(praise), P(criticism) from a softmax (multinomial logistic
regression) trained by scripts/train_reviews.py on the clauses of service_polarity_dev.csv:
a clause that overlaps a labelled evidence span carries that span's polarity, every other
clause is ``none``. The model sees:

- the clause's character 1-3-grams (``c:``), so it learns *who* is judged (客服/前台/商家 vs
  快递小哥/骑手, the product) and *what* counts (骗人, 推卸, 让我自己找 …) from the labels,
  not from a keyword list;
- the previous clause's character 1-2-grams (``p:``): a judgement without a subject
  ("…，辛苦了", "…，态度超好") belongs to whoever the clause before it was about;
- the sentiment model's score of the clause and the lexicon's score (``z``, ``lex``), alone
  and crossed with "a service word is in this clause or the previous one" (``z*s``,
  ``lex*s``): the polarity of a service clause mostly follows its sentiment.

A review has praise when some clause's P(praise) passes ``threshold``, criticism likewise;
both give ``mixed``. The evidence is the clause(s) that passed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import repeat

from .features import char_grams
from .lexicon import service_term

CLASSES = ("none", "praise", "criticism")
NOT_JUDGED = (1.0, 0.0, 0.0)  # the probabilities of a clause that is not a candidate

# Word groups the model gets as features besides the raw n-grams, so that what it learns
# from one shop's reviews carries over to words it has not seen there. They say *who* or
# *what kind of act* a clause is about; the model learns from the labels what each weighs.
_GROUPS = {
    # the courier, rider or logistics: not the shop's people
    "courier": "快递|物流|骑士|骑手|送餐|配送|外卖员|外卖小哥|送货|派件|派送|快递员|小哥|司机|"
    r"courier|delivery|driver|shipping|shipper|\bups\b|fedex|usps|postman",
    # the platform as a whole
    "platform": "携程|百度|美团|饿了么|淘宝|天猫|平台|amazon|platform|marketplace",
    # a refusal or an act left undone
    "refusal": "不给|不让|不予|不支持|不能退|不退|不换|不处理|不管|不负责|拒绝|不理|没人理|没理|没回|不回|"
    "没人管|没结果|没有结果|没动静|没下文|无人|推给|推脱|推卸|甩锅|踢皮球|让我自己|自己去|找厂家|找官方|"
    "refus|won't|wouldn't|never|no one|nobody|ignored",
    # saying something untrue or misleading
    "dishonest": "骗|忽悠|谎|说是|明明|硬说|坑|假的|欺诈|误导|套路|lied|lie|scam|misleading|false",
    # thanks and effort after trouble
    "thanks": "谢谢|感谢|辛苦|多谢|麻烦了|最后|终于|还是给|thank|thanks|finally|eventually|in the end",
    # waiting for a long time
    "waiting": "半天|好久|很久|几天|多天|一直|半个月|一个月|星期|迟迟|拖|等了|hours|days|weeks|waited|waiting",
}
_GROUP_RES = {name: re.compile(pattern) for name, pattern in _GROUPS.items()}
Z_CLIP = 6.0
LEX_CLIP = 4.0
PREVIOUS_TAIL = 8  # characters of the previous clause the model sees
NGRAMS = True  # False: only the word-group, service-term and score features (experiments)


def candidate(clause: str, previous: str) -> bool:
    """Whether a clause can judge the service at all: it or the clause before it names the
    service (a person, a reply, an attitude, after-sales …). Other clauses are ``none``
    without scoring; this keeps the model to the clauses it was trained on and fast."""
    return bool(service_term(clause)) or (bool(previous) and bool(service_term(previous)))


def clause_features(
    clause: str,
    previous: str,
    z: float,
    lex: float,
    hits: int = 0,
    terms: tuple[str, str] | None = None,
) -> tuple[set[str], dict[str, float]]:
    """Binary features and numeric features of one normalised clause (``hits``: how many
    lexicon words the clause has; ``terms``: the service terms of the clause and of the
    previous one when the caller already has them)."""
    tail = previous[-PREVIOUS_TAIL:]
    binary = set()
    if NGRAMS:
        binary.update("c:" + g for g in char_grams(clause, 1, 3))
        binary.update("p:" + g for g in char_grams(tail, 1, 2))
    if terms is None:
        terms = (service_term(clause), service_term(previous) if previous else "")
    term, pterm = terms
    svc, psvc = bool(term), bool(pterm)
    if term:
        binary.add("t:" + term)
    if pterm:
        binary.add("tp:" + pterm)
    binary.add("s:clause" if svc else "s:noclause")
    if psvc:
        binary.add("s:previous")
    if not previous:
        binary.add("s:first")
    for name, rx in _GROUP_RES.items():
        if rx.search(clause):
            binary.add("g:" + name)
        if tail and rx.search(tail):
            binary.add("gp:" + name)
    z = max(-Z_CLIP, min(Z_CLIP, z))
    lex = max(-LEX_CLIP, min(LEX_CLIP, lex))
    # The clause's side as the lexicon reads it (negation and degree rules), or, when it has
    # no lexicon word, as the sentiment model reads it when that is clear.
    side = (lex > 0) - (lex < 0) if hits else (z > 1.1) - (z < -1.1)
    numeric = {"z": z, "lex": lex, "side": float(side)}
    if svc or psvc:
        numeric["z*s"] = z
        numeric["lex*s"] = lex
        numeric["side*s"] = float(side)
    return binary, numeric


@dataclass(frozen=True)
class ServiceModel:
    bias: tuple[float, float, float]
    weights: dict[str, tuple[float, float, float]]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def probabilities(self, binary: set[str], numeric: dict[str, float]) -> tuple[float, float, float]:
        """(P(none), P(praise), P(criticism)) of one clause's features."""
        w = self.weights
        zero = (0.0, 0.0, 0.0)
        s0, s1, s2 = self.bias
        for vec in map(w.get, binary, repeat(zero)):
            s0 += vec[0]
            s1 += vec[1]
            s2 += vec[2]
        for name, value in numeric.items():
            vec = w.get(name)
            if vec:
                s0 += vec[0] * value
                s1 += vec[1] * value
                s2 += vec[2] * value
        top = max(s0, s1, s2)
        e0, e1, e2 = math.exp(s0 - top), math.exp(s1 - top), math.exp(s2 - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total


def load_service_model(data: dict) -> ServiceModel:
    return ServiceModel(
        bias=tuple(float(x) for x in data["bias"]),
        weights={k: (float(v[0]), float(v[1]), float(v[2])) for k, v in data["weights"].items()},
        threshold=float(data.get("threshold", 0.5)),
        meta=data.get("meta", {}),
    )


def verdict(clause_probs: list[tuple[float, float, float]], threshold: float) -> tuple[str, list[int], float]:
    """Review polarity from its clauses' probabilities: (polarity, judged clause indexes,
    confidence of the polarity verdict).

    The confidence treats "some clause praises" and "some clause criticises" as two
    decisions, each as sure as the strongest clause for it, and multiplies them.
    """
    best_praise = max((p[1] for p in clause_probs), default=0.0)
    best_crit = max((p[2] for p in clause_probs), default=0.0)
    praise = best_praise >= threshold
    crit = best_crit >= threshold
    judged = [i for i, p in enumerate(clause_probs) if max(p[1], p[2]) >= threshold]
    confidence = (best_praise if praise else 1.0 - best_praise) * (best_crit if crit else 1.0 - best_crit)
    if praise and crit:
        return "mixed", judged, confidence
    if praise:
        return "praise", judged, confidence
    if crit:
        return "criticism", judged, confidence
    return "none", [], confidence

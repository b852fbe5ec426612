"""Clause rules that settle a service judgement the learned clause model gets wrong.

The learned model (service.py) has seen a few hundred labelled reviews; some acts are
rare there but unambiguous to any reader, so they are decided by rule before the model
is asked (a rule returns the clause's probabilities; ``None`` leaves it to the model):

- dishonesty ("骗人", "忽悠", "lied") after the staff were named is criticism, and the
  staff's claim itself ("客服说是正品") is not praise;
- buck-passing ("让我自己找快递", "推给厂家", "不负责任") is criticism;
- thanks after trouble was resolved ("最后还是给我补发了，辛苦了") is praise, and the
  waiting that came before it is not held against the staff;
- a clause that names the staff (not the courier) and has a clear lexicon side (negation
  and double negation included: "客服也没有不耐烦") is judged by that side;
- a clause without a subject ("超级赞", "they could not fix anything") carries the
  judgement of the service clause before it, unless it is about the product ("质量太差了")
  or the courier, which then is not a service judgement.

The probabilities are fixed: what they are worth is measured by the held-out reliability
table of scripts/eval_reviews.py (docs/reviews-classifier.md).
"""

from __future__ import annotations

import re

Probabilities = tuple[float, float, float]  # (none, praise, criticism)

PRAISE: Probabilities = (0.08, 0.9, 0.02)
CRITICISM: Probabilities = (0.08, 0.02, 0.9)
NOT_SERVICE: Probabilities = (0.9, 0.05, 0.05)
# The lexicon's side is a vote, not a verdict: it is averaged with the learned model's
# probabilities (a clear lexicon side in a clause that only mentions the service in
# passing is often not a judgement of the staff; measured, see docs/reviews-classifier.md).
LEXICON_PRAISE: Probabilities = (0.1, 0.85, 0.05)
LEXICON_CRITICISM: Probabilities = (0.1, 0.05, 0.85)
VOTES = (LEXICON_PRAISE, LEXICON_CRITICISM)
CLEAR_LEXICON = 0.5  # the lexicon's clause score from which its side counts

_COURIER = re.compile(
    r"快递|物流|骑士|骑手|送餐|配送|外卖员|外卖小哥|送货|派件|派送|小哥|司机|"
    r"courier|delivery|driver|shipping|\bups\b|fedex|usps|postman"
)
# the shop's people by name of their role (not a reply, an attitude or a refund in passing)
_STAFF = re.compile(
    r"客服|售后|商家|卖家|店家|掌柜|老板|前台|服务员|\bstaff\b|support|customer service|seller|\bagent"
)
# the goods themselves: a clause about them judges the product, not the staff
_PRODUCT = re.compile(
    r"质量|东西|商品|产品|宝贝|衣服|外套|裤子|鞋|做工|面料|材质|颜色|色差|尺码|价格|性价比|"
    r"包装|味道|口感|效果|手机|机器|电池|屏幕|房间|床|菜|"
    r"quality|product|item|price|fit|size|material|battery|screen|headphones|room|food"
)
_DISHONEST = re.compile(
    r"骗|忽悠|撒谎|说谎|谎称|欺诈|虚假|误导|睁眼说瞎话|\blie[ds]?\b|\bliars?\b|\blying\b|scam|misled|misleading"
)
_BUCK_PASSING = re.compile(
    r"让我自己|叫我自己|要我自己|自己去找|推给|推脱|推卸|甩锅|踢皮球|互相推|不负责|没人管|不管不顾|"
    r"pass(?:ed|ing)? the buck|passed me|blamed (?:me|the)"
)
_THANKS = re.compile(r"辛苦|谢谢|感谢|多谢|thank")
_RESOLVED = re.compile(r"最后|终于|最终|总算|还是给|还是帮|finally|eventually|in the end")
_WAITING = re.compile(r"很久|好久|半天|几天|多天|一直|反复|多次|long time|hours|days|weeks|forever")
# staff saying something (the claim a later "骗人" refers to): not a judgement of its own
_CLAIM = re.compile(r"说是|说可以|说会|说没|承诺|保证|答应|promised|told me|said")


def _courier_subject(clause: str) -> bool:
    """The clause is about the courier: it starts with the courier or has no other subject."""
    m = _COURIER.search(clause)
    return bool(m) and m.start() <= 2


def _lexicon_side(lex: float, hits: int) -> Probabilities | None:
    if not hits or abs(lex) < CLEAR_LEXICON:
        return None
    return LEXICON_PRAISE if lex > 0 else LEXICON_CRITICISM


def _clause_rule(clause: str, lex: float, hits: int, term: str, previous_term: str, staff_before: bool):
    if _DISHONEST.search(clause) and (term or staff_before):
        return CRITICISM
    if _BUCK_PASSING.search(clause) and not _courier_subject(clause):
        return CRITICISM
    if term and _CLAIM.search(clause):
        return NOT_SERVICE
    if _COURIER.search(clause):
        return None  # who is judged is the learned model's call (a courier's attitude is not the shop's)
    # named staff, or a clause whose subject is the staff named just before ("… they never replied")
    if term and (_STAFF.search(clause) or _STAFF.search(previous_term)) and not _PRODUCT.search(clause):
        return _lexicon_side(lex, hits)
    if previous_term and not term:
        if _PRODUCT.search(clause):
            return NOT_SERVICE
        return _lexicon_side(lex, hits)
    return None


def rule_probabilities(
    clauses: list[str], lexicon: list[tuple[float, int]], terms: list[str]
) -> list[Probabilities | None]:
    """Per normalised clause, the rule's (none, praise, criticism) or ``None`` (model decides)."""
    out: list[Probabilities | None] = []
    staff_before = False
    resolved_at = -1
    for i, clause in enumerate(clauses):
        lex, hits = lexicon[i]
        previous_term = terms[i - 1] if i else ""
        judged = _clause_rule(clause, lex, hits, terms[i], previous_term, staff_before)
        if _THANKS.search(clause) and (staff_before or terms[i]) and not _COURIER.search(clause):
            judged = PRAISE
            if resolved_at >= 0 or _RESOLVED.search(clause):
                _forgive_waiting(clauses, out, i)
        if _RESOLVED.search(clause) and resolved_at < 0:
            resolved_at = i
        out.append(judged)
        staff_before = staff_before or bool(terms[i])
    return out


def _forgive_waiting(clauses: list[str], out: list[Probabilities | None], upto: int) -> None:
    """Thanks once the trouble was resolved: the earlier waiting is not a criticism."""
    for j in range(upto):
        if (
            _WAITING.search(clauses[j])
            and not _DISHONEST.search(clauses[j])
            and not _BUCK_PASSING.search(clauses[j])
        ):
            out[j] = NOT_SERVICE

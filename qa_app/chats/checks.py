"""Automatic checks: small pure functions over a chat's messages.

Each check takes the messages (anything with `sender`, `at`, `agent`, `text`, in order) and the
shop's rules, and returns an `Outcome`: pass, fail or not_measurable, a number where one makes
sense, and the position of the message that is the evidence. Time checks never guess: without
times on both sides of a reply they are not measurable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

PASS, FAIL, NOT_MEASURABLE = "pass", "fail", "not_measurable"
EXCERPT = 120


@dataclass(frozen=True)
class Rules:
    first_response_limit_seconds: int = 300
    forbidden_phrases: tuple[str, ...] = ()

    @property
    def average_limit_seconds(self) -> float:
        return self.first_response_limit_seconds / 2

    @classmethod
    def for_shop(cls, shop) -> Rules:
        phrases = tuple(p.strip() for p in (shop.forbidden_phrases or "").splitlines() if p.strip())
        return cls(shop.first_response_limit_seconds or 300, phrases)


class Outcome(NamedTuple):
    check: str
    result: str
    value: float | None = None
    position: int | None = None
    evidence: str | None = None


def _excerpt(text: str, around: int = 0) -> str:
    start = max(0, around - EXCERPT // 2) if around else 0
    piece = text[start:start + EXCERPT]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT < len(text) else "")


def _outcome(check, result, messages, position=None, value=None, around: int = 0) -> Outcome:
    evidence = _excerpt(messages[position].text, around) if position is not None else None
    return Outcome(check, result, None if value is None else round(float(value), 1), position, evidence)


def waits(messages: Sequence) -> list[tuple[float | None, int, int]]:
    """Each time the customer waited for an agent: (seconds or None, customer position, reply
    position). The wait runs from the first unanswered customer message to the next agent
    message; None when either side has no time."""
    result = []
    waiting_since = None
    for position, message in enumerate(messages):
        sender = message.sender
        if sender == "customer":
            if waiting_since is None:
                waiting_since = position
        elif sender == "agent" and waiting_since is not None:
            asked, answered = messages[waiting_since].at, message.at
            seconds = (answered - asked).total_seconds() if asked and answered else None
            result.append((seconds, waiting_since, position))
            waiting_since = None
    return result


def first_response_time(messages, rules: Rules, replies=None) -> Outcome:
    """`replies`: waits(messages) when the caller has them already (run_all)."""
    name = "first_response_time"
    replies = waits(messages) if replies is None else replies
    if not replies:
        first_customer = next((i for i, m in enumerate(messages) if m.sender == "customer"), None)
        if first_customer is None:
            return _outcome(name, NOT_MEASURABLE, messages)
        return _outcome(name, FAIL, messages, first_customer)  # never answered
    seconds, _asked, reply = replies[0]
    if seconds is None:
        return _outcome(name, NOT_MEASURABLE, messages, reply)
    result = PASS if seconds <= rules.first_response_limit_seconds else FAIL
    return _outcome(name, result, messages, reply, seconds)


def _measured(messages, replies=None):
    return [(s, reply) for s, _asked, reply in (waits(messages) if replies is None else replies)
            if s is not None]


def longest_wait(messages, rules: Rules, replies=None) -> Outcome:
    name = "longest_wait"
    measured = _measured(messages, replies)
    if not measured:
        return _outcome(name, NOT_MEASURABLE, messages)
    seconds, reply = max(measured, key=lambda item: item[0])
    result = PASS if seconds <= rules.first_response_limit_seconds else FAIL
    return _outcome(name, result, messages, reply, seconds)


def average_response_time(messages, rules: Rules, replies=None) -> Outcome:
    name = "average_response_time"
    measured = _measured(messages, replies)
    if not measured:
        return _outcome(name, NOT_MEASURABLE, messages)
    average = sum(s for s, _ in measured) / len(measured)
    slowest = max(measured, key=lambda item: item[0])[1]
    result = PASS if average <= rules.average_limit_seconds else FAIL
    return _outcome(name, result, messages, slowest, average)


GREETINGS = ("您好", "你好", "亲", "在的", "在呢", "欢迎", "很高兴", "早上好", "下午好", "晚上好",
             "hello", "hi", "hey", "good morning", "good afternoon", "good evening",
             "thanks for reaching out", "thank you for reaching out", "thanks for contacting",
             "welcome", "happy to help")
CLOSINGS = ("还有什么", "还有其他", "其他问题", "其他需要", "随时", "有问题再", "有需要", "祝您",
            "再见", "欢迎再来", "欢迎下次", "感谢您的", "感谢支持", "谢谢惠顾", "期待", "生活愉快",
            "anything else", "let us know", "feel free", "reach out", "have a great", "have a nice",
            "have a good", "happy to help", "glad to help", "here if you need", "here to help",
            "further questions", "further help", "any other question", "dm us", "take care")


def _pattern(words) -> re.Pattern:
    """Chinese words match anywhere; English words only as whole words ("hi" is not in "this")."""
    parts = [rf"\b{re.escape(w)}\b" if w.isascii() and w[:1].isalnum() else re.escape(w)
             for w in words]
    return re.compile("|".join(parts), re.IGNORECASE)


_PATTERNS: dict[tuple, re.Pattern] = {}


def _find(text: str, words) -> re.Match | None:
    pattern = _PATTERNS.get(words)
    if pattern is None:
        pattern = _PATTERNS[words] = _pattern(words)
    return pattern.search(text)


def _contains(text: str, words) -> bool:
    return _find(text, words) is not None


def greeting(messages, rules: Rules) -> Outcome:
    name = "greeting"
    first_agent = next((i for i, m in enumerate(messages) if m.sender == "agent"), None)
    if first_agent is None:
        return _outcome(name, NOT_MEASURABLE, messages)
    ok = _contains(messages[first_agent].text, GREETINGS)
    return _outcome(name, PASS if ok else FAIL, messages, first_agent)


def closing(messages, rules: Rules) -> Outcome:
    """The agent offers further help in one of their last two messages."""
    name = "closing"
    agent_positions = [i for i, m in enumerate(messages) if m.sender == "agent"]
    if not agent_positions:
        return _outcome(name, NOT_MEASURABLE, messages)
    for position in reversed(agent_positions[-2:]):
        if _contains(messages[position].text, CLOSINGS):
            return _outcome(name, PASS, messages, position)
    return _outcome(name, FAIL, messages, agent_positions[-1])


_LOWERED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _lowered(phrases: tuple[str, ...]) -> tuple[str, ...]:
    found = _LOWERED.get(phrases)
    if found is None:
        found = _LOWERED[phrases] = tuple(p.lower() for p in phrases)
    return found


def forbidden_phrases(messages, rules: Rules) -> Outcome:
    name = "forbidden_phrases"
    if not any(m.sender == "agent" for m in messages):
        return _outcome(name, NOT_MEASURABLE, messages)
    if not rules.forbidden_phrases:
        return _outcome(name, PASS, messages, value=0)
    phrases = _lowered(rules.forbidden_phrases)
    hits = []
    for position, message in enumerate(messages):
        if message.sender != "agent":
            continue
        lowered = message.text.lower()
        for phrase in phrases:
            index = lowered.find(phrase)
            if index >= 0:
                hits.append((position, index))
    if not hits:
        return _outcome(name, PASS, messages, value=0)
    position, index = hits[0]
    return _outcome(name, FAIL, messages, position, len(hits), around=index)


ACKNOWLEDGEMENTS = ("好的", "好", "嗯", "谢谢", "多谢", "收到", "知道了", "明白", "行", "可以", "ok",
                    "okay", "thanks", "thank you", "thx", "got it", "great", "perfect", "👍", "🙏",
                    "拜拜", "bye")


def _is_acknowledgement(text: str) -> bool:
    stripped = re.sub(r"@\w+", "", text).strip().lower()  # Twitter handles
    if not stripped or "?" in stripped or "？" in stripped or "吗" in stripped:
        return False
    return len(stripped) <= 20 and _contains(stripped, ACKNOWLEDGEMENTS)


def unanswered_end(messages, rules: Rules) -> Outcome:
    """The customer wrote last and it needed an answer (a plain "ok, thanks" does not)."""
    name = "unanswered_end"
    spoken = [i for i, m in enumerate(messages) if m.sender != "system"]
    if not spoken:
        return _outcome(name, NOT_MEASURABLE, messages)
    last = spoken[-1]
    if messages[last].sender == "customer" and not _is_acknowledgement(messages[last].text):
        return _outcome(name, FAIL, messages, last)
    return _outcome(name, PASS, messages, last)


def transfers(messages, rules: Rules) -> Outcome:
    """Hand-overs between agents; one transfer is routine, two or more bounce the customer."""
    name = "transfers"
    handovers = []
    current = None
    for position, message in enumerate(messages):
        if message.sender != "agent" or not message.agent:
            continue
        if current is not None and message.agent != current:
            handovers.append(position)
        current = message.agent
    if not handovers:
        return _outcome(name, PASS, messages, value=0)
    result = PASS if len(handovers) <= 1 else FAIL
    return _outcome(name, result, messages, handovers[0], len(handovers))


NEGATIVE = ("差评", "投诉", "太差", "很差", "真差", "垃圾", "骗子", "欺骗", "骗人", "失望", "生气",
            "气死", "不满意", "无语", "坑人", "太慢", "什么态度", "态度差", "敷衍", "举报", "12315",
            "算了", "不买了", "再也不", "恶心", "退钱", "terrible", "worst", "disappointed",
            "disappointing", "angry", "ridiculous", "useless", "complaint", "never again",
            "still haven't", "still not", "unacceptable", "scam", "awful", "horrible", "frustrated", "frustrating",
            "waste of", "pathetic", "rude", "not happy", "unhappy")


def negative_ending(messages, rules: Rules) -> Outcome:
    """The customer's last two messages carry a negative cue from a small bilingual lexicon."""
    name = "negative_ending"
    customer = [i for i, m in enumerate(messages) if m.sender == "customer"]
    if not customer:
        return _outcome(name, NOT_MEASURABLE, messages)
    for position in reversed(customer[-2:]):
        found = _find(messages[position].text, NEGATIVE)
        if found:
            return _outcome(name, FAIL, messages, position, around=found.start())
    return _outcome(name, PASS, messages, customer[-1])


CHECKS: dict[str, Callable] = {
    "first_response_time": first_response_time,
    "longest_wait": longest_wait,
    "average_response_time": average_response_time,
    "greeting": greeting,
    "closing": closing,
    "forbidden_phrases": forbidden_phrases,
    "unanswered_end": unanswered_end,
    "transfers": transfers,
    "negative_ending": negative_ending,
}


_USE_WAITS = (first_response_time, longest_wait, average_response_time)


def run_all(messages, rules: Rules) -> list[Outcome]:
    replies = waits(messages)  # shared by the three time checks: the importer runs this per chat
    return [check(messages, rules, replies) if check in _USE_WAITS else check(messages, rules)
            for check in CHECKS.values()]

"""Time checks. They never guess: without times on both sides of a reply they are not measurable."""

from __future__ import annotations

from collections.abc import Sequence

from .base import FAIL, NOT_MEASURABLE, PASS, Outcome, Rules, outcome


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
            return outcome(name, NOT_MEASURABLE, messages)
        return outcome(name, FAIL, messages, first_customer)  # never answered
    seconds, _asked, reply = replies[0]
    if seconds is None:
        return outcome(name, NOT_MEASURABLE, messages, reply)
    result = PASS if seconds <= rules.first_response_limit_seconds else FAIL
    return outcome(name, result, messages, reply, seconds)


def _measured(messages, replies=None):
    return [
        (s, reply) for s, _asked, reply in (waits(messages) if replies is None else replies) if s is not None
    ]


def longest_wait(messages, rules: Rules, replies=None) -> Outcome:
    name = "longest_wait"
    measured = _measured(messages, replies)
    if not measured:
        return outcome(name, NOT_MEASURABLE, messages)
    seconds, reply = max(measured, key=lambda item: item[0])
    result = PASS if seconds <= rules.first_response_limit_seconds else FAIL
    return outcome(name, result, messages, reply, seconds)


def average_response_time(messages, rules: Rules, replies=None) -> Outcome:
    name = "average_response_time"
    measured = _measured(messages, replies)
    if not measured:
        return outcome(name, NOT_MEASURABLE, messages)
    average = sum(s for s, _ in measured) / len(measured)
    slowest = max(measured, key=lambda item: item[0])[1]
    result = PASS if average <= rules.average_limit_seconds else FAIL
    return outcome(name, result, messages, slowest, average)

"""Automatic checks: small pure functions over a chat's messages.

Each check takes the messages (anything with `sender`, `at`, `agent`, `text`, in order) and the
shop's rules, and returns an `Outcome`: pass, fail or not_measurable, a number where one makes
sense, and the position of the message that is the evidence. A check that the data or the shop's
settings cannot decide says not_measurable, never pass (docs/chat-checks.md).
"""

from __future__ import annotations

from collections.abc import Callable

from .agent import closing, forbidden_phrases, greeting, self_introduction, transfers
from .base import EXCERPT, FAIL, NOT_MEASURABLE, PASS, Outcome, Rules
from .ending import negative_cue, negative_ending, unanswered_end
from .timing import average_response_time, first_response_time, longest_wait, waits

__all__ = [
    "CHECKS",
    "EXCERPT",
    "FAIL",
    "NOT_MEASURABLE",
    "PASS",
    "Outcome",
    "Rules",
    "run_all",
    "waits",
    "first_response_time",
    "longest_wait",
    "average_response_time",
    "greeting",
    "self_introduction",
    "closing",
    "forbidden_phrases",
    "unanswered_end",
    "transfers",
    "negative_ending",
    "negative_cue",
]

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
    "self_introduction": self_introduction,
}

_USE_WAITS = (first_response_time, longest_wait, average_response_time)


def run_all(messages, rules: Rules, transferred: bool | None = None) -> list[Outcome]:
    """Every check, first_response_time first. `transferred`: the chat's flag (None: unknown)."""
    replies = waits(messages)  # shared by the three time checks: the importer runs this per chat
    results = []
    for check in CHECKS.values():
        if check in _USE_WAITS:
            results.append(check(messages, rules, replies))
        elif check is transfers:
            results.append(check(messages, rules, transferred))
        else:
            results.append(check(messages, rules))
    return results

"""The automatic checks as pure functions over messages."""

from datetime import timedelta

from qa_app.chats import checks
from qa_app.chats.parsing import ParsedMessage
from tests.chats.factories import T0

RULES = checks.Rules(first_response_limit_seconds=300, forbidden_phrases=("不知道", "not my job"))


def m(sender, text, seconds=None, agent="小美"):
    at = T0 + timedelta(seconds=seconds) if seconds is not None else None
    return ParsedMessage(sender=sender, text=text, at=at, agent=agent if sender == "agent" else None)


def test_first_response_within_the_limit_passes_with_the_reply_as_evidence():
    outcome = checks.first_response_time([m("customer", "在吗", 0), m("agent", "亲，在的", 45)], RULES)
    assert (outcome.result, outcome.value, outcome.position) == ("pass", 45.0, 1)


def test_first_response_over_the_shop_limit_fails():
    outcome = checks.first_response_time([m("customer", "在吗", 0), m("agent", "在的", 301)], RULES)
    assert (outcome.result, outcome.value) == ("fail", 301.0)


def test_time_checks_are_not_measurable_without_times():
    messages = [m("customer", "在吗"), m("agent", "您好")]
    results = {
        check: fn(messages, RULES).result
        for check, fn in checks.CHECKS.items()
        if check in ("first_response_time", "longest_wait", "average_response_time")
    }
    assert set(results.values()) == {"not_measurable"}


def test_longest_wait_cites_the_slowest_reply():
    messages = [
        m("customer", "a", 0),
        m("agent", "b", 30),
        m("customer", "c", 60),
        m("customer", "d", 90),
        m("agent", "e", 700),
    ]
    outcome = checks.longest_wait(messages, RULES)
    assert (outcome.result, outcome.value, outcome.position) == ("fail", 640.0, 4)


def test_average_response_time_fails_above_half_the_limit():
    messages = [m("customer", "a", 0), m("agent", "b", 100), m("customer", "c", 200), m("agent", "d", 400)]
    outcome = checks.average_response_time(messages, RULES)
    assert (outcome.result, outcome.value) == ("pass", 150.0)


def test_greeting_is_recognised_in_chinese_and_english():
    assert checks.greeting([m("customer", "hi"), m("agent", "您好，有什么可以帮您")], RULES).result == "pass"
    assert (
        checks.greeting([m("customer", "hi"), m("agent", "Hi Anna, sorry to hear that")], RULES).result
        == "pass"
    )


def test_english_greeting_word_inside_another_word_does_not_count():
    assert checks.greeting([m("agent", "This is fixed now")], RULES).result == "fail"


def test_missing_closing_fails_citing_the_last_agent_message():
    messages = [m("customer", "发货了吗"), m("agent", "已经发了"), m("customer", "好")]
    outcome = checks.closing(messages, RULES)
    assert (outcome.result, outcome.position) == ("fail", 1)


def test_offer_of_further_help_passes_closing():
    messages = [m("customer", "thanks"), m("agent", "Anything else I can help with?")]
    assert checks.closing(messages, RULES).result == "pass"


def test_forbidden_phrase_fails_with_the_message_and_an_excerpt():
    messages = [m("customer", "这个能退吗"), m("agent", "这个我也不知道哦")]
    outcome = checks.forbidden_phrases(messages, RULES)
    assert (outcome.result, outcome.position, outcome.value) == ("fail", 1, 1.0)
    assert "不知道" in outcome.evidence


def test_forbidden_phrases_only_count_agent_messages():
    messages = [m("customer", "你们客服什么都不知道"), m("agent", "抱歉，我马上帮您查")]
    assert checks.forbidden_phrases(messages, RULES).result == "pass"


def test_customer_question_left_at_the_end_fails_unanswered_end():
    messages = [m("agent", "您好"), m("customer", "那什么时候发货？")]
    outcome = checks.unanswered_end(messages, RULES)
    assert (outcome.result, outcome.position) == ("fail", 1)


def test_customer_thanks_at_the_end_needs_no_answer():
    messages = [m("agent", "已为您改好地址"), m("customer", "好的谢谢")]
    assert checks.unanswered_end(messages, RULES).result == "pass"


def test_two_handovers_between_agents_fail_transfers():
    messages = [m("agent", "a", agent="小美"), m("agent", "b", agent="小林"), m("agent", "c", agent="小王")]
    outcome = checks.transfers(messages, RULES)
    assert (outcome.result, outcome.value, outcome.position) == ("fail", 2.0, 1)


def test_one_handover_is_a_routine_transfer():
    messages = [m("agent", "a", agent="小美"), m("customer", "x"), m("agent", "b", agent="小林")]
    assert checks.transfers(messages, RULES).result == "pass"


def test_negative_last_customer_message_fails_negative_ending():
    messages = [m("agent", "您好"), m("customer", "太失望了，我要投诉")]
    outcome = checks.negative_ending(messages, RULES)
    assert (outcome.result, outcome.position) == ("fail", 1)


def test_english_complaint_at_the_end_is_negative():
    messages = [m("agent", "Hello"), m("customer", "This is ridiculous, worst service ever")]
    assert checks.negative_ending(messages, RULES).result == "fail"


def test_chat_without_customer_messages_has_no_measurable_ending():
    assert checks.negative_ending([m("agent", "您好")], RULES).result == "not_measurable"

"""The checks judge the act, not a keyword: real JD/Taobao phrasing a QA specialist agrees with."""

import pytest

from qa_app.chats import checks
from tests.chats.test_checks import m

RULES = checks.Rules(forbidden_phrases=("不知道", "不归我管"))


def result(check, *messages, rules=RULES):
    return checks.CHECKS[check](list(messages), rules).result


# -- greeting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "有什么问题我可以帮您处理或解决呢?",
        "尊敬的商家朋友，请问有什么可以帮您的呢?",
        "请问您是咨询之前的问题还是有其他的问题需要处理呢?",
        "您想咨询什么问题呢",
        "还有什么可以帮您的吗?",
    ],
)
def test_platform_openers_and_offers_of_help_count_as_a_greeting(text):
    assert result("greeting", m("customer", "人工客服"), m("agent", text)) == "pass"


def test_an_address_word_counts_only_when_it_opens_the_message_after_pasted_orders():
    assert result("greeting", m("agent", "[订单x] 亲爱的您这个预计是明天到")) == "pass"
    assert result("greeting", m("agent", "订单号方便提供下吗 亲爱的")) == "fail"


def test_a_hold_line_alone_is_not_a_greeting():
    assert result("greeting", m("customer", "我的快递呢"), m("agent", "还请您稍等，正在为您查询~")) == "fail"


def test_an_offer_of_further_help_after_business_is_not_a_greeting():
    assert result("greeting", m("agent", "已经发货了哦 还有什么可以帮您的吗")) == "fail"


def test_present_answers_are_you_there_but_now_does_not():
    assert result("greeting", m("customer", "在吗"), m("agent", "在的呢")) == "pass"
    assert result("greeting", m("customer", "多少钱"), m("agent", "现在的价格是99元")) == "fail"


def test_the_shops_own_accepted_openers_count():
    shop = checks.Rules(accepted_openers=("小店恭候多时",))
    messages = (m("customer", "在不"), m("agent", "小店恭候多时！"))
    assert result("greeting", *messages, rules=shop) == "pass"
    assert result("greeting", *messages, rules=checks.Rules(accepted_openers=())) == "fail"


# -- self-introduction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["您好，我是客服小美", "小美为您服务", "您好，[数字x]客服小蜜蜜很高兴为您服务", "Hi, my name is Anna"],
)
def test_an_agent_naming_themself_passes_self_introduction(text):
    assert result("self_introduction", m("customer", "在吗"), m("agent", text)) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "您好，很高兴为您服务",
        "请问有什么可以为您服务的吗",
        "亲爱的，小妹在的哦，很高兴为您服务哟",
        "I'm Sorry to hear that",
    ],
)
def test_service_formulas_without_a_name_fail_self_introduction(text):
    assert result("self_introduction", m("customer", "在吗"), m("agent", text)) == "fail"


def test_self_introduction_is_pass_or_fail_even_without_agent_messages():
    assert result("self_introduction", m("customer", "在吗")) == "fail"


# -- closing -------------------------------------------------------------------------------------


def test_a_punctuation_only_last_message_does_not_hide_the_closing():
    assert (
        result("closing", m("agent", "请问还有其他可以帮到您的吗?"), m("customer", "没有了"), m("agent", "~"))
        == "pass"
    )


def test_you_are_welcome_alone_is_not_a_closing():
    assert result("closing", m("customer", "谢谢"), m("agent", "不客气")) == "fail"


def test_an_offer_of_help_third_from_last_is_not_a_closing():
    assert (
        result(
            "closing",
            m("agent", "还有什么可以帮到您呢?"),
            m("customer", "端午节快乐"),
            m("agent", "同乐同乐"),
            m("customer", "哈哈"),
            m("agent", "粽子吃了吗"),
        )
        == "fail"
    )


def test_a_rating_request_is_a_closing():
    assert result("closing", m("agent", "还请稍后点击小红心 对我的服务做出评价哦!")) == "pass"


def test_the_shops_closing_phrases_decide():
    shop = checks.Rules(closing_phrases=("欢迎再次光临",))
    assert result("closing", m("agent", "欢迎再次光临小店"), rules=shop) == "pass"
    assert result("closing", m("agent", "祝您生活愉快"), rules=shop) == "fail"


# -- unanswered end ------------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["没有了", "再见", "哦", "没了，我等解决了再来", "暂不用了。"])
def test_declining_anything_else_is_a_proper_end(reply):
    assert (
        result("unanswered_end", m("agent", "请问还有其他还可以帮到您的吗?"), m("customer", reply)) == "pass"
    )


def test_no_other_questions_ends_the_chat_without_the_offer():
    assert (
        result("unanswered_end", m("agent", "已经为您催促了"), m("customer", "暂时没有其他问题了")) == "pass"
    )


def test_no_answering_a_question_still_needs_a_reply():
    assert (
        result("unanswered_end", m("agent", "您有订单号吗"), m("customer", "没有，手机号可以查吗")) == "fail"
    )


# -- negative ending -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你们就可以随便降价…为什么电脑保价时间这么短",
        "到现在还没有派送 等着要呢",
        "再这样我就给差评了",
        "我要投诉你们",
        "京东物流是不是太忽悠人了",
        "那就算了",
        "你本来什么都没帮到我",
    ],
)
def test_a_final_complaint_threat_or_unmet_wait_is_a_negative_ending(text):
    assert (
        result("negative_ending", m("customer", "我的订单呢"), m("agent", "正在配送中"), m("customer", text))
        == "fail"
    )


@pytest.mark.parametrize(
    "text",
    [
        "京东从不让人失望",
        "奥 谢谢你 要是不行的话就算了吧",
        "不会给差评的放心",
        "急用，尽快发货哦",
        "那为什么订单状态还没变 看到了，已经变了",
    ],
)
def test_negation_politeness_urgency_and_retractions_are_not_negative(text):
    assert result("negative_ending", m("agent", "已经为您加急了"), m("customer", text)) == "pass"


def test_one_complaint_then_thanks_ends_well():
    assert (
        result(
            "negative_ending",
            m("customer", "怎么还没发货"),
            m("agent", "今天下午发出"),
            m("customer", "好的，谢谢你"),
        )
        == "pass"
    )


def test_one_complaint_then_only_a_bare_acknowledgement_ends_badly():
    assert (
        result(
            "negative_ending",
            m("customer", "又七天啊"),
            m("agent", "预计是的"),
            m("customer", "好吧"),
            m("agent", "还有其他可以帮您的吗"),
            m("customer", "没了"),
        )
        == "fail"
    )


def test_a_complaint_before_the_last_three_customer_messages_is_ignored():
    assert (
        result(
            "negative_ending",
            m("customer", "不要了!这么慢!"),
            m("customer", "重新下单上海有货的"),
            m("customer", "要今天就能送达的"),
            m("customer", "已经评价了"),
        )
        == "pass"
    )


@pytest.mark.parametrize("text", ["人呢…", "到底什么时候能到", "查到没"])
def test_a_customer_still_chasing_at_the_end_is_a_negative_ending(text):
    assert result("negative_ending", m("agent", "您稍等，帮您查询"), m("customer", text)) == "fail"


def test_an_early_chase_answered_and_thanked_is_not_a_negative_ending():
    assert (
        result(
            "negative_ending",
            m("customer", "人呢?"),
            m("agent", "您好，在的，已经为您加急"),
            m("customer", "好的，谢谢"),
        )
        == "pass"
    )


@pytest.mark.parametrize("text", ["我查快递都签收了，", "站点在哪? 不是时时更新的吗"])
def test_a_customer_contradicting_the_agent_is_a_negative_ending(text):
    assert result("negative_ending", m("agent", "您的商品已经在审核了"), m("customer", text)) == "fail"


@pytest.mark.parametrize("text", ["是不是自营的吗", "这个不是很急", "我查一下订单号"])
def test_ordinary_questions_about_facts_are_not_contradictions(text):
    assert result("negative_ending", m("agent", "您的商品已经在审核了"), m("customer", text)) == "pass"


def test_blaming_the_delay_on_the_shop_is_a_negative_ending():
    assert (
        result("negative_ending", m("agent", "会尽快帮您出库的哦"), m("customer", "后台影响时效")) == "fail"
    )


def test_asking_about_effects_without_blame_is_not_negative():
    assert result("negative_ending", m("agent", "可以退换"), m("customer", "会影响保修吗")) == "pass"


def test_asking_again_when_after_a_complaint_is_a_negative_ending():
    assert (
        result(
            "negative_ending",
            m("customer", "到现在还没派送"),
            m("agent", "已经为您催促站点"),
            m("customer", "那啥时候能收到"),
            m("agent", "预计明天送达"),
        )
        == "fail"
    )


def test_asking_when_without_an_earlier_complaint_is_not_negative():
    assert (
        result(
            "negative_ending",
            m("customer", "我的订单呢"),
            m("agent", "正在配送中"),
            m("customer", "那啥时候能收到"),
            m("agent", "预计明天送达"),
        )
        == "pass"
    )


def test_a_resigned_ellipsis_okay_is_negative():
    assert result("negative_ending", m("agent", "备注是没有用的"), m("customer", "……好吧")) == "fail"


# -- forbidden phrases -----------------------------------------------------------------------------


def test_forbidden_phrases_are_not_measurable_when_the_shop_has_no_list():
    messages = (m("customer", "在吗"), m("agent", "不知道"))
    assert result("forbidden_phrases", *messages, rules=checks.Rules()) == "not_measurable"


def test_a_forbidden_word_inside_an_allowed_template_does_not_count():
    assert (
        result("forbidden_phrases", m("agent", "暂时不知道您的问题我是否为您解决完毕，请您稍后评价"))
        == "pass"
    )


def test_the_shops_allowed_templates_decide():
    shop = checks.Rules(forbidden_phrases=("不知道",), allowed_templates=("不知道您满意吗",))
    assert result("forbidden_phrases", m("agent", "不知道您满意吗?"), rules=shop) == "pass"
    assert (
        result(
            "forbidden_phrases",
            m("agent", "不知道您满意吗?"),
            rules=checks.Rules(forbidden_phrases=("不知道",), allowed_templates=()),
        )
        == "fail"
    )


def test_a_refusal_with_an_apology_does_not_count():
    assert result("forbidden_phrases", m("agent", "很抱歉，这个我也不知道，马上帮您问问")) == "pass"


def test_a_flat_refusal_counts():
    assert result("forbidden_phrases", m("agent", "这个不归我管")) == "fail"


# -- transfers -----------------------------------------------------------------------------------


def test_transfers_are_not_measurable_without_per_message_agents_or_a_flag():
    messages = [m("customer", "在吗"), m("agent", "您好"), m("agent", "请稍等")]
    assert checks.transfers(messages, RULES).result == "not_measurable"


def test_the_chat_flag_reports_one_hand_over():
    messages = [m("customer", "在吗"), m("agent", "您好")]
    assert checks.transfers(messages, RULES, transferred=True)[1:3] == ("pass", 1.0)
    assert checks.transfers(messages, RULES, transferred=False)[1:3] == ("pass", 0.0)


def test_per_message_agents_count_hand_overs():
    messages = [
        m("agent", "您好", agent="小美"),
        m("agent", "我来处理", agent="小王"),
        m("agent", "转给售后", agent="小李"),
    ]
    assert checks.transfers(messages, RULES)[1:3] == ("fail", 2.0)


def test_run_all_passes_the_chat_flag_to_transfers():
    outcomes = {o.check: o for o in checks.run_all([m("agent", "您好")], RULES, transferred=True)}
    assert (outcomes["transfers"].result, outcomes["transfers"].value) == ("pass", 1.0)

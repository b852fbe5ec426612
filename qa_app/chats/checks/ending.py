"""Checks on how the chat ends: a customer left waiting, an unhappy customer."""

from __future__ import annotations

import re

from .base import FAIL, NOT_MEASURABLE, PASS, Outcome, Rules, outcome, positions

ACKNOWLEDGEMENT = re.compile(
    r"好的|好滴|好嘞|好吧|好|嗯|谢谢|多谢|感谢|收到|知道了|明白|行|可以|没事|再见|拜拜|哦|噢|奥|👍|🙏"
    r"|\b(?:ok|okay|thanks|thank you|thx|got it|great|perfect|bye)\b"
)
# the customer's "没有了" / "再见" / "哦" after the agent's "还有其他…吗?" is a proper end
ANYTHING_ELSE = re.compile(
    r"还有(?:什么|其他|别的|木有|没有|没)|其他(?:问题|需要)|还需要"
    r"|\banything else\b|\bany other\b"
)
NOTHING_MORE = re.compile(r"^(?:没有|没了|没啦|木有|没|不用|暂时|暂不|暂无|不需要|no\b|nope|that'?s all)")
# "暂时没有其他问题了" ends a chat whether or not the agent asked
NO_MORE_QUESTIONS = re.compile(r"没(?:有)?(?:其他|别的|其它)(?:问题|需要|的)?了")
QUESTION = re.compile(r"[?？吗么]")


def _handle_free(text: str) -> str:
    return re.sub(r"@\w+", "", text).strip().lower()  # Twitter handles


def _is_acknowledgement(text: str) -> bool:
    stripped = _handle_free(text)
    if not stripped or QUESTION.search(stripped):
        return False
    return len(stripped) <= 20 and ACKNOWLEDGEMENT.search(stripped) is not None


def _ends_after_offer(messages, last: int) -> bool:
    """The customer declines the agent's offer of further help."""
    agent = next((m.text for m in reversed(messages[:last]) if m.sender == "agent"), "").lower()
    text = _handle_free(messages[last].text)
    if len(text) <= 20 and NO_MORE_QUESTIONS.search(text) and not QUESTION.search(text):
        return True
    return bool(
        ANYTHING_ELSE.search(agent)
        and len(text) <= 30
        and (NOTHING_MORE.match(text) or _is_acknowledgement(text[:20]))
    )


def unanswered_end(messages, rules: Rules) -> Outcome:
    """The customer wrote last and it needed an answer (a plain "ok, thanks", or "没有了" after
    "anything else?", does not)."""
    name = "unanswered_end"
    spoken = [i for i, m in enumerate(messages) if m.sender != "system"]
    if not spoken:
        return outcome(name, NOT_MEASURABLE, messages)
    last = spoken[-1]
    if (
        messages[last].sender == "customer"
        and not _is_acknowledgement(messages[last].text)
        and not _ends_after_offer(messages, last)
    ):
        return outcome(name, FAIL, messages, last)
    return outcome(name, PASS, messages, last)


# --- negative ending -------------------------------------------------------------------------
# Words of dissatisfaction. Those that a negation turns around ("从不让人失望", "不会给差评")
# are in NEGATABLE; the rest carry their own negation (不满意, 没用) or cannot be negated.
NEGATABLE = (
    r"失望|差评|投诉|生气|气死|坑人|坑爹|骗人|骗子|欺骗|敷衍|举报|恶心|垃圾|太差|很差|真差|太慢"
    r"|郁闷|无语|过分|离谱|后悔|忽悠"
)
NEGATED = re.compile(rf"(?:(?<!是)不|没|别|从不|从没|不会|不要|没有)[^，,。.!！?？\s]{{0,3}}(?:{NEGATABLE})")
NEGATIVE = re.compile(
    rf"{NEGATABLE}|不满意|不靠谱|什么态度|态度差|没啥用|没什么用|鸟用|没用|白买|没意思|受不了|崩溃|醉了"
    r"|服了|扯淡|12315|曝光|消协|工商|退钱|不买了|不要了|不想要了|再也不|太坑|无奈|竟然|居然"
    r"|没帮到|没帮上|什么都没|(?<![你您])好麻烦|太麻烦|什么(?:速度|效率|服务)|[哪那]有这种|机器人|太久|烂的|烂了|(?:就|随便)降价"
    # rhetorical complaints: 为什么…这么…, 凭什么, 怎么还没…
    r"|(?:为什么|为啥|凭什么)[^。！!]{0,15}(?:这么|那么|又|都不|还不|还没|不能|没有)|凭什么"
    r"|怎么[^。！!]{0,15}(?:这么|那么|又|都不|还不|还没|老是|总是)"
    r"|(?:为什么|为啥)[^。！!?？]{0,8}(?:不|没)"
    r"|(?:为什么|为啥)[^。！!]{0,6}(?:别人|有人|人家)"
    r"|这么(?:慢|久|差)|说好的|明明|并没有说|又(?:要)?(?:等)?[一二三四五六七八九十两几\d]+(?:天|周|个)"
    # waits the customer is still in: 还没到, 到现在还没派送, 等着要呢
    r"|还没(?:有)?(?:到|收到|送|派送|派件|发货|发|来|退|处理|解决|回复|联系|给)|到现在(?:还|都|也)|一直(?:没|不)"
    r"|都没(?:有)?(?:到|收到|人)|等着要|迟迟|等了[^，,。]{0,4}(?:天|久)|天天催|催了"
    r"|(?:都|已经)[^，,。]{0,4}[一二三四五六七八九十两几\d\]]+(?:天|周)了"
    # the customer ends chasing (人呢, 到底, 查到没), contradicting what the agent said
    # (不是…吗, 我查…都签收了) or blaming the delay on the shop (影响时效, 耽误)
    r"|人呢|有人吗|到底|怎么还|查到没|查到了没|(?<!是)不是[^，,。!！?？]{1,12}(?:吗|嘛)"
    r"|我(?:查|看)[^，,。!！?？]{0,8}(?:都|已经|明明)|影响(?:时效|使用|收货)|耽误|耽搁"
    r"|terrible|worst|disappointed|disappointing|angry|ridiculous|useless|complaint|never again"
    r"|still haven't|still not|unacceptable|scam|awful|horrible|frustrat|waste of|pathetic|rude"
    r"|not happy|unhappy"
)
# "算了" is giving up, unless it is a polite conditional: "要是不行的话就算了吧"
GIVING_UP = re.compile(r"算了")
CONDITIONAL = re.compile(r"(?:要是|如果|假如|的话|不行就|实在不行)[^。！!?？]{0,8}算了")
# a resigned "……好吧" (a plain 好吧 is an acknowledgement, below)
RESIGNED = re.compile(r"^(?:…|\.{2,}|。{2,})+\s*好吧")
THANKS = re.compile(r"谢|感谢|辛苦|麻烦你了|麻烦您了|\bthank|\bthx\b")
BARE = re.compile(
    r"^(?:好的?|(?:那|哦|嗯)?\s*(?:好吧|行吧)|嗯+|哦+|噢|奥|行|没了|没有了?|没啦|知道了|ok|okay)[\s,，.。!！~～、]*$"
)

# a customer who asks again when, or how long, after a complaint is still waiting, not moving on
STILL_WAITING = re.compile(r"(?:啥|什么)时候|多久|几天|还要|还得|\bwhen\b|how long")

# the customer takes the complaint back in the same message: "为什么还没变 看到了，已经变了"
SETTLED = re.compile(r"(?:看到了|已经(?:变|到|好|收到|解决|处理)|好了|解决了|可以了|没事了|找到了)")


def negative_cue(text: str) -> re.Match | None:
    """The first sign of dissatisfaction in a customer message, if any (patterns are lower case:
    IGNORECASE makes Python's re several times slower on these alternations)."""
    cleaned = NEGATED.sub(lambda m: " " * len(m.group()), text.lower())
    settled = SETTLED.search(cleaned)
    if settled:
        cleaned = " " * settled.end() + cleaned[settled.end() :]
    found = NEGATIVE.search(cleaned) or RESIGNED.search(cleaned.strip())
    if found:
        return found
    for giving_up in GIVING_UP.finditer(cleaned):
        if not CONDITIONAL.search(cleaned[: giving_up.end()]):
            return giving_up
    return None


def negative_ending(messages, rules: Rules) -> Outcome:
    """Among the customer's last three messages: the final one is negative, or two are, or one
    is and only bare acknowledgements (好的/嗯/好吧/没了) follow it. A complaint followed by
    thanks or by further business ends well."""
    name = "negative_ending"
    customer = positions(messages, "customer")
    if not customer:
        return outcome(name, NOT_MEASURABLE, messages)
    window = customer[-3:]
    cues = [(position, negative_cue(messages[position].text)) for position in window]
    negative = [(position, cue) for position, cue in cues if cue]
    if not negative:
        return outcome(name, PASS, messages, customer[-1])
    position, cue = negative[-1]
    after = [messages[p].text.lower() for p in window if p > position]
    bad = (
        position == window[-1]
        or len(negative) >= 2
        or (
            not any(THANKS.search(t) for t in after)
            and all(BARE.match(t.strip()) or STILL_WAITING.search(t) for t in after)
        )
    )
    if bad:
        return outcome(name, FAIL, messages, position, around=cue.start())
    return outcome(name, PASS, messages, customer[-1])

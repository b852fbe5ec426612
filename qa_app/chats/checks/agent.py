"""Checks on what the agent says: greeting, self-introduction, closing, forbidden phrases, and
hand-overs between agents. Each judges the act (a welcome, an offer of help, a refusal), not the
mere presence of a word: see docs/chat-checks.md for the rules and how they were measured."""

from __future__ import annotations

import re

from .base import (
    FAIL,
    NOT_MEASURABLE,
    PASS,
    Outcome,
    Rules,
    contains_phrase,
    find,
    is_punctuation,
    outcome,
    phrases,
    positions,
)

# a greeting word or welcome anywhere in the first agent message (X好, 欢迎, 很高兴为您服务…)
GREETING = re.compile(
    r"您好|你好|早上好|上午好|中午好|下午好|晚上好|早安|ninhao|nihao|欢迎|很高兴(?:为|能|遇|见)|为您效劳"
    r"|为您服务|\b(?:hello|hi|hey|good (?:morning|afternoon|evening))\b|welcome|happy to help"
    r"|thanks? (?:you )?for (?:reaching out|contacting)"
)
# an open offer of help: "有什么可以帮您", "您想咨询什么问题呢", "您方便简单描述下您的问题吗"
OFFER = re.compile(
    r"(?:有什么|有啥|什么问题|需要什么|有何)[^。！!？?]{0,10}(?:帮|服务|效劳|处理|解决|咨询|需要|问题)"
    r"|(?:描述|说明|说)一?下[^。！!？?]{0,6}问题|遇到[^。！!？?]{0,4}什么|想咨询|咨询什么"
    r"|\b(?:how (?:can|may) i help|what can i do for you)\b"
)
# order numbers, links and other placeholders an export pastes before the agent's words
LEAD = re.compile(r"^(?:\s|\[[^\]]*\]|[#＃:：,，.。!！~～\-])*")
ADDRESS = re.compile(r"^(?:亲爱的|亲爱哒|亲亲|亲|小主|客官|dear\b)")
# "在的" answering "在吗" (not the 在的 of 现在的, 存在的…)
PRESENT = re.compile(r"(?<![现实存所正自还])在(?:的|呢|哦|哈|滴|嘞)")
ARE_YOU_THERE = re.compile(r"在吗|在么|在不|有人吗|有人在|有没有人")


POLITE_LEAD = re.compile(r"请问|您好|你好|亲爱的|亲爱哒|亲|[\s,，.。!！~～]")


def _offers_help(text: str) -> bool:
    """An offer of help, unless it is the "还有什么…" tacked on after business content (the same
    line as the whole message is an offer)."""
    for match in OFFER.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] == "还" and POLITE_LEAD.sub("", text[: start - 1]):
            continue
        return True
    return False


def _is_greeting(text: str, previous: str, rules: Rules) -> bool:
    """`text` lowered: the patterns are lower case (IGNORECASE makes Python's re much slower)."""
    body = text[LEAD.match(text).end() :]
    if not body:
        return False
    return bool(
        contains_phrase(body, rules.accepted_openers)
        or GREETING.search(body)
        or ADDRESS.match(body)
        or PRESENT.search(body)
        or _offers_help(body)
        or (body.startswith("有的") and ARE_YOU_THERE.search(previous))
    )


def greeting(messages, rules: Rules) -> Outcome:
    """The agent's first message greets, welcomes or offers help (a shop's accepted openers
    count); a bare address word (亲…) only when it opens the message."""
    name = "greeting"
    agents = positions(messages, "agent")
    if not agents:
        return outcome(name, NOT_MEASURABLE, messages)
    first = agents[0]
    previous = next((m.text for m in reversed(messages[:first]) if m.sender == "customer"), "")
    ok = _is_greeting(messages[first].text.lower(), previous, rules)
    return outcome(name, PASS if ok else FAIL, messages, first)


_NAME = r"[\u4e00-\u9fffA-Za-z0-9\[\]]{1,10}"
INTRO_CHINESE = re.compile(
    rf"(?:我是|我叫)(?!说|在|想|要|问|指|觉得|这|那|不|可以|会|看|怎么|什么|你)(?P<a>{_NAME})"
    rf"|(?P<b>{_NAME})[，, ]?(?:很高兴|竭诚|将|来|继续)?为您服务"
)
INTRO_ENGLISH = re.compile(
    r"\b(?:[Mm]y name is|[Tt]his is|I am|I'm) "
    r"(?!Sorry\b|Afraid\b|Glad\b|Happy\b|Not\b|Here\b)[A-Z][a-z]+\b"
    r"|\b[A-Z][a-z]+ here\b"
)
# words that say who serves but name nobody (很高兴为您服务, 京东客服为您服务, 小妹在的哦，…)
GENERIC = re.compile(
    r"很高兴|竭诚|随时|这边|我们|客服|继续|正在|马上|小妹|妹子|小的|在线|京东|专属|专门"
    r"|用心|全心全意|热情|乐意|可以|能|将|会|来|您的|在的|我|您好|你好|亲爱的|亲|小主|客官"
    r"|私人|服务|专员|助理|人工"
)
# an offer ("有什么可以为您服务") is not a name
NOT_A_NAME = re.compile(r"什么|请问|有|还|吗|哪")
PARTICLE_END = tuple("哦呢哈的啦呀吧啊嘛")


ENGLISH_HINTS = ("I", "here", "his is", "ame is")  # cheap tests before the regexes
CHINESE_HINTS = ("我是", "我叫", "为您服务")


def _names_self(text: str) -> bool:
    if any(h in text for h in ENGLISH_HINTS) and INTRO_ENGLISH.search(text):
        return True
    if not any(h in text for h in CHINESE_HINTS):
        return False
    for match in INTRO_CHINESE.finditer(text):
        name = match.group("a") or match.group("b")
        if name.endswith(PARTICLE_END) or NOT_A_NAME.search(name):
            continue
        if GENERIC.sub("", name):
            return True
    return False


def self_introduction(messages, rules: Rules) -> Outcome:
    """The agent introduces themself by name in one of their first two messages
    ("我是客服小美", "小美为您服务", "my name is Anna"). Always pass or fail: an agent who never
    writes has not introduced themself either."""
    name = "self_introduction"
    agents = positions(messages, "agent")
    for position in agents[:2]:
        if _names_self(messages[position].text):
            return outcome(name, PASS, messages, position)
    return outcome(name, FAIL, messages, agents[0] if agents else None)


def closing(messages, rules: Rules) -> Outcome:
    """One of the agent's last two messages (punctuation-only ones skipped) holds one of the
    shop's closing phrases: an offer of further help, a polite close, a request for a rating."""
    name = "closing"
    agents = positions(messages, "agent")
    if not agents:
        return outcome(name, NOT_MEASURABLE, messages)
    last_two = []
    for position in reversed(agents):  # from the end: only the last two count
        if not is_punctuation(messages[position].text):
            last_two.append(position)
            if len(last_two) == 2:
                break
    for position in last_two:
        if find(messages[position].text, rules.closing_phrases) is not None:
            return outcome(name, PASS, messages, position)
    return outcome(name, FAIL, messages, last_two[0] if last_two else agents[-1])


# a refusal that apologises is not a rude one (很抱歉…没办法…)
APOLOGY = re.compile(r"抱歉|不好意思|对不起|见谅|sorry|apolog")


def _blank_templates(lowered: str, templates: tuple[str, ...]) -> str:
    """The text with the shop's allowed templates (lowered) blanked out, so that a phrase inside
    one does not count; positions stay where they were."""
    for template in templates:
        if template in lowered:
            lowered = lowered.replace(template, " " * len(template))
    return lowered


def _hits(lowered: str, matchers) -> list[int]:
    return [index for index in (matcher.first(lowered) for matcher in matchers) if index is not None]


def forbidden_phrases(messages, rules: Rules) -> Outcome:
    """Agent messages holding one of the shop's forbidden phrases, outside its allowed templates
    and not softened by an apology. Not measurable when the shop has no list."""
    name = "forbidden_phrases"
    agents = positions(messages, "agent")
    if not agents or not rules.forbidden_phrases:
        return outcome(name, NOT_MEASURABLE, messages)
    listed = phrases(rules.forbidden_phrases)
    matchers = [phrases((phrase,)) for phrase in rules.forbidden_phrases]
    templates = phrases(rules.allowed_templates).plain  # lowered, built once per list
    hits = []
    for position in agents:
        lowered = messages[position].text.lower()
        if listed.first(lowered) is None or APOLOGY.search(lowered):
            continue  # the usual case first: no forbidden word at all
        hits.extend((position, index) for index in _hits(_blank_templates(lowered, templates), matchers))
    if not hits:
        return outcome(name, PASS, messages, value=0)
    position, index = hits[0]
    return outcome(name, FAIL, messages, position, len(hits), around=index)


def transfers(messages, rules: Rules, transferred: bool | None = None) -> Outcome:
    """Hand-overs between agents; one is routine, two or more bounce the customer. Counted from
    per-message agents, else read from the chat's `transferred` flag (one hand-over: the flag
    does not say how many); without either the export cannot show them: not measurable."""
    name = "transfers"
    handovers = []
    current = None
    for position, message in enumerate(messages):
        if message.sender != "agent" or not message.agent:
            continue
        if current is not None and message.agent != current:
            handovers.append(position)
        current = message.agent
    if handovers:
        result = PASS if len(handovers) <= 1 else FAIL
        return outcome(name, result, messages, handovers[0], len(handovers))
    if transferred is None:
        return outcome(name, NOT_MEASURABLE, messages)
    return outcome(name, PASS, messages, value=1 if transferred else 0)

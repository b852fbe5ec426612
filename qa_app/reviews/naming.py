"""How customers name an agent: "那个叫阿强的客服", "小美的回复", "售后小静态度很差", "阿杰一开始说".

Pure functions, no database. `mentions.find_mention` finds the shop's *known* nicknames; the
patterns here also catch a *name* nobody in the shop has, so that a review about 阿强 waits for a
lead instead of going to whoever handled the order's chat.

A name nobody knows must look like a nickname (小X, 小XY or 阿X, X a Chinese character; in
English a capitalised word after "agent" or "rep", "rep called") and stand in one of the patterns below; in
"叫X的" any short name counts when a service word follows ("叫王芳的客服"). Generic words of the
same shape ("小美女", "阿姨", "小哥", "小时") are never names, and a pattern needs the name to end
where the pattern says: "售后小问题" has no name, "售后小静态度很差" has 小静.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mentions import Mention, find_mention

_CJK = r"[\u4e00-\u9fff]"
SERVICE = r"(?:客服|售后|售前|小二|店员|掌柜)"
# what may follow a name in a review: punctuation or the end, or one of these words
NAME_ENDS = (
    "的",
    "很",
    "非常",
    "特别",
    "太",
    "挺",
    "态度",
    "服务",
    "回复",
    "回答",
    "解答",
    "处理",
    "一开始",
    "开始",
    "当时",
    "后来",
    "说",
    "答应",
    "承诺",
    "保证",
    "告诉",
    "帮",
    "爱答不理",
    "不理",
    "客服",
    "售后",
    "一直",
    "就",
    "也",
    "还",
    "都",
    "让",
    "给",
    "把",
)
# 小X / 阿X words that are not names (X is the second character)
NOT_NAMES = {
    "小": set(
        "时心孩区票样哥姐妹弟二伙编店号码件包米熊费额点些的了一个量小贵巧问事"
        "题瑕毛病女朋宝猫狗车屋视说程序红书不太而多少得到且型号户于白声老"
    ),
    "阿": set("姨婆公伯叔哥妹嫂弟爸妈里胶迪玛拉斯根富"),
}
# in English, after these words (case-insensitive) a capitalised word is taken for the agent's name
_EN_BEFORE = r"(?i:\b(?:agent|rep|representative|associate)(?:\s+(?:named|called))?)\s+"
_PRONOUNS = set("我你他她它您这那哪")
_EN_NOT_NAMES = {
    "I",
    "The",
    "A",
    "An",
    "Was",
    "Is",
    "And",
    "But",
    "Who",
    "Which",
    "That",
    "This",
    "It",
    "He",
    "She",
    "They",
    "We",
    "You",
    "Said",
    "Told",
}
# the third character of 小XY never is one that makes a word (小美女, 小姐姐), a phrase (阿强的,
# 阿强一开始, 小白来说) or a place (小鱼府客服) of it
_NOT_LAST = "女姐妹哥弟伙孩们朋友子的了是和与在说很也都就还又给把被让跟一开当后不没来府店铺馆"
# 小X or 小XY (小海龙)
_NICK = "[小阿]" + _CJK + "(?:(?![" + _NOT_LAST + "])" + _CJK + ")?"
# where a name written after a service word may end (客服小海龙非常好, 客服“小北”敷衍)
_END = r"(?=$|[^\w]|" + "|".join(NAME_ENDS) + ")"
_NOT_AFTER = r"(?<![\w])"  # a name standing on its own on the left
_GAP = r"(?:[\s:：~～\"“”'‘’]{0,2}|&ldquo;)"
_ABOUT = "(?:回复|回答|态度|服务|处理|解答|答复)"

# (context, pattern with a group "name" for a candidate); the contexts are stored in the review's
# explanation (explanations.py names each in the reader's language)
PATTERNS = (
    ("called", re.compile(r"叫(?P<name>" + _CJK + r"{1,3}?)的(?P<service>" + SERVICE + r")?")),
    ("possessive", re.compile(r"(?P<name>" + _NICK + r")的" + _ABOUT)),
    ("possessive", re.compile(_NOT_AFTER + r"(?P<name>" + _NICK + r")" + _ABOUT)),  # 小海葵服务好
    ("service word", re.compile(SERVICE + _GAP + r"(?P<name>" + _NICK + r")" + _END)),
    ("before service word", re.compile(r"(?P<name>" + _NICK + r")" + SERVICE)),
    (
        "narrative",
        re.compile(r"(?P<name>" + _NICK + r")(?:一开始|开始|当时|后来)?(?:说|答应|承诺|保证|告诉)"),
    ),
    ("english", re.compile(_EN_BEFORE + r"(?P<name>[A-Z][a-z]{1,15})\b")),
)


@dataclass(frozen=True)
class NamedInText:
    """A name the customer wrote that is none of the shop's nicknames, and where it stands."""

    name: str
    start: int
    end: int
    context: str
    quote: str


def quote_of(text: str, start: int, end: int) -> str:
    """A few characters either side of a name, to show where the text names it."""
    return text[max(0, start - 4) : end + 4]


def find_agent_mention(text: str, nicknames) -> Mention | None:
    """A known nickname the text names: a service context (mentions.py), else a naming pattern."""
    return find_mention(text, nicknames) or find_named(text, nicknames)


def find_named(text: str, nicknames) -> Mention | None:
    """A known nickname standing in one of the naming patterns ("小美的回复", "叫小美的")."""
    known = {n for n in nicknames if n}
    for context, name, start, end in _candidates(text, known):
        if name in known:
            return Mention(name, start, end, context)
    return None


def find_unknown_name(text: str, nicknames) -> NamedInText | None:
    """The first name in a naming pattern that is none of `nicknames`, or None."""
    known = {n for n in nicknames if n}
    lowered = {n.lower() for n in known}
    for context, name, start, end in _candidates(text, known):
        if name not in known and name.lower() not in lowered:
            return NamedInText(name, start, end, context, quote_of(text, start, end))
    return None


def _candidates(text: str, known: set[str]):
    """(context, name, start, end) for each name a pattern finds, in the order of the text."""
    found = []
    for context, pattern in PATTERNS:
        for match in pattern.finditer(text):
            name, start, end = match.group("name"), match.start("name"), match.end("name")
            if context == "called" and name not in known:
                if not (_looks_like_nickname(name) or (match.group("service") and name[0] not in _PRONOUNS)):
                    continue  # "叫快递的": a name needs the shape of one or a service word after it
            elif context == "english":
                if name in _EN_NOT_NAMES:
                    continue
            elif name not in known and not _looks_like_nickname(name):
                continue
            found.append((start, context, name, end))
    for start, context, name, end in sorted(found, key=lambda f: (f[0], -len(f[2]))):
        yield context, name, start, end


def _looks_like_nickname(name: str) -> bool:
    if len(name) not in (2, 3) or name[0] not in NOT_NAMES:
        return False
    return name[1] not in NOT_NAMES[name[0]]

"""Finding an agent's nickname in a review's text ("客服小美很耐心").

Pure functions, no database: the caller gives the nicknames known for the shop. A nickname
counts only in a service context, so that "小美" in "小美女" or "甜甜" in "味道甜甜的" is not
taken for an agent:
- right after a service word (客服, 亲, 小二, agent, thanks to ...), or
- as a standalone name: nothing word-like before it, and after it either nothing word-like
  or a word that typically follows a person's name in a review (很, 态度, 回复 ...).
Of several nicknames found, the longest wins (so "小美美" beats "小美").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SERVICE_WORDS = (
    "客服",
    "售前",
    "售后",
    "小二",
    "店员",
    "亲",
    "谢谢",
    "感谢",
    "多谢",
    "多亏",
    "表扬",
    "投诉",
    "跟",
    "找",
    "agent",
    "rep",
    "support",
    "service",
    "thanks to",
    "thank",
    "thanks",
)
FOLLOW_WORDS = (
    "很",
    "非常",
    "特别",
    "超",
    "真",
    "太",
    "挺",
    "态度",
    "服务",
    "回复",
    "回答",
    "解答",
    "处理",
    "耐心",
    "热情",
    "专业",
    "一直",
    "说",
    "告诉",
    "帮",
    "妹子",
    "小姐姐",
    "同学",
    "推荐",
    "姐",
    "哥",
    # "小美的回复跟机器人一样", "阿杰一开始说可以价保", "小美客服"
    "的回复",
    "的回答",
    "的态度",
    "的服务",
    "的处理",
    "的解答",
    "一开始",
    "答应",
    "承诺",
    "保证",
    "客服",
    "售后",
)
# a service word may be followed by a little punctuation before the name: "客服：小美", "亲~小美"
_GAP = r"[\s:：,，~～\-—·\"“”'‘’()（）\[\]【】]{0,3}"


@dataclass(frozen=True)
class Mention:
    nickname: str
    start: int
    end: int
    context: str  # "service word" or "standalone"


def _is_wordlike(char: str) -> bool:
    return char.isalnum()  # CJK ideographs, letters and digits are all alnum


def _is_latin_wordlike(char: str) -> bool:
    return char.isascii() and char.isalnum()


def find_mention(text: str, nicknames) -> Mention | None:
    """The longest of `nicknames` that `text` mentions in a service context, or None."""
    for nickname in sorted({n for n in nicknames if n}, key=lambda n: (-len(n), n)):
        mention = _mention_of(text, nickname)
        if mention is not None:
            return mention
    return None


def _mention_of(text: str, nickname: str) -> Mention | None:
    latin = nickname.isascii()
    flags = re.IGNORECASE if latin else 0
    pattern = re.compile(re.escape(nickname), flags)
    for match in pattern.finditer(text):
        start, end = match.span()
        before, after = text[:start], text[end:]
        if latin and (
            (before and _is_latin_wordlike(before[-1])) or (after and _is_latin_wordlike(after[0]))
        ):
            continue  # "Amy" must not match inside "Amyloid"
        if _after_service_word(before) and (latin or not after or not _continues_name(nickname, after)):
            return Mention(nickname, start, end, "service word")
        left_free = not before or not (_is_latin_wordlike if latin else _is_wordlike)(before[-1])
        if left_free and (latin or _name_ends_here(after)):
            return Mention(nickname, start, end, "standalone")
    return None


def _after_service_word(before: str) -> bool:
    tail = before[-24:]
    for word in SERVICE_WORDS:
        if re.search(re.escape(word) + _GAP + r"$", tail, re.IGNORECASE):
            if word.isascii() and word.isalpha():
                # "agent" must be a word of its own ("reagent" is not a service word)
                index = tail.lower().rfind(word)
                if index > 0 and tail[index - 1].isalpha():
                    continue
            return True
    return False


def _continues_name(nickname: str, after: str) -> bool:
    """After a service word, "客服小美女" still reads as a longer name, not as 小美."""
    return nickname.startswith("小") and after[0] in "女姐妹哥弟"


def _name_ends_here(after: str) -> bool:
    if not after or not _is_wordlike(after[0]):
        return True
    return any(after.startswith(word) for word in FOLLOW_WORDS)

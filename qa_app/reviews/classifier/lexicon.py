"""Bilingual service-term lexicon and a small sentiment lexicon with negation and degree rules.

Two jobs:
- ``mentions_service(clause)``: does the clause talk about the customer service (agents/客服,
  replies/回复, attitude/态度, patience/耐心, explanations/解释, after-sales/售后, staff,
  support, …)? Delivery speed (送餐快, fast shipping) is logistics, not service, and is not a
  service term; judgements that only make sense about people (rude, 不耐烦, 敷衍, 爱答不理)
  are.
- ``score(clause)``: a signed lexicon score. Positive words add, negative words subtract,
  degree words (很/非常/太/有点, very/a bit) scale the next sentiment word, an odd number of
  negators before it (不/没/没有/不太/从不, not/never/n't) flips it, and a negated service
  action (没有回复, 不理, never replied, didn't respond) counts as criticism.

All inputs are expected to be normalised (``features.normalise``: NFKC + lower case).
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------
# Service terms
# --------------------------------------------------------------------------------------

# fmt: off
ZH_SERVICE_TERMS: tuple[str, ...] = (
    # people
    "客服", "客户服务", "人工", "小二", "掌柜", "店员", "店小二", "导购", "前台", "服务员",
    "工作人员", "售货员", "接待", "经理", "值班",
    # what they do / how they behave
    "服务", "态度", "回复", "回答", "答复", "回应", "回消息", "回信息", "秒回", "不回", "没回",
    "回得", "回的", "理人", "理我", "没人理", "不理", "搭理", "耐心", "耐烦", "解释", "解答",
    "沟通", "热情", "礼貌", "敷衍", "冷漠", "爱答不理", "踢皮球", "推卸", "推脱", "甩锅",
    "亲切", "周到", "处理问题", "处理得", "帮忙", "帮我",
    # after-sales handling
    "售后", "退款", "退换", "换货", "退货", "补发", "赔偿", "理赔",
)
ZH_NOT_SERVICE: tuple[str, ...] = ("服务器", "服务区", "自助服务")

EN_SERVICE_TERMS: tuple[str, ...] = (
    # people
    "customer service", "customer care", "service", "services", "support", "helpdesk",
    "help desk", "agent", "agents", "rep", "reps", "representative", "representatives",
    "staff", "staffs", "employee", "employees", "seller", "sellers", "vendor", "shopkeeper",
    "clerk", "cashier", "waiter", "waiters", "waitress", "waitresses", "server", "servers",
    "manager", "host", "hostess", "bartender", "operator",
    # what they do / how they behave
    "reply", "replies", "replied", "replying", "respond", "responds", "responded",
    "response", "responses", "responsive", "unresponsive", "answer", "answers", "answered",
    "get back", "got back", "gotten back", "call back", "called back", "follow up",
    "followed up", "attitude", "patient", "patience", "impatient", "explain", "explained",
    "explanation", "rude", "polite", "impolite", "courteous", "friendly", "unfriendly",
    "attentive", "dismissive", "helpful", "unhelpful", "ignored", "ignore", "ignoring",
    # after-sales handling
    "after-sales", "after sales", "refund", "refunded", "refunds",
    "warranty claim",
)
# fmt: on
_ZH_SERVICE_RE = re.compile("|".join(sorted(map(re.escape, ZH_SERVICE_TERMS), key=len, reverse=True)))
_ZH_NOT_SERVICE_RE = re.compile("|".join(map(re.escape, ZH_NOT_SERVICE)))
_EN_SERVICE_RE = re.compile(
    r"(?<![a-z])(?:"
    + "|".join(sorted(map(re.escape, EN_SERVICE_TERMS), key=len, reverse=True))
    + r")(?![a-z])(?! for\b)(?!-free)"
)


def service_term(clause: str) -> str:
    """The first service term found in a normalised clause, or ``""``."""
    if _ZH_NOT_SERVICE_RE.search(clause):
        clause = _ZH_NOT_SERVICE_RE.sub(" ", clause)
    m = _ZH_SERVICE_RE.search(clause) or _EN_SERVICE_RE.search(clause)
    return m.group(0) if m else ""


def mentions_service(clause: str) -> bool:
    return bool(service_term(clause))


# --------------------------------------------------------------------------------------
# Sentiment lexicon
# --------------------------------------------------------------------------------------
# kinds: "s" sentiment (value = signed weight), "n" negator, "d" degree (value = factor),
#        "a" service action (criticism when negated, else neutral),
#        "b" blocker (a neutral word that must not be read as negator + word).

_ZH_POS = {
    1.0: "好 不错 满意 耐心 热情 周到 及时 快 迅速 很快 秒回 礼貌 友好 客气 负责 给力 赞 棒 "
    "优秀 到位 认真 细心 用心 贴心 温柔 亲切 专业 靠谱 诚恳 感谢 谢谢 感动 点赞 好评 耐心解答 "
    "解决 帮忙 帮我 主动 积极 效率高 高效 干脆 爽快 痛快 舒服 开心 喜欢 推荐 没问题 放心 "
    "nice 温馨 体贴 善解人意 和气 大方 利索 麻利 爽气 可以 还行 挺好 完美 一流 贴心周到 "
    "详细 清楚 清晰 明白 第一时间 马上 立刻 立即 当天 准时 有耐心 尽心 尽责 负责任 教我",
    1.5: "非常好 超好 特别好 很好 太好了 好评如潮 五星 满分 超赞 很赞",
}
_ZH_NEG = {
    1.0: "差 慢 敷衍 冷漠 恶劣 糟糕 垃圾 失望 无语 气人 凶 骂 推脱 推卸 拖 拖延 烂 坑 骗 "
    "不满 不满意 生气 傲慢 粗鲁 无礼 难沟通 踢皮球 甩锅 不耐烦 爱答不理 爱理不理 搞错 "
    "久 半天 好久 很久 老半天 催 催了 没用 忽悠 应付 态度差 差劲 恶心 不专业 不负责 不靠谱 "
    "投诉 差评 冷淡 强硬 嚣张 马虎 不作为 石沉大海 机器人 复制粘贴 答非所问 扯皮 不行 "
    "麻烦 难 不好 一般般 一般 呵呵 刁难 死板 等了 拖了 模糊 含糊 不清 不清楚 没人接 不接 只会",
    1.5: "极差 很差 太差 超差 特别差 非常差 最差 垃圾客服",
}
# General product/food words, for the review as a whole (they rarely occur in service clauses).
_ZH_GENERAL_POS = (
    "好吃 美味 香 新鲜 好看 漂亮 合身 舒适 柔软 流畅 清晰 耐用 划算 实惠 超值 便宜 值 性价比高 "
    "精致 精美 正品 结实 大气 惊喜 好用 顺滑 好喝 入味 可口 干净 整洁 安静 方便 宽敞 回购 "
    "五星好评 必须好评 物美价廉 无可挑剔 物超所值 喜欢 满分"
)
_ZH_GENERAL_NEG = (
    "难吃 难看 难喝 难闻 异味 臭 脏 咸 淡 油腻 凉了 冷了 坏了 坏 破损 破 漏 起球 掉色 褪色 色差 "
    "偏小 偏大 挤脚 卡顿 卡 发热 发烫 死机 假货 劣质 粗糙 贵 不值 后悔 上当 退货 吵 旧 霉 "
    "变质 过期 线头 开线 少了 漏送 送错 发错 不新鲜 不会再买 再也不 不推荐 骗子 噪音"
)
_ZH_NEGATORS = "不 没 没有 无 未 别 非 不太 不怎么 不是 并不 并没有 毫无 从不 从没 从来不 从来没 从来没有 没人 无人 一点也不 一点都不 都不 也不 也没 都没 根本不 根本没 不够"
_ZH_DEGREE = {
    2.0: "非常 特别 十分 极其 极 超级 超 太 真的 真是 实在 相当 格外 巨 贼 好不",
    1.5: "很 挺 蛮 真 好 这么 那么 那样 这样 更 更加 还挺 还是很",
    0.6: "有点 有些 有一点 稍微 稍 略 略微 比较 还 还算 算是",
}
_ZH_ACTIONS = "回复 回 理 理人 理我 搭理 答复 回应 回答 回消息 回信息 处理 解决 联系 管 跟进 退款 补发 赔偿 道歉 解释 说明"
_ZH_BLOCKERS = (
    "不好意思 不管 不过 不然 不仅 不但 不久 不一定 不知道 不用 不到 无论 没想到 没多久 好像 "
    "好几 只好 好多 好吃 不好吃 回来 回家 处理器 理解 不理解 多久 不少 没少 别人 别的 非要 "
    "好久不见 回头 回购 回头客 无线 无糖 没得说 没话说 没的说 无可挑剔 挺快 很快 "
    "请耐心等待 耐心等待 请耐心"  # an agent's stock phrase quoted in a complaint
)
# "没得说/没话说/无可挑剔" are praise idioms, not negations: give them weights below.
_ZH_PHRASES_POS = "没得说 没话说 没的说 无可挑剔 没毛病 不厌其烦 百问不厌 有问必答 很快 挺快"
_ZH_PHRASES_NEG = "不回 没回 不理 没人理 不理人 没人管 没人回 不回复 没回复 没有回复 未回复 不给 不处理 不解决 没解决 没有解决 不退 不退款 不给退 不负责任 一问三不知"

# English lists: items separated by "|"; an item may be a phrase of several words.
_EN_POS = {
    1.0: "good|great|nice|helpful|friendly|polite|patient|quick|fast|prompt|promptly|quickly|"
    "excellent|professional|kind|responsive|courteous|attentive|knowledgeable|resolved|solved|"
    "fixed|sorted|amazing|wonderful|awesome|thank|thanks|thanked|love|loved|best|pleasant|"
    "efficient|efficiently|smooth|smoothly|easy|happy|satisfied|recommend|caring|warm|"
    "understanding|accommodating|generous|fantastic|outstanding|superb|perfect|reasonable|"
    "fine|ok|okay|decent|impressed|impressive|apologized|apologised|sincere|genuine|"
    "speedy|swift|timely|reliable|cheerful|welcoming|lovely|within an hour|within minutes|"
    "in minutes|in seconds|within hours|help|helped|helping|resolve|fix|"
    "within a day|same day|right away|immediately|straight away|in no time|"
    "no problem|no problems|no issue|no issues|not bad|no complaints",
    1.5: "above and beyond|went above and beyond|bent over backwards|five stars|5 stars|a pleasure",
}
_EN_NEG = {
    1.0: "rude|slow|unhelpful|useless|terrible|awful|bad|poor|horrible|impolite|impatient|"
    "ignored|ignoring|dismissive|worst|disappointing|disappointed|unprofessional|incompetent|"
    "lazy|arrogant|annoyed|annoying|condescending|careless|clueless|unresponsive|unfriendly|"
    "frustrating|frustrated|angry|hostile|cold|robotic|scripted|waste|nightmare|mess|"
    "ridiculous|pathetic|forever|ages|waited|waiting|excuses|blamed|blame|refused|refuses|"
    "lied|liar|scam|rudely|sloppy|mediocre|meh|unacceptable|hassle|painful|confusing|"
    "confused|inattentive|snobby",
    1.5: "hung up on me|hung up|the worst|never again|zero stars|0 stars|took forever|"
    "stopped responding|stopped replying|stopped answering|stopped helping|took a week|"
    "took weeks|took days|took a month|took months|took ages|a week to respond|a week to reply",
}
_EN_GENERAL_POS = (
    "delicious|tasty|fresh|comfortable|soft|beautiful|pretty|gorgeous|sturdy|solid|durable|"
    "works|works fine|works great|works perfectly|fits|fit well|fits perfectly|clean|bright|crisp|"
    "fragrant|homemade|value|worth|worth it|bargain|affordable|recommended|favorite|favourite|"
    "yummy|lasts|reliable|quiet|elegant|cozy|stylish"
)
_EN_GENERAL_NEG = (
    "stale|broke|broken|broken down|cheap|flimsy|faded|shrank|ripped|torn|defective|dead|"
    "overheats|overheating|loud|noisy|leaks|leaking|cracked|damaged|stained|smelly|smells|bland|"
    "soggy|greasy|overpriced|expensive|returned|return it|returning|rip off|ripoff|fake|"
    "junk|garbage|crap|gross|disgusting|inedible|undercooked|overcooked|raw|late|missing|wrong|"
    "itchy|tight|uncomfortable|randomly|stopped working|fell apart|not worth"
)
_EN_NEGATORS = (
    "not|no|never|nothing|nobody|none|nor|neither|without|hardly|barely|don't|doesn't|"
    "didn't|isn't|wasn't|aren't|weren't|won't|wouldn't|can't|couldn't|shouldn't|haven't|"
    "hasn't|hadn't|ain't|cannot|dont|doesnt|didnt|isnt|wasnt|cant|couldnt|wont|no one|instead of"
)
_EN_DEGREE = {
    2.0: "very|really|so|extremely|super|incredibly|truly|absolutely|totally|too|insanely|"
    "exceptionally|highly|ridiculously",
    1.5: "quite|pretty|rather|such",
    0.6: "a bit|a little|slightly|somewhat|kind of|sort of|fairly|a tad",
}
_EN_ACTIONS = (
    "reply|replied|replies|respond|responded|response|answer|answered|get back|got back|"
    "gotten back|call back|called back|follow up|followed up|"
    "refund|refunded|contact|contacted|explain|explained|apologize|apologized|apologise|"
    "apologised|show up|showed up|acknowledge|acknowledged|bother|bothered|care|cared"
)
_EN_BLOCKERS = "not only|no doubt|no wonder|no matter"

# Suggestions ("希望客服耐心一点", "could have been more helpful") praise nothing.
_SUGGEST_RE = re.compile(
    r"希望.*(?:一点|一些|点|些)$|建议.*(?:一点|一些|点|些)$|能不能|可不可以|麻烦.*(?:一点|点)$"
    r"|(?:could|should|would) have been|could be (?:more|better|faster)|needs? to be"
    r"|wish (?:they|the|he|she)|would be nice|should (?:be|have)|(?:could|might) try"
)

Entry = tuple[str, float]


def _build_zh() -> dict[str, Entry]:
    lex: dict[str, Entry] = {}
    for w in _ZH_BLOCKERS.split():
        lex[w] = ("b", 0.0)
    for w in _ZH_NEGATORS.split():
        lex[w] = ("n", 0.0)
    for factor, words in _ZH_DEGREE.items():
        for w in words.split():
            lex[w] = ("d", factor)
    for w in _ZH_ACTIONS.split():
        lex[w] = ("a", 0.0)
    for weight, words in _ZH_POS.items():
        for w in words.split():
            lex[w] = ("s", weight)
    for weight, words in _ZH_NEG.items():
        for w in words.split():
            lex[w] = ("s", -weight)
    for w in _ZH_GENERAL_POS.split():
        lex.setdefault(w, ("s", 1.0))
    for w in _ZH_GENERAL_NEG.split():
        lex.setdefault(w, ("s", -1.0))
    for w in _ZH_PHRASES_POS.split():
        lex[w] = ("s", 1.0)
    for w in _ZH_PHRASES_NEG.split():
        lex[w] = ("s", -1.0)
    # "不好"/"不行"/"一般" are whole negative words (a negation inside the word is already
    # counted), while "不错" is positive.
    lex["不错"] = ("s", 1.0)
    return lex


def _build_en() -> dict[tuple[str, ...], Entry]:
    lex: dict[tuple[str, ...], Entry] = {}

    def put(items: str, entry: Entry) -> None:
        for item in items.split("|"):
            lex[tuple(item.split())] = entry

    put(_EN_BLOCKERS, ("b", 0.0))
    put(_EN_NEGATORS, ("n", 0.0))
    for factor, items in _EN_DEGREE.items():
        put(items, ("d", factor))
    put(_EN_ACTIONS, ("a", 0.0))
    put(_EN_GENERAL_POS, ("s", 1.0))
    put(_EN_GENERAL_NEG, ("s", -1.0))
    for weight, items in _EN_POS.items():
        put(items, ("s", weight))
    for weight, items in _EN_NEG.items():
        put(items, ("s", -weight))
    return lex


ZH_LEXICON: dict[str, Entry] = _build_zh()
EN_LEXICON: dict[tuple[str, ...], Entry] = _build_en()
_ZH_MAXLEN = max(map(len, ZH_LEXICON))
# Longest entry starting with each character: positions whose character starts no entry
# are skipped at once.
_ZH_FIRST: dict[str, int] = {}
for _w in ZH_LEXICON:
    _ZH_FIRST[_w[0]] = max(_ZH_FIRST.get(_w[0], 0), len(_w))
_LATIN_RE = re.compile(r"[a-z]")
_EN_MAXLEN = max(map(len, EN_LEXICON))
_EN_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

# How far (in characters for Chinese, words for English) a negator or degree word reaches.
_ZH_REACH = 4
_EN_REACH = 3


def _apply(entry: Entry, state: list) -> float:
    """Fold one lexicon entry into ``state = [negations, degree, gap]``; return its score."""
    kind, value = entry
    if kind == "n":
        state[0] += 1
        state[2] = 0
        return 0.0
    if kind == "d":
        state[1] *= value
        state[2] = 0
        return 0.0
    if kind == "b":
        state[0], state[1], state[2] = 0, 1.0, 0
        return 0.0
    negated = state[0] % 2 == 1
    degree = state[1]
    state[0], state[1], state[2] = 0, 1.0, 0
    if kind == "a":
        return -1.0 if negated else 0.0
    if negated:
        # "不满意" → criticism; "不差"/"not bad" → only a weak positive.
        return -value * 0.9 if value > 0 else -value * 0.5
    return value * degree


def _score_zh(text: str) -> tuple[float, int]:
    total = 0.0
    hits = 0
    state = [0, 1.0, 0]
    i, n = 0, len(text)
    lex = ZH_LEXICON
    first = _ZH_FIRST
    while i < n:
        entry = None
        longest = first.get(text[i], 0)
        for size in range(min(longest, n - i), 0, -1):
            entry = lex.get(text[i : i + size])
            if entry is not None:
                break
        if entry is None:
            i += 1
            state[2] += 1
            if state[2] > _ZH_REACH:
                state[0], state[1] = 0, 1.0
            continue
        s = _apply(entry, state)
        if s:
            total += s
            hits += 1
        i += size
    return total, hits


def _score_en(text: str) -> tuple[float, int]:
    words = _EN_WORD_RE.findall(text)
    total = 0.0
    hits = 0
    state = [0, 1.0, 0]
    i, n = 0, len(words)
    lex = EN_LEXICON
    while i < n:
        entry = None
        for size in range(min(_EN_MAXLEN, n - i), 0, -1):
            entry = lex.get(tuple(words[i : i + size]))
            if entry is not None:
                break
        if entry is None:
            i += 1
            state[2] += 1
            if state[2] > _EN_REACH:
                state[0], state[1] = 0, 1.0
            continue
        s = _apply(entry, state)
        if s:
            total += s
            hits += 1
        i += size
    return total, hits


def score(clause: str) -> tuple[float, int]:
    """Signed lexicon score of a normalised clause and the number of judging words found."""
    total, hits = 0.0, 0
    if _CJK_RE.search(clause):
        total, hits = _score_zh(clause)
    if _LATIN_RE.search(clause):
        t2, h2 = _score_en(clause)
        total += t2
        hits += h2
    if total > 0 and _SUGGEST_RE.search(clause):
        total = -0.5 * total
    return total, hits


def review_score(text: str) -> tuple[float, int, int]:
    """Lexicon total over the clauses of a raw review, and its counts of positive and
    negative clauses (the same numbers ``classify`` computes in its clause loop)."""
    from .clauses import split_spans
    from .features import normalise

    total, n_pos, n_neg = 0.0, 0, 0
    for start, end in split_spans(text or ""):
        value, _hits = score(normalise(text[start:end]))
        total += value
        n_pos += value > 0
        n_neg += value < 0
    return total, n_pos, n_neg

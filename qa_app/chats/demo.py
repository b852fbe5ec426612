"""Demo chats: ~1,500 generated conversations over the last 90 days, in the project's own words.

Fixed random seed; skipped when demo chats exist; goes through the real importer (bulk inserts,
automatic checks) from a temporary JSON Lines file.
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from ..dbtypes import utcnow
from ..extensions import db
from .importer import import_file
from .models import Chat

COUNT = 1500
PREFIX = "demo-"

PRODUCTS = [
    ("羊毛大衣", "M"),
    ("连帽卫衣", "L"),
    ("真丝衬衫", "S"),
    ("牛仔裤", "29"),
    ("羽绒服", "XL"),
    ("运动鞋", "38"),
    ("针织开衫", "M"),
    ("保温杯", "500ml"),
    ("床上四件套", "1.8米"),
]
GREET = [
    "亲，您好，欢迎光临~",
    "您好，我是客服{nick}，很高兴为您服务",
    "亲在的哦，请问有什么可以帮您？",
    "在的亲~",
]
NO_GREET = ["嗯", "说", "什么事"]
CLOSE = [
    "还有什么可以帮您的吗？祝您生活愉快~",
    "亲还有其他问题随时找我哦",
    "感谢您的支持，有需要随时联系我们~",
]
NO_CLOSE = ["好的", "嗯嗯", "行"]
FORBIDDEN_LINES = ["这个我不知道，你自己看详情页吧", "物流的事不归我管", "没办法，规定就是这样"]


def _pre_sale(r, product, size, nick):
    return [
        ("customer", f"这款{product}有{size}码吗？"),
        ("agent", None),
        (
            "agent",
            r.choice(
                [
                    f"亲，{size}码有现货的哦，今天下单48小时内发货",
                    f"{size}码目前还有少量库存，建议您尽快下单哦",
                ]
            ),
        ),
        (
            "customer",
            r.choice(["面料是什么的？会起球吗？", "我身高165体重110斤穿哪个码？", "现在有优惠券可以用吗？"]),
        ),
        (
            "agent",
            r.choice(
                [
                    "这款是混纺面料，正常穿着不容易起球，洗的时候建议翻面手洗",
                    "按您的身材推荐M码，喜欢宽松一点可以选L码",
                    "店铺首页可以领满299减30的券，和活动价可以叠加使用哦",
                ]
            ),
        ),
        ("customer", r.choice(["好的，那我拍了", "谢谢", "我再考虑一下"])),
    ]


def _in_sale(r, product, size, nick):
    return [
        ("customer", "刚付款了，地址能改一下吗？填错了小区名"),
        ("agent", None),
        ("agent", "亲，麻烦把正确的地址发我一下，我这边帮您备注修改"),
        ("customer", r.choice(["幸福里小区3栋2单元501", "阳光花园8号楼1202"])),
        ("agent", "好的，已经帮您改好并备注给仓库了，发货前会再核对一次"),
        ("customer", "好的谢谢"),
    ]


def _logistics(r, product, size, nick):
    return [
        ("customer", "我的快递三天了还没动，怎么回事？"),
        ("agent", None),
        (
            "agent",
            r.choice(
                [
                    "亲，帮您查了一下，包裹在中转站滞留了，我这边已经联系快递加急处理",
                    "非常抱歉让您久等了，快递显示明天派送，我会持续跟进",
                ]
            ),
        ),
        ("customer", r.choice(["那大概什么时候能到？", "能不能帮我催一下", "好吧"])),
        ("agent", "预计1到2天内送达，如果明天还没有更新，您随时联系我，我帮您申请补偿"),
    ]


def _refund(r, product, size, nick):
    return [
        ("customer", f"{product}收到了，尺码偏小，想退货"),
        ("agent", None),
        ("agent", "亲，支持7天无理由退换的，您在订单里申请退货，退货地址会自动显示"),
        ("customer", "运费谁出？"),
        (
            "agent",
            r.choice(
                [
                    "您买了运费险，退货运费会自动理赔给您的",
                    "因为是尺码问题，来回运费需要您承担哦，换货的话我们包邮寄回",
                ]
            ),
        ),
        ("customer", r.choice(["那退款多久到账？", "好的，我去申请"])),
        ("agent", "仓库签收后24小时内给您退款，原路退回"),
    ]


def _complaint(r, product, size, nick):
    return [
        ("customer", f"你们的{product}质量太差了，穿一次就开线"),
        ("agent", None),
        ("agent", "非常抱歉给您带来不好的体验，麻烦您拍一下开线的位置发给我"),
        ("customer", "[图片]"),
        (
            "agent",
            r.choice(
                [
                    "确实是做工问题，给您两个方案：免费换新，或者补偿您20元，您看哪个合适？",
                    "这个情况我们给您登记了，会反馈给质检部门，同时给您办理退货退款",
                ]
            ),
        ),
        ("customer", r.choice(["换新吧", "太失望了，我要给差评", "你们这什么态度，我要投诉"])),
    ]


SCENARIOS = [
    (_pre_sale, "售前"),
    (_in_sale, "售中"),
    (_logistics, "物流"),
    (_refund, "退款"),
    (_complaint, "投诉"),
]
WEIGHTS = [40, 15, 15, 20, 10]


def _reply_delay(r) -> int:
    roll = r.random()
    if roll < 0.80:
        return r.randint(10, 120)
    if roll < 0.92:
        return r.randint(121, 299)
    return r.randint(301, 1200)  # slow replies: fail the 5-minute rule


def _chat(r, number, agent, shop, nick, other_nick, start) -> dict:
    scenario, tag = r.choices(SCENARIOS, WEIGHTS)[0]
    product, size = r.choice(PRODUCTS)
    turns = scenario(r, product, size, nick)
    greeting = r.choice(NO_GREET) if r.random() < 0.1 else r.choice(GREET).format(nick=nick)
    turns = [(s, greeting if t is None else t) for s, t in turns]
    if r.random() < 0.05:
        position = max(i for i, (s, _t) in enumerate(turns) if s == "agent")
        turns[position] = ("agent", r.choice(FORBIDDEN_LINES))
    if not turns[-1][1].startswith(("太失望", "你们这")):
        turns.append(("agent", r.choice(NO_CLOSE) if r.random() < 0.2 else r.choice(CLOSE)))
    transfer_at = len(turns) // 2 if r.random() < 0.04 else None
    at, messages = start, []
    for index, (sender, text) in enumerate(turns):
        previous = turns[index - 1][0] if index else None
        at += timedelta(
            seconds=_reply_delay(r) if sender == "agent" and previous == "customer" else r.randint(5, 90)
        )
        message = {"from": sender, "text": text, "at": at.isoformat()}
        if sender == "agent":
            message["agent"] = other_nick if transfer_at is not None and index >= transfer_at else nick
        messages.append(message)
    record = {
        "id": f"{PREFIX}{number:05d}",
        "shop": shop.slug,
        "channel": "qianniu" if shop.platform in ("tmall", "taobao") else "dongdong",
        "agent": nick,
        "customer": f"buyer_{r.randint(1000, 99999)}",
        "tags": [tag],
        "messages": messages,
    }
    if r.random() < 0.6:
        record["order_id"] = f"T{start:%Y%m%d}{r.randint(10000, 99999)}"
    return record


def seed(context: dict) -> dict:
    if db.session.scalar(sa.select(Chat.id).where(Chat.external_id.like(f"{PREFIX}%")).limit(1)):
        return {}
    agents, shops = context.get("agents") or [], context.get("shops") or []
    if not agents or not shops:
        return {}
    r = random.Random(20261101)
    nicknames = {(n.shop_id, n.user_id): n.nickname for agent in agents for n in agent.nicknames}
    now = utcnow().replace(microsecond=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-chats.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number in range(1, COUNT + 1):
                shop, agent, other = r.choice(shops), r.choice(agents), r.choice(agents)
                nick = nicknames.get((shop.id, agent.id)) or agent.display_name
                other_nick = nicknames.get((shop.id, other.id)) or other.display_name
                start = now - timedelta(days=r.uniform(0, 90))
                start = start.replace(hour=r.randint(9, 22))
                if start > now:
                    start -= timedelta(days=1)
                record = _chat(r, number, agent, shop, nick, other_nick, start)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary = import_file(path, display_name="demo-chats.jsonl")
    return {"chats_imported": summary.imported}

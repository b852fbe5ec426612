"""Deterministic synthetic data at benchmark scale, streamed to disk (never held in memory).

Chats are spread evenly over `days` days ending at `start + days`, agents are served round-robin
(chat n belongs to agent n % agents), 60 % of chats carry an order id (T + the chat number), and
messages alternate customer/agent with realistic gaps (a few seconds for the customer, up to a
few minutes for the agent, so some first responses exceed the 300 s limit). The same arguments
always write the same file.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

SHOP = "bench-shop"
CST = timezone(timedelta(hours=8))
DEFAULT_START = datetime(2026, 8, 1, tzinfo=CST)
CUSTOMER_LINES = [
    "在吗?这件外套有M码吗",
    "请问什么时候发货",
    "我想退货,尺码不合适",
    "快递三天了还没到",
    "优惠券怎么用不了",
    "这个保温杯能装开水吗",
    "能便宜一点吗",
    "地址写错了能改吗",
    "收到的商品有划痕",
    "退款什么时候到账",
    "好的谢谢",
    "那我再看看",
]
AGENT_LINES = [
    "亲,在的~请问有什么可以帮您",
    "M码有货哦,今天下单明天发",
    "亲,已经帮您登记退货了",
    "这边帮您查一下物流,请稍等",
    "优惠券需要满199才能使用哦",
    "可以装开水的,请放心",
    "地址已经帮您修改好了",
    "非常抱歉给您带来不便,马上为您处理",
    "退款会在1-3个工作日原路返回",
    "还有其他可以帮您的吗?",
    "感谢您的耐心,祝您生活愉快",
]
#: (text, rating, sentiment, service polarity): the labels let the bench load reviews into the
#: database already classified, without running the classifier on every row
REVIEW_TEXTS = [
    ("衣服质量很好,客服{nick}回复很快,很耐心", 5, "positive", "praise"),
    ("物流太慢了,客服{nick}态度还可以", 3, "neutral", "mixed"),
    ("客服{nick}态度很差,问了半天不回复", 1, "negative", "criticism"),
    ("东西一般,没什么特别的", 3, "neutral", "none"),
    ("非常满意,下次还来", 5, "positive", "none"),
    ("质量差,和描述不符,客服也不理人", 1, "negative", "criticism"),
    ("The agent {nick} was very helpful and quick", 5, "positive", "praise"),
    ("Product broke after a week", 2, "negative", "none"),
]
_NICK = re.compile(r"客服(\d{3})")


def nickname(agent_index: int) -> str:
    return f"客服{agent_index:03d}"


def nickname_index(text: str) -> int | None:
    """The agent index named in a generated review text, or None."""
    found = _NICK.search(text)
    return int(found[1]) if found else None


def review_labels(text: str) -> tuple[str, str]:
    """(sentiment, service polarity) of a generated review text."""
    for template, _, sentiment, polarity in REVIEW_TEXTS:
        head = template.split("{nick}")[0]
        if text.startswith(head) and (text == template or "{nick}" in template):
            return sentiment, polarity
    return "neutral", "none"


def order_id(chat_number: int) -> str | None:
    return f"T{chat_number:012d}" if chat_number % 5 < 3 else None


def chats(
    path: Path,
    *,
    agents: int,
    count: int,
    days: int,
    messages: int = 12,
    seed: int = 7,
    start: datetime = DEFAULT_START,
) -> Path:
    """Write `count` chats as gzipped JSON Lines; `messages` ± 6 messages each (mean `messages`)."""
    rng = random.Random(seed)
    low, high = max(2, messages - 6), messages + 6
    tmp = path.with_name(path.name + ".part")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as out:
        for n in range(count):
            agent = nickname(n % agents)
            at = start + timedelta(seconds=rng.randrange(days * 86400))
            lines = []
            for i in range(rng.randint(low, high)):
                customer_turn = i % 2 == 0
                at += timedelta(seconds=rng.randrange(5, 40) if customer_turn else rng.randrange(8, 400))
                lines.append(
                    {
                        "at": at.isoformat(),
                        "from": "customer" if customer_turn else "agent",
                        **({} if customer_turn else {"agent": agent}),
                        "text": rng.choice(CUSTOMER_LINES if customer_turn else AGENT_LINES),
                    }
                )
            record = {
                "id": f"b-{n:08d}",
                "shop": SHOP,
                "channel": "qianniu",
                "agent": agent,
                "customer": f"buyer_{rng.randrange(count)}",
                "order_id": order_id(n),
                "messages": lines,
            }
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
    tmp.rename(path)
    return path


def reviews(
    path: Path,
    *,
    agents: int,
    count: int,
    days: int,
    chats_count: int,
    seed: int = 11,
    start: datetime = DEFAULT_START,
) -> Path:
    """Write `count` reviews as CSV in the FORMATS.md columns; ~24 % point at a bench chat's order."""
    rng = random.Random(seed)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "order_id", "shop", "created_at", "rating", "service_rating", "agent", "text"])
        for n in range(count):
            text, rating, _, _ = rng.choice(REVIEW_TEXTS)
            order_n = rng.randrange(chats_count)
            order = (order_id(order_n) or "") if rng.random() < 0.4 else ""
            created = start + timedelta(seconds=rng.randrange(days * 86400))
            writer.writerow(
                [
                    f"r-{n:08d}",
                    order,
                    SHOP,
                    created.strftime("%Y-%m-%d %H:%M:%S"),
                    rating,
                    rng.choice(["", "4", "5", "3"]),
                    "",
                    text.format(nick=nickname(rng.randrange(agents))),
                ]
            )
    tmp.rename(path)
    return path

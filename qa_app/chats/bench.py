"""Write a large generated chat export for measuring the importer (docs/chats.md).

    python -m qa_app.chats.bench /tmp/bench.jsonl 100000 [--gz]
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from datetime import datetime, timedelta, timezone

LINES = [("customer", "请问这款有现货吗？"), ("agent", "亲，您好，有现货的哦"),
         ("customer", "什么时候发货"), ("agent", "今天下单明天发货"),
         ("customer", "好的，地址写错了能改吗"), ("agent", "可以的，把新地址发我就行"),
         ("customer", "好的谢谢"), ("agent", "不客气，还有什么可以帮您的吗？")]


def write(path: str, count: int, gz: bool = False) -> None:
    r = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for number in range(count):
            at = start + timedelta(minutes=number)
            messages = []
            for sender, text in LINES:
                at += timedelta(seconds=r.randint(5, 200))
                messages.append({"from": sender, "text": text, "at": at.isoformat()})
            handle.write(json.dumps({"id": f"bench-{number}", "shop": "bench", "agent": f"客服{number % 40}",
                                     "order_id": f"T{number:012d}", "messages": messages},
                                    ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]), gz="--gz" in sys.argv)

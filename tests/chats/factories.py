"""Builders for chat tests: import-format records, files, and the real shared samples converted
to the import format (ecd: Taobao dialogues without times; twcs: Twitter threads with times)."""

from __future__ import annotations

import gzip
import itertools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

# ../shared beside the checkout (a git worktree one level deeper finds it one folder further up)
SHARED = next(
    (
        p / "shared" / "data" / "chats"
        for p in Path(__file__).resolve().parents[3:5]
        if (p / "shared" / "data" / "chats").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "data" / "chats",
)
ECD = SHARED / "ecd_sample_positive_dialogues.jsonl"
TWCS = SHARED / "twcs_sample_threads.jsonl"
_sequence = itertools.count(1)
T0 = datetime(2026, 11, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def message(sender: str, text: str, seconds: float | None = None, agent: str | None = None) -> dict:
    record = {"from": sender, "text": text}
    if seconds is not None:
        record["at"] = (T0 + timedelta(seconds=seconds)).isoformat()
    if agent:
        record["agent"] = agent
    return record


def chat_record(messages=None, **fields) -> dict:
    n = next(_sequence)
    return {
        "id": f"c-{n}",
        "shop": "tmall-flagship",
        "channel": "qianniu",
        "agent": "小美",
        "customer": f"buyer_{n}",
        "order_id": f"T2026110{n:06d}",
        "messages": messages
        if messages is not None
        else [
            message("customer", "这件外套有M码吗?", 0),
            message("agent", "亲，您好，在的~M码有货哦", 40),
            message("customer", "好的谢谢", 100),
            message("agent", "不客气，还有什么可以帮您的吗？", 130),
        ],
        **fields,
    }


def write_jsonl(path: Path, records, *, gz: bool = False) -> Path:
    lines = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def write_csv(path: Path, rows, *, encoding: str = "utf-8") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["chat_id", "at", "from", "agent", "customer", "order_id", "shop", "text"])
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def ecd_records(limit: int | None = None, shop: str = "taobao-ecd", agent: str = "小蜜") -> list[dict]:
    """The ECD Taobao dialogues as chats: no times (time checks must say not measurable)."""
    records = []
    with ECD.open(encoding="utf-8") as handle:
        for line in itertools.islice(handle, limit):
            source = json.loads(line)
            records.append(
                {
                    "id": source["id"],
                    "shop": shop,
                    "channel": "qianniu",
                    "agent": agent,
                    "messages": [{"from": turn["role"], "text": turn["text"]} for turn in source["turns"]],
                }
            )
    return records


def twcs_records(shop: str = "twitter-support") -> list[dict]:
    """The Twitter support threads as chats, with their real times; the agent is the company."""
    records = []
    with TWCS.open(encoding="utf-8") as handle:
        for line in handle:
            source = json.loads(line)
            records.append(
                {
                    "id": f"twcs-{source['thread_root']}",
                    "shop": shop,
                    "channel": "twitter",
                    "agent": source["company"],
                    "messages": [
                        {
                            "from": turn["role"],
                            "at": turn["time"],
                            "text": turn["text"],
                            **({"agent": turn["author"]} if turn["role"] == "agent" else {}),
                        }
                        for turn in source["turns"]
                    ],
                }
            )
    return records


def twcs_first_response_seconds() -> dict[str, float]:
    with TWCS.open(encoding="utf-8") as handle:
        return {f"twcs-{s['thread_root']}": s["first_response_seconds"] for s in map(json.loads, handle)}

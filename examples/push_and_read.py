"""Push the shared sample chats and reviews through the API, then read back an evaluation.

    python examples/push_and_read.py http://127.0.0.1:5000 qat_...   # a token with all scopes

Chats come from ../shared/data/chats/twcs_sample_threads.jsonl (converted to the FORMATS.md
shape), reviews from ../shared/data/reviews/waimai_10k.csv (first 50 rows). Standard library only.
"""

from __future__ import annotations

import csv
import json
import sys
import urllib.request
from itertools import islice
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SHOP = "example-shop"
AGENT = "小美"


def call(base: str, token: str, method: str, path: str, body=None) -> dict:
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def sample_chats() -> list[dict]:
    chats = []
    for line in (DATA / "chats" / "twcs_sample_threads.jsonl").read_text(encoding="utf-8").splitlines():
        thread = json.loads(line)
        chats.append({"id": f"twcs-{thread['thread_root']}", "shop": SHOP, "agent": AGENT,
                      "channel": "twitter", "messages": [
                          {"at": turn["time"], "from": turn["role"], "text": turn["text"]}
                          for turn in thread["turns"]]})
    return chats


def sample_reviews() -> list[dict]:
    with (DATA / "reviews" / "waimai_10k.csv").open(encoding="utf-8-sig") as handle:
        rows = islice(csv.DictReader(handle), 50)
        return [{"id": f"waimai-{n}", "shop": SHOP, "rating": "5" if row["label"] == "1" else "1",
                 "text": row["review"]} for n, row in enumerate(rows)]


def main(base: str, token: str) -> None:
    print("chats:", call(base, token, "POST", "/api/v1/chats", {"chats": sample_chats()}))
    print("reviews:", call(base, token, "POST", "/api/v1/reviews", {"reviews": sample_reviews()}))
    evaluations = call(base, token, "GET", "/api/v1/evaluations?per_page=1")
    print("evaluation:", json.dumps(evaluations["items"][:1], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2])

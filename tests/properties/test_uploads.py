"""Uploading any file to the import pages: never a 500; the import job ends done or failed with
a message (never "internal error"), a failed one stores nothing, and the job page shows the file
name and message escaped."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from hypothesis import event, example, given
from hypothesis import strategies as st

from qa_app.chats.models import Chat
from qa_app.extensions import db as _db
from qa_app.jobs.models import Job
from qa_app.reviews.models import Review

from .strategies import SETTINGS

REVIEW_LINES = st.lists(
    st.sampled_from(
        [
            '{"id": "r1", "text": "客服很耐心"}',
            '{"id": "r2", "text": "<script>alert(1)</script>"}',
            '{"id": "r3", "text": "=cmd|\' /C calc\'!A0", "rating": "9"}',
            '{"id": "", "text": "x"}',
            "id,text",
            "r4,好",
            "not json",
            '{"id": "r5", "text": "\\u0000"}',
        ]
    ),
    max_size=5,
)
CHAT_LINES = st.lists(
    st.sampled_from(
        [
            '{"id": "c1", "agent": "小美", "messages": [{"from": "customer", "text": "<b>在吗</b>"}]}',
            '{"id": "c2", "agent": "小美", "messages": []}',
            '{"id": "c3", "messages": "x"}',
            "chat_id,from,agent,text",
            "c4,agent,小美,=1+1",
            "not json",
            '{"id": "c5", "agent": "小美", "messages": [{"from": "agent", "text": "\\u0000\\ud800"}]}',
        ]
    ),
    max_size=5,
)
NAMES = st.sampled_from(
    [
        "reviews.csv",
        "reviews.jsonl",
        "<script>x()</script>.csv",
        "../../etc/passwd.jsonl",
        "好评.csv",
        "archive.jsonl.gz",
        "noext",
        ".csv",
    ]
)


def lines(strategy):
    return strategy.map(lambda found: "\n".join(found).encode())


UPLOADS = {
    # endpoint: (url, model stored, what a file may hold)
    "reviews.upload": ("/reviews/import", Review, st.one_of(st.binary(max_size=300), lines(REVIEW_LINES))),
    # deeply nested JSON and huge integers are examples in test_chat_import.py:
    # 300 bytes cannot hold either
    "chats.upload": ("/chats/import", Chat, st.one_of(st.binary(max_size=300), lines(CHAT_LINES))),
}


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("endpoint", sorted(UPLOADS))
@SETTINGS
@given(
    data=st.data(),
    name=NAMES,
    encoding=st.sampled_from(["utf-8", "gbk", "latin-1", "nope"]),
    skip=st.sampled_from(["y", ""]),
)
@example(data=None, name="<script>x()</script>.csv", encoding="utf-8", skip="")
def test_any_upload_ends_in_a_clear_job(client, login_as, endpoint, data, name, encoding, skip):
    url, model, contents = UPLOADS[endpoint]
    content = b"id,text\n,\n" if data is None else data.draw(contents, label="content")
    login_as("qa", "admin")
    before = count(model)
    response = client.post(
        url,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(content), name), "encoding": encoding, "skip_invalid": skip},
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code != 302:
        assert count(model) == before
        return
    job = _db.session.scalar(sa.select(Job).order_by(Job.id.desc()).limit(1))
    assert job.status in ("done", "failed")
    event(f"job {job.status}")
    assert not (job.message or "").startswith("internal error"), job.message
    if job.status == "failed":
        assert count(model) == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>x()" not in page and "<script>alert(1)" not in page

"""The import job page: counts, rejected lines with localised reasons, rejects CSV, nicknames."""

import io

import sqlalchemy as sa

from qa_app.extensions import db as _db
from qa_app.ingest import Problem
from qa_app.ingest.reasons import code_for, coded
from qa_app.jobs.models import Job

GOOD = '{"id": "c-1", "agent": "无名客服", "messages": [{"from": "customer", "text": "hi"}]}\n'
BAD = '{"id": "c-2", "agent": "无名客服"}\n'
REVIEWS = "id,order_id,shop,created_at,rating,service_rating,agent,text\n"


def _upload_chats(client, body: str, skip_invalid: bool = True) -> Job:
    data = {"file": (io.BytesIO(body.encode()), "bad.jsonl"), "encoding": "utf-8"}
    if skip_invalid:
        data["skip_invalid"] = "y"
    client.post("/chats/import", data=data, content_type="multipart/form-data")
    return _db.session.scalar(sa.select(Job).order_by(Job.id.desc()))


def test_a_common_reason_gets_a_code_and_its_parameters():
    assert code_for("id 'x-1' appears twice in this file") == ("duplicate", {"id": "'x-1'"})


def test_an_unknown_reason_keeps_its_english_text_without_a_code():
    assert coded(Problem("f.csv", 3, "x", "something new"))["code"] is None


def test_chat_job_page_in_chinese_lists_the_rejected_line_with_a_chinese_reason(client, login_as):
    login_as("qa", locale="zh_CN")
    job = _upload_chats(client, GOOD + BAD)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "会话导入" in page and "已完成" in page and "必填，但缺失" in page
    assert "required field is missing" not in page


def test_chat_job_page_in_english_shows_the_counts(client, login_as):
    login_as("qa")
    job = _upload_chats(client, GOOD + BAD)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Skipped (already present)" in page and "required, but missing" in page
    assert (job.result["imported"], job.result["rejected"]) == (1, 1)


def test_chat_job_page_links_an_unknown_nickname_to_the_mapping_page(client, login_as):
    login_as("qa")
    job = _upload_chats(client, GOOD)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "无名客服" in page and 'href="/chats/nicknames"' in page


def test_refused_chat_file_lists_its_bad_lines_in_the_readers_language(client, login_as):
    login_as("qa", locale="zh_CN")
    job = _upload_chats(client, GOOD + BAD, skip_invalid=False)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert job.status == "failed" and "未导入任何数据" in page and "必填，但缺失" in page


def test_rejects_download_has_one_row_per_rejected_line_with_the_localised_reason(client, login_as):
    login_as("qa", locale="zh_CN")
    job = _upload_chats(client, GOOD + BAD)
    rows = client.get(f"/jobs/{job.id}/rejects.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows == [
        "文件,行,字段,原因,原始信息",
        "bad.jsonl,2,messages,必填，但缺失,required field is missing",
    ]


def test_rejects_download_is_only_for_the_jobs_owner(client, login_as, auth):
    login_as("qa")
    job = _upload_chats(client, GOOD + BAD)
    login_as("qa")
    assert client.get(f"/jobs/{job.id}/rejects.csv").status_code == 404


def test_review_job_page_gives_a_bad_rating_in_chinese(client, login_as):
    login_as("qa", locale="zh_CN")
    data = {
        "file": (io.BytesIO((REVIEWS + "a,,,,9,,,好\nb,,,,5,,,好\n").encode()), "r.csv"),
        "encoding": "utf-8",
        "skip_invalid": "y",
    }
    client.post("/reviews/import", data=data, content_type="multipart/form-data")
    job = _db.session.scalar(sa.select(Job))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "评价导入" in page and "&#39;9&#39; 不是 1–5 或 好评/中评/差评" in page


def test_status_json_gives_the_status_and_progress_in_the_readers_language(client, login_as):
    login_as("qa", locale="zh_CN")
    job = _upload_chats(client, GOOD)
    status = client.get(f"/jobs/{job.id}.json").get_json()
    assert status["status_label"] == "已完成" and status["progress_text"].startswith("已读取")

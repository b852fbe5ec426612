"""Web CSV downloads: headers in the reader's language by default, machine names on request."""

import pytest

from .properties.world import World

#: download -> who may take it -> (machine header start)
DOWNLOADS = {
    "/reviews/export.csv": ("lead", "id,shop,order_id,created_at"),
    "/reviews/corrections.csv": ("lead", "id,shop,text,sentiment"),
    "/qa/reports/scores.csv": ("qa", "score_id,submitted_at,agent"),
    "/qa/reports/criteria.csv": ("qa", "score_id,criterion,weight"),
    "/training/reports/courses.csv": ("trainer", "course,title,team"),
    "/training/reports/overdue.csv": ("trainer", "username,name,team"),
}


def _header(client, url: str) -> str:
    return client.get(url).get_data(as_text=True).lstrip("\ufeff").splitlines()[0]


@pytest.mark.parametrize("url", sorted(DOWNLOADS))
def test_a_web_download_has_chinese_headers_for_a_chinese_reader(client, auth, db, url):
    role, machine = DOWNLOADS[url]
    auth.login_user(World().user(role)).locale = "zh_CN"
    header = _header(client, url)
    assert not header.startswith(machine.split(",")[0] + ",") and "_" not in header, header


@pytest.mark.parametrize("url", sorted(DOWNLOADS))
def test_a_web_download_gives_machine_headers_on_request(client, auth, db, url):
    role, machine = DOWNLOADS[url]
    auth.login_user(World().user(role)).locale = "zh_CN"
    assert _header(client, url + "?headers=machine").startswith(machine)


def test_rejects_download_has_chinese_headers_and_machine_ones_on_request(client, login_as):
    import io

    login_as("qa", locale="zh_CN")
    data = {"file": (io.BytesIO(b'{"id": "c-2", "agent": "x"}\n'), "bad.jsonl"), "skip_invalid": "y"}
    client.post("/chats/import", data=data, content_type="multipart/form-data")
    assert _header(client, "/jobs/1/rejects.csv") == "文件,行,字段,原因,原始信息"
    assert _header(client, "/jobs/1/rejects.csv?headers=machine") == "file,line,field,reason,message"

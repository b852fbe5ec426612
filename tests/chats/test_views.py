"""Chat pages: list and search, transcript, upload, nickname mapping, home panel."""

import io

import sqlalchemy as sa

from qa_app.chats import services
from qa_app.chats.models import Chat
from qa_app.extensions import db as _db
from qa_app.jobs.models import Job
from tests.factories import make_shop, make_user

from .factories import chat_record, message


def chat_id(external_id: str) -> int:
    return _db.session.scalar(sa.select(Chat.id).where(Chat.external_id == external_id))


def test_transcript_shows_bubbles_gap_and_checks(client, login_as, import_records):
    import_records([chat_record(id="c-show")])
    login_as("qa")
    page = client.get(f"/chats/{chat_id('c-show')}").get_data(as_text=True)
    assert "bubble customer" in page and "bubble agent" in page
    assert "replied after 40 s" in page
    assert "First response time" in page and "M码有货" in page


def test_transcript_shows_times_in_the_shops_timezone(client, login_as, import_records):
    import_records([chat_record(id="c-tz")])
    login_as("qa")
    assert "2026-11-01 10:00:40" in client.get(f"/chats/{chat_id('c-tz')}").get_data(as_text=True)


def test_agent_sees_own_chat_but_not_anothers(client, auth, db, import_records):
    shop = make_shop(slug="tmall-flagship")
    owner = make_user(nickname="小美", shop=shop)
    other = make_user()
    import_records([chat_record(id="c-own")])
    auth.login_user(owner)
    assert client.get(f"/chats/{chat_id('c-own')}").status_code == 200
    auth.login_user(other)
    assert client.get(f"/chats/{chat_id('c-own')}").status_code == 404


def test_chat_list_is_not_for_agents(client, login_as):
    login_as("agent")
    assert client.get("/chats").status_code == 403


def test_search_by_text_finds_the_chat(client, login_as, import_records):
    import_records(
        [
            chat_record(id="c-coat"),
            chat_record(id="c-other", messages=[message("customer", "退货地址是哪里")]),
        ]
    )
    login_as("qa")
    page = client.get("/chats?q=退货").get_data(as_text=True)
    assert "c-other" in page and "c-coat" not in page


def test_search_by_order_id_and_failed_check(client, login_as, import_records):
    import_records(
        [
            chat_record(id="c-a", order_id="T1"),
            chat_record(id="c-b", order_id="T2", messages=[message("customer", "在吗", 0)]),
        ]
    )
    login_as("qa")
    assert "c-a" in client.get("/chats?order=T1").get_data(as_text=True)
    failing = client.get("/chats?check=first_response_time&result=fail").get_data(as_text=True)
    assert "c-b" in failing and "c-a" not in failing


def test_search_by_tag_matches_whole_tags(client, login_as, import_records):
    import_records([chat_record(id="c-t", tags=["退款", "大促"]), chat_record(id="c-u", tags=["退款申请"])])
    login_as("qa")
    page = client.get("/chats?tag=退款").get_data(as_text=True)
    assert "c-t" in page and "c-u" not in page


def test_nonsense_filters_do_not_break_the_list(client, login_as):
    login_as("qa")
    response = client.get("/chats?agent=x&from=2026-13-45&to=no&check=zzz&result=%25&page=-3&q=%25_")
    assert response.status_code == 200


def test_empty_list_tells_qa_to_import(client, login_as):
    login_as("qa")
    assert "Import a chat export" in client.get("/chats").get_data(as_text=True)


def test_upload_imports_through_a_job_and_shows_its_progress(client, login_as):
    login_as("qa")
    data = ('{"id": "u-1", "agent": "小美", "messages": [{"from": "customer", "text": "hi"}]}\n').encode()
    response = client.post(
        "/chats/import",
        data={"file": (io.BytesIO(data), "export.jsonl"), "encoding": "utf-8"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = _db.session.scalar(sa.select(Job))
    assert job.status == "done" and job.result["imported"] == 1


def test_upload_of_a_malformed_file_fails_the_job_with_line_and_field(client, login_as):
    login_as("qa")
    client.post(
        "/chats/import",
        data={"file": (io.BytesIO(b'{"id": 1}\n'), "bad.jsonl"), "encoding": "utf-8"},
        content_type="multipart/form-data",
    )
    job = _db.session.scalar(sa.select(Job))
    assert job.status == "failed" and job.message.startswith("bad.jsonl:1: agent: ")


def test_upload_of_an_unknown_file_type_is_refused_on_the_form(client, login_as):
    login_as("qa")
    response = client.post(
        "/chats/import",
        data={"file": (io.BytesIO(b"x"), "chats.xlsx"), "encoding": "utf-8"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and _db.session.scalar(sa.select(Job)) is None


def test_mapping_an_unknown_nickname_attaches_its_chats(client, login_as, import_records):
    import_records([chat_record(agent="阿珍")])
    agent = make_user(display_name="Zhen")
    login_as("admin")
    assert "阿珍" in client.get("/chats/nicknames").get_data(as_text=True)
    shop_id = _db.session.scalar(sa.select(Chat.shop_id))
    client.post("/chats/nicknames/map", data={"shop_id": shop_id, "nickname": "阿珍", "user_id": agent.id})
    assert _db.session.scalar(sa.select(Chat.agent_id)) == agent.id
    assert "Every nickname in the imported chats belongs to an agent" in client.get(
        "/chats/nicknames"
    ).get_data(as_text=True)


def test_mapping_without_an_agent_is_refused_cleanly(client, login_as):
    login_as("qa")
    response = client.post("/chats/nicknames/map", data={"shop_id": "x", "nickname": ""})
    assert response.status_code == 302


def test_home_panel_shows_recent_imports_to_qa(client, login_as, import_records):
    import_records([chat_record()])
    login_as("qa")
    assert "imported 1, skipped 0, rejected 0" in client.get("/").get_data(as_text=True)


def test_agent_for_order_is_who_wrote_most_agent_messages(db, import_records):
    shop = make_shop(slug="tmall-flagship")
    mei, lin = make_user(nickname="小美", shop=shop), make_user(nickname="小林", shop=shop)
    import_records(
        [
            chat_record(
                order_id="T9",
                messages=[
                    message("customer", "在吗", 0),
                    message("agent", "在的", 5, agent="小美"),
                    message("agent", "我来处理", 50, agent="小林"),
                    message("agent", "好了", 80, agent="小林"),
                ],
            )
        ]
    )
    user, rule = services.agent_for_order(shop.id, "T9")
    assert user.id == lin.id and "T9" in str(rule)
    assert mei.id != user.id


def test_agent_for_unknown_order_is_nobody(db):
    user, rule = services.agent_for_order(None, "nothing")
    assert user is None and rule.key == "no_chat" and "nothing" in str(rule)


def test_unmapped_majority_nickname_gives_nobody_the_credit(import_records):
    import_records([chat_record(order_id="T7", agent="阿珍")])
    user, rule = services.agent_for_order(None, "T7")
    assert user is None and "阿珍" in str(rule)


def test_reviews_hook_returns_an_empty_list_without_the_reviews_domain(import_records):
    import_records([chat_record()])
    assert services.reviews_for_chat(_db.session.scalar(sa.select(Chat))) == []

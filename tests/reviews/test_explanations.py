"""The attribution rule is stored language-neutral and read in the viewer's language."""

import csv
import io

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from qa_app.extensions import db
from qa_app.reviews import explanations
from qa_app.reviews.corrections import attribute_manually
from qa_app.reviews.explanations import part
from qa_app.reviews.importer import import_file
from qa_app.reviews.models import Review

from .factories import make_order_chat, make_review, write_csv

SHOP = "天猫旗舰店"
FIELD_EN = f"The export names the agent: 小美 is 林小美 in {SHOP}."
FIELD_ZH = f"导出文件写明了客服：小美 是 {SHOP} 的 林小美。"
NOBODY_EN = f"The text names no known agent of {SHOP}."
NOBODY_ZH = f"正文中没有提到 {SHOP} 的已知客服。"

# (stored part, English, Chinese): every sentence an attribution can store
ROUTES = {
    "field": (part("field_named", nick="小美", name="林小美", shop=SHOP), FIELD_EN, FIELD_ZH),
    "field, unknown nickname": (
        part("field_unknown", nick="小兰", shop=SHOP),
        f"The export names 小兰, a nickname nobody has in {SHOP} yet.",
        f"导出文件写的客服是 小兰，但 {SHOP} 中还没有人使用这个昵称。",
    ),
    "order": (
        {"key": "chats.majority", "n": 7, "total": 9, "chats": 2, "order": "T100"},
        "handled most of the conversation: 7 of 9 agent messages in 2 chat(s) about order T100",
        "接待了大部分对话：订单 T100 的 2 个会话中，客服消息 9 条里占 7 条",
    ),
    "order, unmapped nickname": (
        {"key": "chats.unmapped_majority", "nick": "阿珍", "n": 3, "total": 4},
        "阿珍 handled most of the conversation (3 of 4 agent messages) but is not mapped to a user",
        "阿珍 接待了大部分对话（客服消息 4 条中的 3 条），但该昵称尚未对应到用户",
    ),
    "order, no chat": (
        {"key": "chats.no_chat", "order": "T9"},
        "no chat mentions order T9",
        "没有会话涉及订单 T9",
    ),
    "order, no order id": ({"key": "chats.no_order"}, "no order id", "没有订单号"),
    "order, nobody named": (
        part("order_nobody", order="T9"),
        "No chat of order T9 names a known agent.",
        "订单 T9 的聊天记录中没有已知客服。",
    ),
    "text, after a service word": (
        part(
            "text_mention",
            nick="小美",
            context="service word",
            quote="客服小美很耐",
            name="林小美",
            shop=SHOP,
        ),
        f"The text mentions 小美 after a service word (“客服小美很耐”): 小美 is 林小美 in {SHOP}.",
        f"正文在服务称呼之后提到了 小美（“客服小美很耐”）：小美 是 {SHOP} 的 林小美。",
    ),
    "text, a name on its own": (
        part("text_mention", nick="小美", context="standalone", quote="小美很耐心", name="林小美", shop=SHOP),
        f"The text mentions 小美 as a name on its own (“小美很耐心”): 小美 is 林小美 in {SHOP}.",
        f"正文以独立的名字提到了 小美（“小美很耐心”）：小美 是 {SHOP} 的 林小美。",
    ),
    "text, nobody": (part("text_none", shop=SHOP), NOBODY_EN, NOBODY_ZH),
    "text, called so": (
        part(
            "text_mention", nick="小美", context="called", quote="那个叫小美的客服", name="林小美", shop=SHOP
        ),
        f"The text mentions 小美 in the form “called …” (“那个叫小美的客服”): 小美 is 林小美 in {SHOP}.",
        f"正文以“叫……的”的说法提到了 小美（“那个叫小美的客服”）：小美 是 {SHOP} 的 林小美。",
    ),
    "text, unknown name": (
        part("text_unknown_name", name="阿强", quote="那个叫阿强的客服爱", shop=SHOP),
        f"The text names 阿强 (“那个叫阿强的客服爱”), who is not a known agent of {SHOP}.",
        f"正文提到了 阿强（“那个叫阿强的客服爱”），但 阿强 不是 {SHOP} 的已知客服。",
    ),
    "order set aside": (
        part("order_set_aside", name="林小美", order="T100"),
        "The chats of order T100 point to 林小美, but the customer names another agent, so the "
        "review is not credited to 林小美.",
        "订单 T100 的聊天记录指向 林小美，但顾客点名的是另一位客服，因此这条评价不记在 林小美 名下。",
    ),
    "manual": (
        part("manual", lead="王组长", reason="电话里接待的"),
        "Attributed by hand by 王组长: 电话里接待的",
        "由 王组长 手动归属：电话里接待的",
    ),
}


@pytest.fixture
def in_app(app):
    with app.app_context():
        yield


def imported(tmp_path, *rows) -> list[Review]:
    """Reviews imported by a process whose language is Chinese (as the CLI and jobs are)."""
    with force_locale("zh_CN"):
        import_file(write_csv(tmp_path / "r.csv", *rows))
    return list(db.session.scalars(sa.select(Review).order_by(Review.id)))


def page(client, auth, user, url: str, locale: str) -> str:
    user.locale = locale
    db.session.commit()
    auth.login_user(user)
    return client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("route", ROUTES)
def test_each_routes_explanation_renders_in_both_languages(in_app, route):
    stored_part, english, chinese = ROUTES[route]
    stored = explanations.dump([stored_part])
    with force_locale("en"):
        assert explanations.render(stored) == english
    with force_locale("zh_CN"):
        assert explanations.render(stored) == chinese


def test_notes_of_several_failed_rules_render_together(in_app):
    stored = explanations.dump([ROUTES["field, unknown nickname"][0], ROUTES["text, nobody"][0]])
    with force_locale("en"):
        assert explanations.render(stored) == (
            f"The export names 小兰, a nickname nobody has in {SHOP} yet. {NOBODY_EN}"
        )


def test_legacy_plain_text_renders_as_it_is(in_app):
    for legacy in ("导出文件写明了客服：小美 是 天猫旗舰店 的 林小美。", "[old] by hand", ""):
        with force_locale("en"):
            assert explanations.render(legacy) == legacy
    assert explanations.render(None) == ""


def test_an_unknown_key_or_missing_value_shows_the_values_instead_of_failing(in_app):
    stored = explanations.dump(
        [{"key": "from_a_newer_version", "nick": "小美"}, {"key": "field_named", "nick": "小雪"}]
    )
    with force_locale("en"):
        assert explanations.render(stored) == "nick=小美 nick=小雪"


def test_the_stored_rule_holds_no_sentence_in_either_language(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,小美,很好")[0]
    assert explanations.load(review.attribution_rule) == [ROUTES["field"][0]]
    assert "导出" not in review.attribution_rule and "export" not in review.attribution_rule


def test_review_imported_in_chinese_reads_in_each_viewers_language(client, auth, org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,小美,很好")[0]
    url = f"/reviews/{review.id}"
    english = page(client, auth, org.lead, url, "en")
    assert FIELD_EN in english and FIELD_ZH not in english
    chinese = page(client, auth, org.lead, url, "zh_CN")
    assert FIELD_ZH in chinese and FIELD_EN not in chinese


def test_queue_reads_in_each_viewers_language(client, auth, org, tmp_path):
    imported(tmp_path, "b,,tmall-flagship,,5,,,东西不错")
    english = page(client, auth, org.lead, "/reviews/unattributed", "en")
    assert NOBODY_EN in english and NOBODY_ZH not in english
    chinese = page(client, auth, org.lead, "/reviews/unattributed", "zh_CN")
    assert NOBODY_ZH in chinese and NOBODY_EN not in chinese


def test_order_route_reads_in_each_viewers_language(client, auth, org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7), "小雪": (org.xue, 2)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,5,,,东西不错")[0]
    assert review.attribution_route == "order"
    url = f"/reviews/{review.id}"
    assert ("handled most of the conversation: 7 of 9 agent messages in 1 chat(s) about order T100") in page(
        client, auth, org.lead, url, "en"
    )
    assert "接待了大部分对话：订单 T100 的 1 个会话中，客服消息 9 条里占 7 条" in page(
        client, auth, org.lead, url, "zh_CN"
    )


def test_legacy_rule_still_shows_on_the_page(client, auth, org):
    review = make_review(org.shop, org.mei, attribution_rule="旧版本写下的说明")
    assert "旧版本写下的说明" in page(client, auth, org.lead, f"/reviews/{review.id}", "en")


def test_manual_attribution_reads_in_the_viewers_language(client, auth, org):
    review = make_review(org.shop, None)
    with force_locale("zh_CN"):
        attribute_manually(org.lead, review, org.mei, reason="她在电话里接待 <b>客户</b>")
    url = f"/reviews/{review.id}"
    name = org.lead.display_name
    english = page(client, auth, org.lead, url, "en")
    assert f"Attributed by hand by {name}: 她在电话里接待 &lt;b&gt;客户&lt;/b&gt;" in english
    chinese = page(client, auth, org.lead, url, "zh_CN")
    assert f"由 {name} 手动归属：她在电话里接待 &lt;b&gt;客户&lt;/b&gt;" in chinese


def test_export_uses_the_exporters_language(client, auth, org, tmp_path):
    imported(tmp_path, "a,,tmall-flagship,,5,,小美,很好")

    def rules(locale):
        body = page(client, auth, org.lead, "/reviews/export.csv?headers=machine", locale)
        return [row["attribution_rule"] for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))]

    assert rules("en") == [FIELD_EN]
    assert rules("zh_CN") == [FIELD_ZH]


CONFLICT_EN = (
    "The chats of order T100 point to 林小美, but the customer names another agent, so "
    "the review is not credited to 林小美."
)
CONFLICT_ZH = "订单 T100 的聊天记录指向 林小美，但顾客点名的是另一位客服，因此这条评价不记在 林小美 名下。"


def test_a_conflict_with_the_orders_agent_shows_both_reasons_in_each_language(client, auth, org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,1,,,售后小雪态度很差")[0]
    url = f"/reviews/{review.id}"
    english = page(client, auth, org.other_lead, url, "en")
    assert "The text mentions 小雪 after a service word" in english
    assert CONFLICT_EN in english and "handled most of the conversation" in english
    assert "the customer names someone other than the agent of the order" in english
    chinese = page(client, auth, org.other_lead, url, "zh_CN")
    assert "正文在服务称呼之后提到了 小雪" in chinese
    assert CONFLICT_ZH in chinese and "接待了大部分对话" in chinese
    assert "顾客点名的不是订单的客服" in chinese and CONFLICT_EN not in chinese


def test_a_conflict_reads_in_the_exporting_users_language(client, auth, org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    imported(tmp_path, "a,T100,tmall-flagship,,1,,,售后小雪态度很差")
    exported = page(client, auth, org.other_lead, "/reviews/export.csv?headers=machine", "zh_CN")
    rule = next(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))["attribution_rule"]
    assert rule.startswith("正文在服务称呼之后提到了 小雪") and CONFLICT_ZH in rule


def test_an_unknown_name_reads_as_the_reason_in_the_queue_in_each_language(client, auth, org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    imported(tmp_path, "a,T100,tmall-flagship,,1,,,那个叫阿强的客服爱答不理")
    english = page(client, auth, org.lead, "/reviews/unattributed", "en")
    assert "who is not a known agent of" in english and CONFLICT_EN in english
    chinese = page(client, auth, org.lead, "/reviews/unattributed", "zh_CN")
    assert "阿强 不是" in chinese and CONFLICT_ZH in chinese

"""`agent_for_order` says why in a language-neutral form that callers can keep and render later."""

from flask_babel import force_locale

from qa_app.chats import services
from tests.factories import make_shop, make_user

from .factories import chat_record, message


def test_the_reason_is_a_key_with_values_not_a_sentence(db, import_records):
    shop = make_shop(slug="tmall-flagship")
    lin = make_user(nickname="小林", shop=shop)
    import_records(
        [
            chat_record(
                order_id="T9",
                messages=[message("customer", "在吗", 0), message("agent", "我来处理", 5, agent="小林")],
            )
        ]
    )
    with force_locale("zh_CN"):
        user, reason = services.agent_for_order(shop.id, "T9")
    assert user.id == lin.id
    assert (reason.key, reason.params) == ("majority", {"n": 1, "total": 1, "chats": 1, "order": "T9"})


def test_the_reason_reads_in_the_current_language(db, import_records):
    import_records([chat_record(order_id="T7", agent="阿珍")])
    _user, reason = services.agent_for_order(None, "T7")
    with force_locale("en"):
        assert str(reason).startswith("阿珍 handled most of the conversation")
    with force_locale("zh_CN"):
        assert str(reason).startswith("阿珍 接待了大部分对话")


def test_every_reason_key_renders_in_both_languages(db):
    params = {"order": "T1", "nick": "阿珍", "n": 2, "total": 3, "chats": 1}
    for key in services.ORDER_REASONS:
        with force_locale("en"):
            english = services.order_reason_text(key, params)
        with force_locale("zh_CN"):
            chinese = services.order_reason_text(key, params)
        assert english and chinese and english != chinese and "%(" not in english + chinese

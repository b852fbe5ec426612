"""A shop's service standards: one source for the chat checks, edited on the shop settings page."""

import sqlalchemy as sa

from qa_app.accounts.models import Shop
from qa_app.accounts.standards import DEFAULT_CLOSINGS, DEFAULT_OPENERS
from qa_app.chats.checks import Rules
from qa_app.extensions import db as _db
from tests.factories import make_shop


def form(shop, **fields):
    return {
        "name": shop.name,
        "timezone": shop.timezone,
        "first_response_limit_seconds": "300",
        "forbidden_phrases": "不知道",
        "accepted_openers": "小店恭候多时",
        "allowed_templates": "不知道您满意吗",
        "closing_phrases": "祝您生活愉快\n欢迎再次光临",
        **fields,
    }


def test_a_new_shop_starts_with_the_platform_openers_and_closing_phrases(db):
    rules = Rules.for_shop(make_shop())
    assert rules.accepted_openers == DEFAULT_OPENERS
    assert rules.closing_phrases == DEFAULT_CLOSINGS


def test_the_checks_read_the_shops_standards(db):
    shop = make_shop(
        forbidden_phrases=" 不知道 \n\n不归我管",
        accepted_openers="小店恭候多时",
        allowed_templates="不知道您满意吗",
        closing_phrases="欢迎再次光临",
    )
    rules = Rules.for_shop(shop)
    assert (
        rules.forbidden_phrases,
        rules.accepted_openers,
        rules.allowed_templates,
        rules.closing_phrases,
    ) == (("不知道", "不归我管"), ("小店恭候多时",), ("不知道您满意吗",), ("欢迎再次光临",))


def test_admin_saves_the_standards_one_phrase_per_line(client, login_as, db):
    login_as("admin")
    shop = make_shop()
    response = client.post(f"/admin/shops/{shop.id}", data=form(shop, closing_phrases=" 欢迎再次光临 \n\n"))
    assert response.status_code == 302
    saved = _db.session.get(Shop, shop.id)
    assert (saved.accepted_openers, saved.allowed_templates, saved.closing_phrases) == (
        "小店恭候多时",
        "不知道您满意吗",
        "欢迎再次光临",
    )


def test_an_empty_closing_list_is_refused_and_nothing_is_saved(client, login_as, db):
    login_as("admin", locale="en")
    shop = make_shop()
    page = client.post(f"/admin/shops/{shop.id}", data=form(shop, name="Renamed", closing_phrases=""))
    assert "Enter at least one closing phrase." in page.get_data(as_text=True)
    assert _db.session.scalar(sa.select(Shop.name).where(Shop.id == shop.id)) == shop.name


def test_a_too_long_phrase_is_refused_naming_its_line(client, login_as, db):
    login_as("admin", locale="en")
    shop = make_shop()
    page = client.post(f"/admin/shops/{shop.id}", data=form(shop, accepted_openers="您好\n" + "长" * 201))
    assert "Line 2 is longer than 200 characters." in page.get_data(as_text=True)


def test_the_settings_page_says_forbidden_phrases_are_not_measurable_without_a_list(client, login_as, db):
    login_as("admin", locale="zh_CN")
    page = client.get(f"/admin/shops/{make_shop(forbidden_phrases='').id}").get_data(as_text=True)
    assert "其会话的禁用语检查显示为“无法判断”" in page


def test_the_settings_page_does_not_warn_when_the_shop_has_a_list(client, login_as, db):
    login_as("admin", locale="zh_CN")
    page = client.get(f"/admin/shops/{make_shop().id}").get_data(as_text=True)
    assert "其会话的禁用语检查显示为“无法判断”" not in page

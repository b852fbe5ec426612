import sqlalchemy as sa
from flask_babel import force_locale

from qa_app.accounts.services import set_nickname
from qa_app.extensions import db
from qa_app.reviews.explanations import load, names_someone_else, render
from qa_app.reviews.importer import import_file
from qa_app.reviews.models import Review

from ..factories import make_user
from .factories import make_order_chat, write_csv


def imported(tmp_path, *rows) -> Review:
    import_file(write_csv(tmp_path / "r.csv", *rows))
    return db.session.scalars(sa.select(Review).order_by(Review.id.desc())).first()


def test_agent_field_attributes_by_nickname_in_that_shop(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,小美,很好")
    assert (review.agent_id, review.attribution_route) == (org.mei.id, "field")
    assert "小美" in render(review.attribution_rule)


def test_order_goes_to_the_agent_who_handled_most_of_the_chat(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 2), "小雪": (org.xue, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,5,,,东西不错")
    assert (review.agent_id, review.attribution_route) == (org.xue.id, "order")
    assert "T100" in render(review.attribution_rule)


def test_text_mention_attributes_when_there_is_no_field_or_chat(org, tmp_path):
    review = imported(tmp_path, "a,T999,tmall-flagship,,5,,,客服小美很耐心")
    assert (review.agent_id, review.attribution_route) == (org.mei.id, "text")


def test_field_wins_over_order_and_text(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小雪": (org.xue, 5)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,5,,小美,客服小雪很好")
    assert review.attribution_route == "field" and review.agent_id == org.mei.id


def test_nickname_out_of_service_context_leaves_the_review_unattributed(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,,买给小美女朋友的")
    assert review.agent_id is None and review.attribution_route is None
    assert "天猫旗舰店" in render(review.attribution_rule)  # says why nobody was found


def test_nicknames_of_another_shop_do_not_count(org, tmp_path):
    review = imported(tmp_path, "a,,other-shop,,5,,,客服小美很耐心")
    assert review.agent_id is None


def test_review_without_shop_matches_nicknames_of_any_shop(org, tmp_path):
    review = imported(tmp_path, "a,,,,5,,,客服小美很耐心")
    assert review.agent_id == org.mei.id


def test_assigning_the_named_nickname_attributes_waiting_reviews(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,小兰,态度很好")
    assert review.agent_id is None
    newcomer = make_user(team=org.team)
    set_nickname(None, newcomer, org.shop, "小兰")
    db.session.refresh(review)
    assert (review.agent_id, review.attribution_route) == (newcomer.id, "field")


def test_assigning_a_nickname_mentioned_in_the_text_attributes_it(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,5,,,客服小兰很热情")
    newcomer = make_user(team=org.team)
    set_nickname(None, newcomer, org.shop, "小兰")
    db.session.refresh(review)
    assert (review.agent_id, review.attribution_route) == (newcomer.id, "text")


def test_a_name_in_the_text_beats_the_orders_agent(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,1,,,售后小雪态度很差")
    assert (review.agent_id, review.attribution_route) == (org.xue.id, "text")


def test_a_conflict_with_the_orders_agent_keeps_both_reasons(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,1,,,售后小雪态度很差")
    keys = [p["key"] for p in load(review.attribution_rule)]
    assert keys == ["text_mention", "order_set_aside", "chats.majority"]
    assert names_someone_else(review.attribution_rule)


def test_the_orders_agent_named_in_the_text_is_no_conflict(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,5,,,小美的回复很及时")
    assert (review.agent_id, review.attribution_route) == (org.mei.id, "text")
    assert not names_someone_else(review.attribution_rule)


def test_a_name_no_agent_has_leaves_the_review_unattributed_despite_the_order(org, tmp_path):
    make_order_chat(org.shop, "T100", {"小美": (org.mei, 7)})
    review = imported(tmp_path, "a,T100,tmall-flagship,,1,,,那个叫阿强的客服爱答不理")
    assert review.agent_id is None and review.attribution_route is None
    parts = load(review.attribution_rule)
    assert parts[0] == {
        "key": "text_unknown_name",
        "name": "阿强",
        "quote": "那个叫阿强的客服爱",
        "shop": "天猫旗舰店",
    }
    assert "order_set_aside" in [p["key"] for p in parts]


def test_a_name_no_agent_has_reads_as_the_reason_in_the_queue(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,1,,,那个叫阿强的客服爱答不理")
    with force_locale("en"):
        assert "names 阿强" in render(review.attribution_rule)
        assert "not a known agent of 天猫旗舰店" in render(review.attribution_rule)


def test_a_nickname_assigned_later_attributes_the_review_naming_it(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,1,,,那个叫阿强的客服爱答不理")
    newcomer = make_user(team=org.team)
    set_nickname(None, newcomer, org.shop, "阿强")
    db.session.refresh(review)
    assert (review.agent_id, review.attribution_route) == (newcomer.id, "text")


def test_an_unknown_export_nickname_and_an_unknown_name_are_both_explained(org, tmp_path):
    review = imported(tmp_path, "a,,tmall-flagship,,1,,小兰,那个叫阿强的客服爱答不理")
    assert [p["key"] for p in load(review.attribution_rule)] == ["field_unknown", "text_unknown_name"]

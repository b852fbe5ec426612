"""Names as customers write them: each pattern finds the shop's nicknames and names nobody has;
generic words of the same shape are never names."""

import pytest

from qa_app.reviews.naming import find_agent_mention, find_unknown_name

NICKS = {"小美": 1, "小静": 2, "阿杰": 3, "Amy": 4}


def known(text):
    mention = find_agent_mention(text, NICKS)
    return mention.nickname if mention else None


def unknown(text):
    named = find_unknown_name(text, NICKS)
    return named.name if named else None


@pytest.mark.parametrize(
    ("text", "nick"),
    [
        ("那个叫小美的客服爱答不理", "小美"),  # 叫X的
        ("小美的回复跟机器人一样", "小美"),  # X的回复
        ("售后小静态度很差", "小静"),  # 售后X
        ("客服小美很耐心", "小美"),  # 客服X
        ("小美客服很耐心", "小美"),  # X客服
        ("阿杰一开始说可以价保", "阿杰"),  # X一开始…
        ("然后阿杰答应给我补发", "阿杰"),  # X答应 after other words
        ("the agent Amy was rude", "Amy"),  # the English equivalents
    ],
)
def test_a_known_nickname_is_found_in_each_naming_pattern(text, nick):
    assert known(text) == nick


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("那个叫阿强的客服爱答不理", "阿强"),
        ("叫王芳的客服很热情", "王芳"),  # any short name when a service word follows
        ("小龙的回复跟机器人一样", "小龙"),
        ("售后小芳态度很差", "小芳"),
        ("客服阿强很耐心", "阿强"),
        ("阿强客服态度很好", "阿强"),
        ("阿强一开始说可以价保", "阿强"),
        ("客服“小北”敷衍了事", "小北"),  # a quoted name after a service word
        ("客服小海龙非常好", "小海龙"),  # 小XY
        ("非常满意 小海葵服务非常好", "小海葵"),  # X服务 for a name on its own
        ("the agent Bob was rude", "Bob"),
        ("Support rep called Dana never answered", "Dana"),
    ],
)
def test_a_name_nobody_has_is_found_in_each_naming_pattern(text, name):
    assert known(text) is None
    assert unknown(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "小美女很漂亮，衣服也好看",  # 小美 inside 小美女
        "客服小美女回复很快",  # a longer word after a service word
        "买给小美女朋友的",
        "阿姨说很好吃",  # 阿姨 is no name
        "叫快递的来取件很方便",  # 叫X的 without a name's shape or a service word
        "让客服叫我等的，等了半天",  # a pronoun is no name
        "客服小姐姐很耐心",
        "快递小哥说明天到",
        "售后小问题处理得很快",  # 售后 + 小问题: the name would not end there
        "一小时后才说有货",
        "阿里的服务器又挂了",
        "小店的服务不错",
        "尺码小很多，退了",
        "对我这种小白来说够玩了",  # 小白 (a beginner) 来说
        "嘴里小声说到",
        "我接到了小鱼府客服的电话",  # a shop's name before 客服
        "a product called Switch",  # "called" only counts after agent / rep
        "The agent was rude",
    ],
)
def test_generic_words_of_a_names_shape_name_nobody(text):
    assert known(text) is None
    assert unknown(text) is None


def test_the_unknown_name_keeps_a_quote_of_where_it_stands():
    named = find_unknown_name("物流很快。那个叫阿强的客服爱答不理", NICKS)
    assert named.context == "called" and "叫阿强的客服" in named.quote


def test_a_known_nickname_beats_an_unknown_name_in_the_same_text():
    assert known("阿强态度很差，还好小美的回复很及时") == "小美"

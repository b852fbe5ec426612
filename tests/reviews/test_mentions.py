from qa_app.reviews.mentions import find_mention

NICKS = ["小美", "小美美", "甜甜", "Amy"]


def nick(text):
    mention = find_mention(text, NICKS)
    return mention.nickname if mention else None


def test_nickname_after_service_word_is_found():
    assert nick("客服小美很耐心") == "小美"


def test_standalone_nickname_at_sentence_start_is_found():
    assert nick("物流快。小美很耐心") == "小美"


def test_longest_nickname_wins():
    assert nick("客服小美美回复很快") == "小美美"


def test_nickname_inside_another_word_is_ignored():
    assert nick("小美女穿着很好看") is None


def test_nickname_used_as_an_ordinary_word_is_ignored():
    assert nick("味道甜甜的很好吃") is None


def test_latin_nickname_needs_word_boundaries():
    assert nick("Amyloid test") is None
    assert nick("the agent amy was rude") == "Amy"

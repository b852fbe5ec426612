"""`chats autoqa --evaluate LABELS.csv` (../shared/FORMATS.md): stored checks against verdicts."""

import json

from .factories import chat_record, message, write_jsonl

GREETED = [
    message("customer", "在吗"),
    message("agent", "您好，在的"),
    message("customer", "好的谢谢"),
    message("agent", "还有什么可以帮您的吗"),
]
BLUNT = [
    message("customer", "在吗"),
    message("agent", "订单号发一下"),
    message("customer", "为什么这么慢"),
    message("agent", "已催"),
]


def imported(runner, tmp_path):
    records = [chat_record(GREETED, id="a"), chat_record(BLUNT, id="b"), chat_record(GREETED, id="c")]
    runner.invoke(args=["chats", "import", str(write_jsonl(tmp_path / "chats.jsonl", records))])


def labels(tmp_path, text: str):
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


# a: all agree; b: greeting fail agrees, negative fail agrees; c: the specialist fails the
# greeting the checks pass, and leaves negative_ending unjudged
LABELS = "chat_id,greeting,negative_ending,closing\na,pass,pass,pass\nb,fail,fail,\nc,fail,,pass\n"


def test_evaluate_prints_judged_agreement_and_fail_precision_and_recall(runner, tmp_path):
    imported(runner, tmp_path)
    result = runner.invoke(args=["chats", "autoqa", "--evaluate", labels(tmp_path, LABELS)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "check,judged,agreement,fail_precision,fail_recall",
        "greeting,3,0.667,1.0,0.5",
        "negative_ending,2,1.0,1.0,1.0",
        "closing,2,1.0,,",
    ]


def test_evaluate_lists_the_disagreeing_chats_after_the_figures(runner, tmp_path):
    imported(runner, tmp_path)
    lines = runner.invoke(
        args=["chats", "autoqa", "--evaluate", labels(tmp_path, LABELS)]
    ).stdout.splitlines()
    assert lines[4:] == ["", "check,chat_id,expected,stored", "greeting,c,fail,pass"]


def test_evaluate_json_gives_one_object_per_check(runner, tmp_path):
    imported(runner, tmp_path)
    out = runner.invoke(
        args=["chats", "autoqa", "--evaluate", labels(tmp_path, LABELS), "--format", "json"]
    ).stdout
    greeting = json.loads(out.splitlines()[0])
    assert greeting == {
        "check": "greeting",
        "judged": 3,
        "agreement": 0.667,
        "fail_precision": 1.0,
        "fail_recall": 0.5,
        "disagreeing": ["c"],
    }


def test_an_unknown_chat_id_exits_1_naming_the_line(runner, tmp_path):
    imported(runner, tmp_path)
    result = runner.invoke(args=["chats", "autoqa", "--evaluate", labels(tmp_path, LABELS + "zzz,pass,,\n")])
    assert result.exit_code == 1
    assert "labels.csv:5: chat_id: unknown chat 'zzz'" in result.stderr
    assert result.stdout == ""


def test_an_unknown_verdict_exits_1_naming_line_and_column(runner, tmp_path):
    imported(runner, tmp_path)
    result = runner.invoke(
        args=["chats", "autoqa", "--evaluate", labels(tmp_path, "chat_id,closing\na,maybe\n")]
    )
    assert (result.exit_code, "labels.csv:2: closing: unknown verdict 'maybe'" in result.stderr) == (1, True)


def test_labels_without_a_chat_id_column_exit_1(runner, tmp_path):
    result = runner.invoke(args=["chats", "autoqa", "--evaluate", labels(tmp_path, "id,closing\na,pass\n")])
    assert (result.exit_code, "chat_id: required column is missing" in result.stderr) == (1, True)


def test_since_with_evaluate_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(
        args=["chats", "autoqa", "--since", "2026-01-01", "--evaluate", labels(tmp_path, LABELS)]
    )
    assert result.exit_code == 2


def test_a_missing_labels_file_is_a_usage_error(runner, tmp_path):
    assert runner.invoke(args=["chats", "autoqa", "--evaluate", str(tmp_path / "none.csv")]).exit_code == 2


def test_the_same_id_in_two_shops_needs_a_shop_column(runner, tmp_path):
    records = [chat_record(GREETED, id="a", shop="one"), chat_record(GREETED, id="a", shop="two")]
    runner.invoke(args=["chats", "import", str(write_jsonl(tmp_path / "chats.jsonl", records))])
    ambiguous = runner.invoke(
        args=["chats", "autoqa", "--evaluate", labels(tmp_path, "chat_id,greeting\na,pass\n")]
    )
    assert ambiguous.exit_code == 1
    named = runner.invoke(
        args=["chats", "autoqa", "--evaluate", labels(tmp_path, "chat_id,shop,greeting\na,two,pass\n")]
    )
    assert (named.exit_code, named.stdout.splitlines()[1]) == (0, "greeting,1,1.0,,")

"""Any chat export either imports exactly its valid chats or is rejected naming line and field,
storing nothing; message text, markup included, is stored verbatim and shown escaped.

Cases that once crashed the reader stay as examples: a deeply nested JSON line, an integer of more
than 4300 digits, times that cannot be stored (`0001-01-01T00:00:00+01:00`, or naive in the
shop's zone).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import example, given
from hypothesis import strategies as st

from qa_app.accounts.models import Shop
from qa_app.chats.importer import ImportRejected, import_file
from qa_app.chats.models import Chat, ChatMessage
from qa_app.chats.parsing import CSV_COLUMNS
from qa_app.extensions import db as _db

from .files import csv_lines, encode, jsonl_lines
from .strategies import HTML, SETTINGS

# NUL and unpaired surrogates are refused (CORRUPTIONS); any other character is stored as sent
STORABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
MESSAGE_TEXT = st.one_of(st.text(STORABLE, max_size=80), HTML)
MESSAGE = st.fixed_dictionaries(
    {
        "from": st.sampled_from(["customer", "agent", "system"]),
        "text": MESSAGE_TEXT,
    },
    optional={"at": st.sampled_from(["2026-11-01T10:03:00+08:00", "2026-11-01T10:04:00"])},
)
CHAT = st.fixed_dictionaries(
    {
        "agent": st.sampled_from(["小美", "mei", "<b>mei</b>"]),
        "messages": st.lists(MESSAGE, min_size=1, max_size=4),
    },
    optional={
        "customer": st.sampled_from(["buyer_42", "<i>buyer</i>"]),
        "order_id": st.sampled_from(["T2026110112345"]),
        "channel": st.just("qianniu"),
        "tags": st.lists(st.sampled_from(["退货", "vip"]), max_size=2),
    },
)
#: (field as reported, how to break a record).
CORRUPTIONS = st.sampled_from(
    [
        ("id", lambda r: r.update(id="")),
        ("id", lambda r: r.update(id="x" * 129)),
        ("id", lambda r: r.update(id=[1])),
        ("agent", lambda r: r.pop("agent")),
        ("agent", lambda r: r.update(agent="y" * 65)),
        ("messages", lambda r: r.update(messages=[])),
        ("messages", lambda r: r.update(messages="hello")),
        ("messages", lambda r: r.pop("messages")),
        ("messages[0].from", lambda r: r["messages"][0].update({"from": "bot"})),
        ("messages[0].text", lambda r: r["messages"][0].pop("text")),
        ("messages[0].text", lambda r: r["messages"][0].update(text={"html": "<b>"})),
        ("messages[0].text", lambda r: r["messages"][0].update(text="a\x00b")),
        ("messages[0].text", lambda r: r["messages"][0].update(text="\ud800")),
        ("agent", lambda r: r.update(agent="\udfff")),
        ("messages[0].at", lambda r: r["messages"][0].update(at="yesterday")),
        ("messages[0].at", lambda r: r["messages"][0].update(at="0001-01-01T00:00:00+01:00")),
        ("messages[0].at", lambda r: r["messages"][0].update(at="0001-01-01T00:00:00")),
        ("started_at", lambda r: r.update(started_at="0001-01-01T00:00:00+01:00")),
        ("started_at", lambda r: r.update(started_at="9999-12-31T23:59:59-01:00")),
        ("tags", lambda r: r.update(tags="vip")),
        ("channel", lambda r: r.update(channel="c" * 33)),
        ("shop", lambda r: r.update(shop="s" * 65)),
    ]
)


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def reset() -> None:
    _db.session.rollback()
    for model in reversed(_db.metadata.sorted_tables):
        if model.name in (
            "chat_messages",
            "chat_agents",
            "check_results",
            "chats",
            "chat_imports",
            "audit_entries",
        ):
            _db.session.execute(model.delete())
    _db.session.execute(sa.delete(Shop))
    _db.session.commit()


def numbered(chats: list[dict]) -> list[dict]:
    return [{"id": f"c-{n}", "shop": "prop-shop", **chat} for n, chat in enumerate(chats)]


def stored_messages() -> dict[str, list[str]]:
    rows = _db.session.execute(
        sa.select(Chat.external_id, ChatMessage.text)
        .join(ChatMessage, ChatMessage.chat_id == Chat.id)
        .order_by(Chat.external_id, ChatMessage.position)
    )
    stored: dict[str, list[str]] = {}
    for external_id, text in rows:
        stored.setdefault(external_id, []).append(text)
    return stored


def expected_messages(chats: list[dict]) -> dict[str, list[str]]:
    """JSON Lines keep the messages in the order the line lists them (times or not)."""
    return {chat["id"]: [m["text"] for m in chat["messages"]] for chat in chats}


def write_jsonl(tmp_path, chats: list, *, gzipped: bool = False):
    text, starts = jsonl_lines(chats)
    path = tmp_path / f"chats.jsonl{'.gz' if gzipped else ''}"
    path.write_bytes(encode(text, gzipped=gzipped))
    return path, starts


# -- arbitrary bytes --------------------------------------------------------------------------------


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".jsonl", ".csv", ".jsonl.gz"]))
@example(data=b"\x1f\x8b\x08\x00garbage", suffix=".jsonl.gz")
@example(data=b'chat_id,from,agent,text\n"a,agent,m,x\n', suffix=".csv")
@example(data=b"chat_id,from,agent,text\na,agent,m,\xff\n", suffix=".csv")
@example(data=b"chat_id,from,agent,text\na,agent,m,x\x00y\n", suffix=".csv")
@example(
    data=b'{"id": "a", "agent": "m", "messages": [{"from": "agent", "text": "\\ud800"}]}', suffix=".jsonl"
)
@example(
    data=b'{"id": "a", "agent": "m", "messages": [{"from": "agent", "text": "x\xe2\x80\xa8y"}]}',
    suffix=".jsonl",
)
@example(data=b"[" * 100000 + b"]" * 100000, suffix=".jsonl")
@example(data=b'{"id": ' + b"1" * 5000 + b"}", suffix=".jsonl")
def test_arbitrary_bytes_import_cleanly_or_not_at_all(db, tmp_path, data, suffix):
    reset()
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        summary = import_file(path)
    except ImportRejected as error:  # either outcome is right, so no pytest.raises
        assert error.reject.line >= 1 and error.reject.field  # noqa: PT017
        assert (count(Chat), count(Shop)) == (0, 0)
    else:
        assert count(Chat) == summary.imported


# -- one bad line -----------------------------------------------------------------------------------


def with_one_bad_line(tmp_path, chats, data, corruption):
    """The chats written to a file with one of them corrupted: (chats, path, its first line,
    the field the corruption breaks)."""
    reset()
    chats = numbered(chats)
    bad = data.draw(st.integers(0, len(chats) - 1))
    field, corrupt = corruption
    corrupt(chats[bad])
    path, starts = write_jsonl(tmp_path, chats)
    return chats, path, starts[bad], field


@SETTINGS
@given(chats=st.lists(CHAT, min_size=1, max_size=5), data=st.data(), corruption=CORRUPTIONS)
def test_one_bad_line_rejects_the_file_naming_line_and_field(db, tmp_path, chats, data, corruption):
    chats, path, line, field = with_one_bad_line(tmp_path, chats, data, corruption)
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    assert (caught.value.reject.line, caught.value.reject.field) == (line, field)
    assert (count(Chat), count(Shop)) == (0, 0)


@SETTINGS
@given(chats=st.lists(CHAT, min_size=2, max_size=5), data=st.data(), corruption=CORRUPTIONS)
def test_skip_invalid_stores_exactly_the_valid_chats(db, tmp_path, chats, data, corruption):
    reset()
    chats = numbered(chats)
    bad = data.draw(st.sets(st.integers(0, len(chats) - 1), min_size=1, max_size=len(chats) - 1))
    field, corrupt = corruption
    for index in bad:
        corrupt(chats[index])
    path, starts = write_jsonl(tmp_path, chats)
    summary = import_file(path, skip_invalid=True)
    valid = [chat for i, chat in enumerate(chats) if i not in bad]
    assert stored_messages() == expected_messages(valid)
    assert (summary.imported, summary.rejected) == (len(valid), len(bad))
    reported = (tmp_path / "chats.jsonl.rejects.csv").read_text(encoding="utf-8")
    assert all(f"\n{starts[i]},{field}," in reported for i in bad), reported


# -- valid files -------------------------------------------------------------------------------------


@SETTINGS
@given(chats=st.lists(CHAT, min_size=1, max_size=4), gzipped=st.booleans())
def test_valid_jsonl_text_is_stored_verbatim(db, tmp_path, chats, gzipped):
    reset()
    chats = numbered(chats)
    path, _ = write_jsonl(tmp_path, chats, gzipped=gzipped)
    assert import_file(path).imported == len(chats)
    assert stored_messages() == expected_messages(chats)


CSV_TEXT = st.one_of(st.text(STORABLE, max_size=60), HTML, st.sampled_from(["a,b", '"q"', "x\ny"]))


@SETTINGS
@given(
    texts=st.lists(CSV_TEXT, min_size=1, max_size=6), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"])
)
def test_valid_csv_text_is_stored_verbatim(db, tmp_path, texts, encoding):
    if encoding == "gbk":
        texts = [t.encode("gbk", "ignore").decode("gbk") for t in texts]
    reset()
    rows = [
        ["c-1", "", "customer" if i % 2 else "agent", "小美", "", "", "prop-shop", text]
        for i, text in enumerate(texts)
    ]
    text, _ = csv_lines(list(CSV_COLUMNS), rows)
    path = tmp_path / "chats.csv"
    path.write_bytes(encode(text, encoding))
    import_file(path, encoding="gbk" if encoding == "gbk" else "utf-8")
    assert stored_messages() == {"c-1": texts}


# -- the command line ---------------------------------------------------------------------------------


@SETTINGS
@given(chats=st.lists(CHAT, min_size=1, max_size=4), data=st.data(), corruption=CORRUPTIONS)
def test_cli_exits_1_naming_line_and_field_and_stores_nothing(db, runner, tmp_path, chats, data, corruption):
    chats, path, line, field = with_one_bad_line(tmp_path, chats, data, corruption)
    result = runner.invoke(args=["chats", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: {field}:" in result.stderr
    assert count(Chat) == 0
    skipped = runner.invoke(args=["chats", "import", "--skip-invalid", str(path)])
    assert skipped.exit_code == 0, skipped.output
    assert f"imported {len(chats) - 1}, skipped 0 (already present), rejected 1" in skipped.stdout


# -- shown escaped ------------------------------------------------------------------------------------


@SETTINGS
@given(text=HTML)
def test_markup_in_a_message_is_shown_escaped_on_the_transcript(db, client, login_as, tmp_path, text):
    reset()
    login_as("qa")
    path, _ = write_jsonl(
        tmp_path,
        numbered(
            [
                {
                    "agent": "<b>mei</b>",
                    "customer": text[:128],
                    "messages": [{"from": "customer", "text": text}, {"from": "agent", "text": text}],
                }
            ]
        ),
    )
    import_file(path)
    chat_id = _db.session.scalar(sa.select(Chat.id))
    page = client.get(f"/chats/{chat_id}").get_data(as_text=True)
    assert text not in page and "<b>mei</b>" not in page

"""Every page a role can open reads as Chinese when the user chose Chinese.

Each role logs in with language zh_CN and walks every GET page of the URL map it may open (routes
with parameters get the ids of a small world of factory data). A page fails on visible English
sentences, raw codes (snake_case or dotted keys such as score.submitted), raw JSON and times with
microseconds. Data values (anything stored in the database: names, nicknames, titles, chat text)
are allowed, so they are removed from the text before it is read.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from qa_app.extensions import db as _db
from qa_app.jobs.models import Job
from qa_app.qa import disputes
from qa_app.reviews.corrections import correct_classification

from .properties.world import World
from .test_permission_matrix import ROUTES

#: two or more English words in a row (a word: two letters or more, or a capitalised one)
ENGLISH = re.compile(r"\b[A-Za-z][a-z]+(?:(?:,? +|['’])[A-Za-z][a-z]+)+\b")
#: a snake_case or dotted key, e.g. per_agent, score.submitted, chats.import
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+\.(?!(?:csv|json|jsonl|gz|xlsx|toml|md)\b)[a-z_]+\b")
RAW_JSON = re.compile(r"[{\[]\s*\"[^\"]+\"\s*:")
#: a text node that is one lowercase word and nothing else but digits and signs: a code (qianniu)
LONE_CODE = re.compile(r"^[^A-Za-z0-9]*([a-z]{3,})(?![\w-])[^A-Za-z]*$")
#: a stored value that is itself a code (yes_no, praise, score.submitted): not data, still checked
CODE_VALUE = re.compile(r"^[a-z]+(?:[_.][a-z0-9]+)*$")
MICROSECONDS = re.compile(r"\d\d:\d\d:\d\d\.\d+|\d{4}-\d\d-\d\dT\d\d:\d\d")
#: words that are the same in both languages (brands, units, formats)
NAMES = ("Markdown", "Excel", "CSV", "JSON", "JSONL", "TOML", "API", "Playwright", "QA")

#: URL parameter -> a value from the world
PARAMETERS = {
    "chat_id": lambda w: w.recent_chat.id,
    "agent_id": lambda w: w.agent.id,
    "user_id": lambda w: w.agent.id,
    "session_id": lambda w: w.calibration.id,
    "plan_id": lambda w: w.plan.id,
    "rubric_id": lambda w: w.rubric.id,
    "review_id": lambda w: w.review.id,
    "slug": lambda w: w.published_course.slug,
    "key": lambda w: w.published_course.published.lessons[0].key,
    "course_id": lambda w: w.course.id,
    "lesson_id": lambda w: w.lesson.id,
    "question_id": lambda w: w.question.id,
    "shop_id": lambda w: w.shop.id,
    "team_id": lambda w: w.agent.team.id,
    "dispute_id": lambda w: w.dispute.id,
    "score_id": lambda w: w.score.id,
    "sample_id": lambda w: w.unscored_sample.id,
    "attempt_id": lambda w: w.attempt.id,
}
ROLES = ("agent", "trainer", "qa", "lead", "admin")
#: an import with a good chat, a chat missing its messages and an unknown nickname (the job page)
CHATS = (
    '{"id": "c-1", "agent": "无名客服", "channel": "qianniu", "messages": [{"from": "customer", "text": "hi"}]}\n'
    '{"id": "c-2", "agent": "无名客服"}\n'
)


class _Text(HTMLParser):
    """The visible text nodes of a page (not scripts, styles or code samples)."""

    HIDDEN = frozenset({"script", "style", "code", "pre", "textarea"})

    def __init__(self):
        super().__init__()
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label") and value:
                self.nodes.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.nodes.append(data.strip())


def _stored_values() -> list[str]:
    """Every string in the database, longest first (a long value may contain a short one)."""
    values = set()
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        if not columns:
            continue
        for row in _db.session.execute(sa.select(*columns)):
            values.update(v.strip() for v in row if isinstance(v, str) and len(v.strip()) > 1)
    values = {v for v in values if not CODE_VALUE.match(v)}
    return sorted(values, key=len, reverse=True)


#: rule -> query strings that show another part of the page
VARIANTS = {
    "/evaluations/agents/<int:agent_id>/evidence": ("?kind=training", "?kind=reviews"),
    "/qa/disputes": ("?status=upheld",),
}


def _decided_world(world) -> World:
    """The world after a lead corrected a review and a dispute was decided (their history shows)."""
    review = world.review
    sentiment = "negative" if review.sentiment != "negative" else "neutral"
    correct_classification(
        world.agent.team.lead,
        review,
        sentiment=sentiment,
        service_polarity="none",
        evidence=None,
        reason="核对",
    )
    disputes.resolve(world.user("qa", 2), world.dispute, "upheld", "评分无误")
    _db.session.commit()
    return world


def _import_job(client, role: str) -> int | None:
    """The job page of a chat import the user ran (only importers have one)."""
    if role not in ("qa", "admin"):
        return None
    data = {"file": (io.BytesIO(CHATS.encode()), "bad.jsonl"), "encoding": "utf-8", "skip_invalid": "y"}
    client.post("/chats/import", data=data, content_type="multipart/form-data")
    return _db.session.scalar(sa.select(Job.id).order_by(Job.id.desc()))


def _pages(world, job_id: int | None) -> list[str]:
    urls = []
    for route in ROUTES:
        if route.method != "GET" or route.rule.endswith((".csv", ".json", ".toml", ".xlsx")):
            continue
        if route.rule.startswith(("/api/", "/static")) or "<path:" in route.rule:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route.rule)
        values = {**{name: make(world) for name, make in PARAMETERS.items() if name in names}}
        if job_id is not None:
            values["job_id"] = job_id
        if any(name not in values for name in names):
            continue
        url = route.rule
        for name in names:
            url = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), url)
        urls += [url, *(url + query for query in VARIANTS.get(route.rule, ()))]
    return sorted(set(urls))


def _problems(text: str, stored: list[str]) -> list[str]:
    lone = LONE_CODE.match(text)
    if lone:
        return [f"code: {lone.group(1)!r}"]
    for value in stored:
        text = text.replace(value, " ")
    for name in NAMES:
        text = text.replace(name, " ")
    found = []
    for label, pattern in (
        ("English", ENGLISH),
        ("raw key", RAW_KEY),
        ("JSON", RAW_JSON),
        ("time", MICROSECONDS),
    ):
        found += [f"{label}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def _login(world, role: str):
    if role == "agent":
        return world.agent
    if role == "lead":
        return world.agent.team.lead
    return world.user(role)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_chinese(client, auth, db, role):
    world = _decided_world(World())
    user = _login(world, role)
    user.locale = "zh_CN"
    db.session.commit()
    auth.login_user(user)
    urls = _pages(world, _import_job(client, role))
    stored = _stored_values()
    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Text()
        parser.feed(response.get_data(as_text=True))
        found = sorted({p for node in parser.nodes for p in _problems(node, stored)})
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_one_english_message_reads_the_same_in_every_catalogue():
    """The domains' catalogues are merged into one (the last loaded wins), so a msgid translated
    two ways shows one domain's meaning on another's page ("Submitted" as 提交时间 on a count):
    a second meaning needs its own msgid."""
    translations: dict[str, dict[str, str]] = {}
    for path in Path("qa_app").glob("*/translations/zh_Hans_CN/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.id and message.string:
                    translations.setdefault(message.id, {})[path.parts[1]] = message.string
    clashes = {mid: zh for mid, zh in translations.items() if len(set(zh.values())) > 1}
    assert not clashes, clashes

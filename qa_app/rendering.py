"""Markdown to safe HTML. Every piece of user-written Markdown goes through here.

Raw HTML tags in the source are dropped before rendering (their text stays), so the editor's
"raw HTML and scripts are removed" holds; Markdown images `![..](..)` still work, and tags inside
code spans and blocks are shown as typed.
Task-list items (`- [ ]`, `- [x]`) become disabled checkboxes.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, InlineProcessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "input",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "li": {"class"},
    "ul": {"class"},
    "input": {"type", "checked", "disabled"},
}
# The only values those attributes may take: a task-list checkbox, nothing else.
_FIXED_VALUES = {
    ("li", "class"): {"task"},
    ("ul", "class"): {"tasks"},
    ("input", "type"): {"checkbox"},
    ("input", "checked"): {"", "checked"},
    ("input", "disabled"): {"", "disabled"},
}
# No javascript:, data: or vbscript: URLs; relative links stay allowed.
URL_SCHEMES = {"http", "https", "mailto"}

_TASK = re.compile(r"<li>(\s*<p>)?\[([ xX])\] ")


class _DropTag(InlineProcessor):
    def handleMatch(self, match, data):  # noqa: N802 (Python-Markdown's API name)
        return "", match.start(0), match.end(0)


class _NoRawHtml(Extension):
    """Replace Python-Markdown's raw-HTML pass-through: an HTML block becomes a paragraph and
    each tag in it is dropped. nh3 still cleans the output, as a second line."""

    def extendMarkdown(self, md_instance) -> None:  # noqa: N802 (Python-Markdown's API name)
        md_instance.preprocessors.deregister("html_block")
        md_instance.inlinePatterns.deregister("html")
        md_instance.inlinePatterns.register(_DropTag(HTML_RE, md_instance), "html", 90)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    allowed = _FIXED_VALUES.get((tag, attribute))
    if allowed is None:
        return value
    return value if value in allowed else None


def _task_item(match: re.Match) -> str:
    checked = " checked" if match.group(2) in "xX" else ""
    return f'<li class="task">{match.group(1) or ""}<input type="checkbox" disabled{checked}> '


def _task_lists(html: str) -> str:
    """Turn `<li>[ ] ...` into an item with a disabled checkbox; a list that starts with a task
    loses its bullets (class "tasks")."""
    html = _TASK.sub(_task_item, html)
    return re.sub(r'<ul>(\s*<li class="task">)', r'<ul class="tasks">\1', html)


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and sanitise the result: no raw HTML, scripts, handlers or unsafe links."""
    html = md.markdown(
        text or "", extensions=["tables", "fenced_code", "sane_lists", _NoRawHtml()], output_format="html"
    )
    clean = nh3.clean(
        _task_lists(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)

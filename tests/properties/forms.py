"""The machinery of the form property tests: values for each kind of field, posting them, and
seeing what the database kept.

Values are derived from the form class itself (its fields and their types), so a field added to
a form is fuzzed without editing the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import sqlalchemy as sa
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from wtforms import fields as wtf
from wtforms import validators

from qa_app.extensions import db as _db

from .strategies import HOSTILE, PLAIN

RAW = st.binary(max_size=60)  # percent-encoded as they are: mostly not UTF-8
NUMBER = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["0", "1", "5", "60", "100", "1.5", "-0", "1e3", "NaN", "inf", "0x10", "٣"]),
)
DATE = st.one_of(st.dates().map(str), st.sampled_from(["2026-11-01", "2026-02-30", "11/01/2026"]))
MARKUP = ("<script", "onerror=", "onload=")


def _hostile_or_missing():
    value = st.one_of(HOSTILE, RAW, NUMBER, DATE)
    return st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=3))


def _bounds(form_field):
    low, high, required, pattern = None, None, False, None
    for validator in form_field.validators:
        if isinstance(validator, validators.NumberRange):
            low, high = validator.min, validator.max
        elif isinstance(validator, validators.Length):
            low, high = max(validator.min, 0), (validator.max if validator.max >= 0 else None)
        elif isinstance(validator, (validators.DataRequired, validators.InputRequired)):
            required = True
        elif isinstance(validator, validators.Regexp):
            pattern = validator.regex.pattern
    return low, high, required, pattern


def _plausible_for(form_field) -> st.SearchStrategy | None:
    """Values the field's own validators accept (with markup and formula look-alikes among the
    texts): the rest of the form must often be valid for one hostile field to be tested."""
    low, high, required, pattern = _bounds(form_field)
    if isinstance(form_field, wtf.BooleanField):
        return st.sampled_from(["y", ""])
    if isinstance(form_field, (wtf.IntegerField, wtf.FloatField, wtf.DecimalField)):
        return st.integers(
            math.ceil(low if low is not None else -(10**6)), math.floor(high if high is not None else 10**6)
        ).map(str)
    if isinstance(form_field, wtf.DateField):
        return DATE
    if isinstance(form_field, (wtf.SelectField, wtf.SelectMultipleField, wtf.RadioField)):
        choices = [str(value) for value, *_ in (form_field.choices or [])]
        return st.sampled_from(choices) if choices else NUMBER
    if isinstance(form_field, (wtf.StringField, wtf.TextAreaField)):
        if pattern:
            return st.from_regex(pattern, fullmatch=True).filter(
                lambda s: low is None or low <= len(s) <= (high or len(s))
            )
        texts = PLAIN if high is None else PLAIN.filter(lambda s: len(s) <= high)
        return texts.filter(lambda s: s.strip()) if required else texts
    return None


def values_for(form_class, plausible: dict, *, spoil: int = 2, prefix: str = "") -> st.SearchStrategy[dict]:
    """{field name: value, list of values or None} for every field of the form: plausible
    values, except for up to `spoil` fields (missing, hostile or repeated), so that one bad field
    is tested with the rest of the form valid, and valid forms carry hostile texts."""
    form = form_class(meta={"csrf": False}, formdata=None, prefix=prefix)
    good, bad = {}, {}
    for form_field in form:
        if isinstance(form_field, wtf.FileField) or form_field.type == "CSRFTokenField":
            continue  # uploads have tests of their own
        name = form_field.name
        options = plausible.get(form_field.short_name, _plausible_for(form_field))
        if isinstance(form_field, wtf.SelectMultipleField):
            good[name] = st.lists(options, max_size=3) if options is not None else st.just([])
            bad[name] = st.lists(st.one_of(HOSTILE, RAW), max_size=3)
        else:
            good[name] = options if options is not None else _hostile_or_missing()
            bad[name] = _hostile_or_missing()

    @st.composite
    def values(draw):
        spoilt = draw(st.sets(st.sampled_from(sorted(good)), max_size=spoil)) if good else set()
        return {name: draw(bad[name] if name in spoilt else good[name]) for name in good}

    return values()


def post(client, url: str, fields: dict):
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append((name, item))
    return client.post(url, data=urlencode(pairs), content_type="application/x-www-form-urlencoded")


def single(value):
    """What the form saw: the first of repeated values as Werkzeug decodes it."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    request = EnvironBuilder(
        method="POST", data=urlencode([("v", value)]), content_type="application/x-www-form-urlencoded"
    ).get_request()
    return request.form["v"]


def snapshot(ignore: frozenset = frozenset()) -> dict[str, list]:
    _db.session.rollback()
    existing = set(sa.inspect(_db.engine).get_table_names())
    return {
        table.name: sorted(map(tuple, _db.session.execute(sa.select(table)).all()), key=repr)
        for table in _db.metadata.sorted_tables
        if table.name in existing and table.name not in ignore
    }


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def markup_sent(fields: dict) -> list[str]:
    sent = [
        single(item) for value in fields.values() for item in (value if isinstance(value, list) else [value])
    ]
    return [text for text in sent if text and any(mark in text for mark in MARKUP)]


@dataclass(frozen=True)
class Case:
    """One form as its users post it.

    `url(world)` builds what the form works on and gives the address to post to; `read(world)`
    gives the stored value of each text field after a post that changed something (compared
    with what was sent, stripped unless the field is in `verbatim`); `shows(world)` the pages
    where those values appear, escaped. `plausible(world)` gives valid values for fields whose
    choices come from the database."""

    endpoint: str
    form: type
    role: str
    url: Callable
    read: Callable | None = None
    shows: Callable | None = None
    plausible: Callable = lambda world: {}
    verbatim: frozenset = frozenset()
    #: tables a rejected post may still write to (e.g. a failed login is counted)
    noise: frozenset = frozenset()
    #: the form's field prefix, when the page holds several forms
    prefix: str = ""
    name: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name or self.endpoint

"""Hostile input shared by the property tests: what exports, forms and API clients may send.

Examples are derandomised and few, so a run is quick and the same every time; a failure names
the smallest input hypothesis found.
"""

from __future__ import annotations

import operator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CHARS = st.characters(blacklist_categories=("Cs",))  # lone surrogates: not encodable as UTF-8
HTML = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "<b>bold</b> & <i>co</i>",
        "&lt;escaped&gt;",
        "</textarea><script>x()</script>",
    ]
)
FORMULAS = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        '=HYPERLINK("x")',
    ]
)
TRICKY = st.sampled_from(
    [
        " ",
        "\x00",
        "a\x00b",
        "\u3000",
        "\u202e",
        "\ufeff",
        "0",
        "-1",
        "1e309",
        "NaN",
        "inf",
        "../../etc/passwd",
        "' OR 1=1 --",
        "%s%(x)s",
        "{{ 7*7 }}",
        "好评",
        "差评",
        "\r\n",
        "\\",
    ]
)
TEXT = st.text(CHARS, max_size=60)
HUGE = st.builds(operator.mul, st.sampled_from("a好<\x00"), st.integers(1_000, 30_000))
#: any text a hostile sender might put in a field
HOSTILE = st.one_of(TEXT, HTML, FORMULAS, TRICKY, HUGE)
#: text a field may validly hold, including markup and formula look-alikes
PLAIN = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    HTML,
    FORMULAS.filter(lambda s: s.strip() == s),
)


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth

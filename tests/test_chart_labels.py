"""Chart labels are never clipped: margins fit the labels, long ones are cut with a tooltip."""

import re

from qa_app.evaluations import charts as ev_charts
from qa_app.qa import charts as qa_charts
from qa_app.ui.chart_text import fit, text_width

WEEKS = [f"2026-W{n:02d}" for n in range(40, 53)]
CRITERION = "Told the customer before stepping away from the chat for more than two minutes"


def test_fit_keeps_a_label_that_fits():
    assert fit("2026-W48", 100, 10) == "2026-W48"


def test_fit_cuts_a_long_label_within_the_width_with_an_ellipsis():
    shown = fit(CRITERION, 120, 11)
    assert shown.endswith("…") and text_width(shown, 11) <= 120


def test_wide_characters_count_as_wider_than_latin_ones():
    assert text_width("告知顾客", 10) > text_width("abcd", 10)


def test_evaluation_line_labels_stay_inside_the_chart():
    chart = ev_charts.line(WEEKS, [70.0] * len(WEEKS))
    for x, shown, _ in chart.labels:
        half = text_width(shown, ev_charts.AXIS_FONT) / 2
        assert x - half >= 0 and x + half <= chart.width


def test_evaluation_line_labels_do_not_overlap():
    chart = ev_charts.line(WEEKS * 3, [70.0] * len(WEEKS) * 3)
    edges = [(x - text_width(s, 10) / 2, x + text_width(s, 10) / 2) for x, s, _ in chart.labels]
    assert all(right <= next_left for (_, right), (next_left, _) in zip(edges, edges[1:], strict=False))


def test_evaluation_bar_labels_fit_their_column():
    chart = ev_charts.bars([(CRITERION, 50.0, "ok"), ("QA", 80.0, "ok")])
    assert all(text_width(b.label, ev_charts.BAR_FONT) <= chart.label_width - 8 for b in chart.bars)


def test_evaluation_bar_keeps_the_whole_label_for_the_tooltip():
    chart = ev_charts.bars([(CRITERION, 50.0, "ok")])
    assert chart.bars[0].full == CRITERION and chart.bars[0].label != CRITERION


def test_evaluation_bar_column_grows_with_the_longest_short_label():
    narrow = ev_charts.bars([("QA", 50.0, "ok")]).label_width
    wide = ev_charts.bars([("Customer reviews", 50.0, "ok")]).label_width
    assert wide > narrow


def _texts(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, drawn text) of each <text>, its <title> left out."""
    found = []
    for attrs, body in re.findall(r"<text ([^>]*)>(.*?)</text>", svg):
        x = float(re.search(r'x="([\d.]+)"', attrs).group(1))
        anchor = (re.search(r'text-anchor="(\w+)"', attrs) or [None, "start"])[1]
        found.append((x, anchor, re.sub(r"<title>.*?</title>", "", body)))
    return found


def test_qa_bar_chart_labels_start_inside_the_chart():
    svg = str(qa_charts.bar_chart([(CRITERION, 40.0)], title="t"))
    for x, anchor, text in _texts(svg):
        if anchor == "end":
            assert x - text_width(text, 11) >= 0


def test_qa_bar_chart_puts_the_whole_label_in_a_tooltip():
    svg = str(qa_charts.bar_chart([(CRITERION, 40.0)], title="t"))
    assert f"<title>{CRITERION}</title>" in svg


def test_qa_line_chart_week_labels_stay_inside_the_chart():
    svg = str(qa_charts.line_chart(WEEKS, {"Team": [70.0] * len(WEEKS)}, width=720))
    for x, anchor, text in _texts(svg):
        if anchor == "middle":
            assert x - text_width(text, 10) / 2 >= 0 and x + text_width(text, 10) / 2 <= 720

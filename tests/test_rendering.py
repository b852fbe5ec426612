"""Markdown rendering: what the lesson editor promises ("raw HTML and scripts are removed")."""

from qa_app.rendering import render_markdown


def test_task_list_items_render_as_disabled_checkboxes():
    html = render_markdown("- [ ] open\n- [x] done")
    assert "[ ]" not in html and "[x]" not in html
    assert '<input type="checkbox" disabled=""> open' in html
    assert '<input type="checkbox" disabled="" checked=""> done' in html


def test_a_list_of_tasks_loses_its_bullets():
    assert '<ul class="tasks">' in render_markdown("- [ ] open\n- [ ] also open")


def test_loose_task_list_items_render_as_checkboxes_too():
    html = render_markdown("- [ ] open\n\n- [X] done")
    assert "[ ]" not in html and "[X]" not in html
    assert html.count('type="checkbox"') == 2


def test_an_ordinary_list_keeps_its_brackets_in_the_middle_of_text():
    html = render_markdown("- see [ ] later")
    assert "see [ ] later" in html and "checkbox" not in html


def test_a_raw_html_image_is_removed():
    html = render_markdown('before\n\n<img src=x onerror="alert(2)">\n\nafter')
    assert "<img" not in html and "onerror" not in html


def test_inline_raw_html_tags_are_removed_and_their_text_kept():
    html = render_markdown("say <b>hello</b> <span style='color:red'>now</span>")
    assert "<b>" not in html and "<span" not in html and "say hello now" in html


def test_a_markdown_image_still_renders():
    assert '<img alt="logo" src="https://example.com/a.png">' in render_markdown(
        "![logo](https://example.com/a.png)"
    )


def test_html_in_code_is_shown_as_typed():
    html = render_markdown("`<img src=x>`\n\n```\n<script>x</script>\n```")
    assert "&lt;img src=x&gt;" in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_raw_checkbox_inputs_from_the_author_are_removed():
    html = render_markdown('<input type="text" name="a"> <input type=checkbox onclick=x>')
    assert "<input" not in html


def test_script_elements_never_survive():
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(3))")
    assert "<script" not in html and "javascript:" not in html

"""The administrators' audit-log viewer: filters, pages, words for keys, CSV export."""

import ast
import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from qa_app.audit.labels import ACTIONS, action_label
from qa_app.audit.services import record
from qa_app.extensions import db as _db

from ..factories import make_shop, make_user

QA_APP = Path(__file__).resolve().parents[2] / "qa_app"


def _entry(actor, action, target, at=None, **values):
    entry = record(actor, action, target, **values)
    if at is not None:
        entry.at = at
    _db.session.commit()
    return entry


def _recorded_actions() -> set[str]:
    """Every "domain.action" string passed to a `record(...)` call in qa_app (read from the syntax
    tree, so a call spread over several lines counts too)."""
    recorded = set()
    for path in QA_APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record":
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    recorded |= set(re.findall(r"^([a-z_]+\.[a-z_]+)$", inner.value))
    return recorded


def test_every_recorded_action_has_words_in_the_viewer():
    recorded = _recorded_actions()
    assert {"score.submitted", "user.deactivate", "rubric.restored"} <= recorded
    assert recorded - set(ACTIONS) == set()


def test_an_unknown_action_reads_as_words_not_as_the_key(app):
    with app.test_request_context():
        label = action_label("gizmo.was_frobbed")
    assert "gizmo was frobbed" in label and "gizmo.was_frobbed" not in label


def test_admin_reads_actions_as_words_in_english(client, login_as, db):
    admin = login_as("admin")
    _entry(admin, "score.submitted", make_user())
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Score submitted" in page and "score.submitted</td>" not in page


def test_admin_reads_actions_as_words_in_chinese(client, login_as, db):
    admin = login_as("admin", locale="zh_CN")
    _entry(admin, "score.submitted", make_user())
    page = client.get("/admin/audit").get_data(as_text=True)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "评分已提交" in body and "Score submitted" not in body


def test_filter_by_user_shows_only_their_changes(client, login_as, db):
    admin = login_as("admin")
    other = make_user(roles=("qa",), display_name="Quinn")
    _entry(admin, "user.update", make_user())
    _entry(other, "shop.update", make_shop())
    page = client.get(f"/admin/audit?actor={other.id}").get_data(as_text=True)
    assert "Shop updated" in page and "User updated</td>" not in page


def test_filter_by_record_type_and_id(client, login_as, db):
    admin = login_as("admin")
    first, second = make_user(), make_user()
    _entry(admin, "user.update", first)
    _entry(admin, "user.reset_password", second)
    page = client.get(f"/admin/audit?type=User&id={second.id}").get_data(as_text=True)
    assert "Password reset" in page and "User updated</td>" not in page


def test_filter_by_action(client, login_as, db):
    admin = login_as("admin")
    _entry(admin, "user.update", make_user())
    _entry(admin, "user.create", make_user())
    page = client.get("/admin/audit?action=user.create").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert "User created" in body and "User updated" not in body


def test_date_range_uses_the_shops_days(client, login_as, db):
    admin = login_as("admin")
    # 2026-03-01 23:30 in Shanghai is 15:30 UTC the same day; 16:30 UTC is already 2 March there
    _entry(admin, "user.update", make_user(), at=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    _entry(admin, "user.create", make_user(), at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    page = client.get("/admin/audit?from=2026-03-01&to=2026-03-01").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert "User updated" in body and "User created" not in body


def test_the_log_is_paginated(client, login_as, app, db):
    admin = login_as("admin")
    target = make_user()
    for _ in range(app.config["PER_PAGE"] + 1):
        record(admin, "user.update", target)
    _db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert first.split("<tbody>")[1].count("<tr>") == app.config["PER_PAGE"]
    assert second.split("<tbody>")[1].count("<tr>") == 1


def test_a_bad_filter_value_is_ignored_not_a_500(client, login_as, db):
    login_as("admin")
    response = client.get("/admin/audit?actor=abc&from=not-a-date&to=2026-13-45&page=x")
    assert response.status_code == 200


def test_csv_export_has_localised_headers_and_words(client, login_as, db):
    admin = login_as("admin", locale="zh_CN")
    _entry(admin, "user.nickname", make_user(), after={"nickname": "小美"})
    response = client.get("/admin/audit.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.mimetype == "text/csv"
    assert rows[0][:3] == ["时间", "用户", "操作"]
    assert rows[1][2] == "昵称已映射" and "小美" in rows[1][6]


def test_csv_export_follows_the_filters(client, login_as, db):
    admin = login_as("admin")
    _entry(admin, "user.update", make_user())
    _entry(admin, "user.create", make_user())
    text = client.get("/admin/audit.csv?action=user.create").get_data(as_text=True)
    assert "User created" in text and "User updated" not in text


def test_csv_cells_cannot_run_as_formulas(client, login_as, db):
    admin = login_as("admin")
    _entry(admin, "user.update", make_user(), reason='=HYPERLINK("x")')
    text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_only_admins_open_the_audit_log(client, login_as, db):
    for role in ("agent", "trainer", "qa", "lead"):
        login_as(role)
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/audit.csv").status_code == 403

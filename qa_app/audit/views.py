"""The audit-log viewer for administrators: filter, page through, export as CSV."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import local_datetime
from ..permissions import AUDIT_READERS, roles_required
from ..spreadsheets import SafeWriter
from ..ui.inputs import date_arg, int_arg, page_arg
from ..ui.nav import NavItem
from ..ui.pagination import paginate
from . import services
from .labels import action_label, target_label

bp = Blueprint("audit", __name__, template_folder="templates")

NAV = [NavItem(_l("Audit log"), "audit.log", AUDIT_READERS, order=94)]

CSV_BATCH = 500

# Other domains' pages (a score's change history) show audit actions too: words, not keys.
bp.add_app_template_filter(action_label, "action_label")


def _utc_start(day: date | None) -> datetime | None:
    """Midnight of a shop-local day, as the UTC instant the database compares with."""
    if day is None:
        return None
    zone = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _filters() -> tuple[services.AuditFilter, dict]:
    start, end = date_arg("from"), date_arg("to")
    raw = {
        "actor": int_arg("actor"),
        "type": request.args.get("type", "").strip()[:64],
        "id": request.args.get("id", "").strip()[:64],
        "action": request.args.get("action", "").strip()[:64],
        "from": start,
        "to": end,
    }
    filters = services.AuditFilter(
        actor_id=raw["actor"],
        target_type=raw["type"] or None,
        target_id=raw["id"] or None,
        action=raw["action"] or None,
        start=_utc_start(start),
        end=_utc_start(end + timedelta(days=1)) if end else None,
    )
    return filters, raw


@bp.route("/admin/audit")
@roles_required(*AUDIT_READERS)
def log():
    filters, raw = _filters()
    page = paginate(services.search(filters), page_arg(), current_app.config["PER_PAGE"])
    return render_template(
        "audit/log.html",
        page=page,
        raw=raw,
        actors=services.actors_in_use(),
        actions=sorted(services.actions_in_use(), key=action_label),
        target_types=sorted(services.target_types_in_use(), key=target_label),
        action_label=action_label,
        target_label=target_label,
        as_json=_json,
    )


@bp.route("/admin/audit.csv")
@roles_required(*AUDIT_READERS)
def export():
    filters, _raw = _filters()
    stmt = services.search(filters).execution_options(yield_per=CSV_BATCH)
    header = [
        _("Time"),
        _("User"),
        _("Action"),
        _("Record type"),
        _("Record ID"),
        _("Before the change"),
        _("After the change"),
        _("Reason"),
    ]

    def rows():
        out = io.StringIO()
        writer = SafeWriter(out)
        writer.writerow(header)
        yield "\ufeff" + out.getvalue()  # BOM: Excel opens Chinese text correctly
        for entry in db.session.scalars(stmt):
            out.seek(0)
            out.truncate()
            writer.writerow(
                [
                    local_datetime(entry.at, fmt="yyyy-MM-dd HH:mm:ss"),
                    entry.actor.display_name if entry.actor else _("System"),
                    action_label(entry.action),
                    target_label(entry.target_type),
                    entry.target_id,
                    _json(entry.before),
                    _json(entry.after),
                    entry.reason or "",
                ]
            )
            yield out.getvalue()

    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

"""The dashboard's rows as CSV and Excel downloads."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from ...permissions import roles_required
from .. import export, services
from . import bp
from .arguments import asked_period, asked_team


def _export_rows():
    period = asked_period()
    return period, services.evaluate_many(services.visible_agents(current_user, asked_team()), period)


@bp.route("/export.csv")
@roles_required("lead", "admin")
def export_csv():
    period, rows = _export_rows()
    return Response(
        export.to_csv(rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="evaluations-{period.key}.csv"'},
    )


@bp.route("/export.xlsx")
@roles_required("lead", "admin")
def export_xlsx():
    period, rows = _export_rows()
    return Response(
        export.to_xlsx(rows, period.key),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="evaluations-{period.key}.xlsx"'},
    )

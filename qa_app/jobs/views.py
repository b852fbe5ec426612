import io

from flask import Blueprint, Response, abort, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..ingest.reasons import describe
from ..permissions import login_required
from ..spreadsheets import SafeWriter
from ..ui.exports import header_row
from . import services

#: the rejects download's columns, as its header reads in the user's language
REJECT_COLUMNS = {
    "file": _l("File"),
    "line": _l("Line"),
    "field": _l("Field"),
    "reason": _l("Reason"),
    "message": _l("Message as read"),
}

bp = Blueprint(
    "jobs", __name__, template_folder="templates", static_folder="static", static_url_path="/static/jobs"
)

KINDS = {"chats.import": _l("Chat import"), "reviews.import": _l("Review import")}
STATUSES = {
    "queued": _l("waiting to start"),
    "running": _l("running"),
    "done": _l("done"),
    "failed": _l("failed"),
}


def _owned(job_id: int):
    job = services.get_for(current_user, job_id)
    if job is None:
        abort(404)
    return job


def _size(count: int) -> str:
    # unit symbols read the same in Chinese and English
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}"
    return f"{count} B"


def progress_text(job) -> str:
    # handlers report bytes read of the file's size: the row count is unknown until the end
    if job.status == "queued":
        return ""
    if job.total:
        return _("%(done)s of %(total)s read", done=_size(job.done), total=_size(job.total))
    return _("%(done)s read", done=_size(job.done)) if job.done else ""


@bp.app_template_filter("job_reason")
def job_reason(problem: dict) -> str:
    return describe(problem.get("code"), problem.get("params"), problem.get("message", ""))


@bp.route("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    job = _owned(job_id)
    return render_template(
        "jobs/show.html",
        job=job,
        kind=KINDS.get(job.kind, job.kind),
        status=STATUSES.get(job.status, job.status),
        progress=progress_text(job),
        statuses=STATUSES,
    )


@bp.route("/jobs/<int:job_id>.json")
@login_required
def status(job_id: int):
    job = _owned(job_id)
    return jsonify(
        {
            **job.as_dict(),
            "status_label": str(STATUSES.get(job.status, job.status)),
            "progress_text": progress_text(job),
        }
    )


@bp.route("/jobs/<int:job_id>/rejects.csv")
@login_required
def rejects(job_id: int):
    """The rejected lines kept in the job's result, reasons in the reader's language."""
    job = _owned(job_id)
    problems = (job.result or {}).get("problems") or []
    out = io.StringIO()
    # the messages quote the uploaded file: a cell starting with = + - @ must not run in Excel
    writer = SafeWriter(out)
    writer.writerow(header_row(("file", "line", "field", "reason", "message"), REJECT_COLUMNS))
    for problem in problems:
        writer.writerow(
            [
                problem.get("file", ""),
                problem.get("line", ""),
                problem.get("field", ""),
                job_reason(problem),
                problem.get("message", ""),
            ]
        )
    # BOM: Excel (what the shops open CSVs with) reads UTF-8 Chinese only with it
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=job-{job.id}-rejects.csv"},
    )

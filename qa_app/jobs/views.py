from flask import Blueprint, abort, jsonify, render_template
from flask_login import current_user

from ..permissions import login_required
from . import services

bp = Blueprint("jobs", __name__, template_folder="templates")


@bp.route("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    job = services.get_for(current_user, job_id)
    if job is None:
        abort(404)
    return render_template("jobs/show.html", job=job)


@bp.route("/jobs/<int:job_id>.json")
@login_required
def status(job_id: int):
    job = services.get_for(current_user, job_id)
    if job is None:
        abort(404)
    return jsonify(job.as_dict())

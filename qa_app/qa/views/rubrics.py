"""Rubric pages: list, versions, editing as TOML (each save is a new version)."""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...permissions import roles_required
from ...ui.inputs import int_arg
from .. import rubrics
from ..forms import EmptyForm, RubricForm
from ..models import Rubric, RubricVersion
from . import bp

TEMPLATE = Path(__file__).parent.parent / "rubric_template.toml"


@bp.route("/rubrics", endpoint="rubrics")
@roles_required("qa", "admin")
def rubrics_list():
    return render_template("qa/rubrics.html", rubrics=rubrics.all_rubrics(), action_form=EmptyForm())


@bp.route("/rubrics/<int:rubric_id>")
@roles_required("qa", "admin")
def rubric(rubric_id: int):
    item = db.get_or_404(Rubric, rubric_id)
    number = int_arg("version")
    version = next((v for v in item.versions if v.number == number), None) or item.current
    return render_template("qa/rubric.html", rubric=item, version=version, action_form=EmptyForm())


@bp.route("/rubrics/new", methods=["GET", "POST"])
@roles_required("qa", "admin")
def new_rubric():
    form = RubricForm()
    if request.method == "GET":
        form.toml.data = TEMPLATE.read_text(encoding="utf-8")
    return _save(form, None)


@bp.route("/rubrics/<int:rubric_id>/edit", methods=["GET", "POST"])
@roles_required("qa", "admin")
def edit_rubric(rubric_id: int):
    item = db.get_or_404(Rubric, rubric_id)
    form = RubricForm()
    if request.method == "GET":
        form.slug.data = item.slug
        form.toml.data = item.current.toml_text if item.current else ""
    else:
        form.slug.data = item.slug  # the slug of an existing rubric never changes
    return _save(form, item)


def _save(form: RubricForm, item: Rubric | None):
    if form.validate_on_submit():
        slug = form.slug.data.strip()
        if item is None and db.session.scalar(db.select(Rubric.id).where(Rubric.slug == slug)):
            form.slug.errors.append(_("A rubric with this slug exists: edit it instead."))
        else:
            try:
                saved, version = rubrics.save_from_ui(current_user, slug, form.toml.data)
            except rubrics.RubricError as error:
                form.toml.errors.append(str(error))
            else:
                db.session.commit()
                if version is None:
                    flash(_("Nothing changed: no new version was made."), "info")
                else:
                    flash(
                        _(
                            "Saved as version %(n)s. Scores already made keep their version.",
                            n=version.number,
                        ),
                        "success",
                    )
                return redirect(url_for("qa.rubric", rubric_id=saved.id))
    return render_template("qa/rubric_form.html", form=form, rubric=item)


@bp.route("/rubrics/<int:rubric_id>/active", methods=["POST"])
@roles_required("qa", "admin")
def rubric_active(rubric_id: int):
    item = db.get_or_404(Rubric, rubric_id)
    if EmptyForm().validate_on_submit():
        rubrics.set_active(current_user, item, request.form.get("active") == "1")
        db.session.commit()
    return redirect(url_for("qa.rubric", rubric_id=item.id))


@bp.route("/rubric-versions/<int:version_id>.toml")
@roles_required("qa", "admin")
def rubric_toml(version_id: int):
    version = db.get_or_404(RubricVersion, version_id)
    return (
        version.toml_text,
        200,
        {
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Disposition": f"attachment; filename={version.rubric.slug}.toml",
        },
    )

"""The admin's evaluation settings: component weights and minimum evidence."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...permissions import roles_required
from .. import services
from ..forms import COMPONENT_LABELS, SettingsForm
from ..formula import COMPONENTS
from . import bp


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    form = SettingsForm()
    if request.method == "GET":
        for key, value in services.weights().items():
            getattr(form, f"weight_{key}").data = value
        for key, value in services.minimums().items():
            getattr(form, f"minimum_{key}").data = value
    if form.validate_on_submit():
        new_weights = {k: getattr(form, f"weight_{k}").data or 0 for k in COMPONENTS}
        new_minimums = {k: getattr(form, f"minimum_{k}").data or 1 for k in COMPONENTS}
        try:
            services.save_settings(current_user, new_weights, new_minimums)
        except services.EvaluationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("evaluations.settings"))
    return render_template(
        "evaluations/settings.html", form=form, components=COMPONENTS, component_labels=COMPONENT_LABELS
    )

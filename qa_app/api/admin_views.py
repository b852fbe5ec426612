"""Admin pages for API tokens (HTML, CSRF-protected, outside /api/v1)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..permissions import roles_required
from ..ui.nav import NavItem
from . import tokens as token_service
from .forms import TokenForm
from .models import ApiToken

admin_bp = Blueprint("api_admin", __name__, template_folder="templates")
NAV = [NavItem(_l("API tokens"), "api_admin.tokens", ("admin",), order=93)]


@admin_bp.route("/admin/api-tokens", methods=["GET", "POST"])
@roles_required("admin")
def tokens():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = token_service.issue(current_user, form.name.data, form.scopes.data)
        except token_service.TokenError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Token created. Copy it now: it will not be shown again."), "success")
            # an empty form for the next token: the name and scopes just used would invite a
            # second, accidental token with the same rights
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, tokens=token_service.all_tokens(), secret=secret)


@admin_bp.route("/admin/api-tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    token_service.revoke(current_user, token)
    db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("api_admin.tokens"))

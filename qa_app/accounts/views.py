from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from ..permissions import is_safe_redirect, login_required, public, roles_required
from ..ui.inputs import int_arg, page_arg
from ..ui.nav import NavItem
from ..ui.pagination import paginate
from . import services
from .forms import (
    EmptyForm,
    LanguageForm,
    LoginForm,
    NewUserForm,
    NicknameForm,
    PasswordForm,
    ShopForm,
    TeamForm,
    UserForm,
)
from .labels import channel_label, platform_label, shop_slug_label
from .models import Shop, Team, User
from .throttle import LoginLimits

bp = Blueprint("accounts", __name__, template_folder="templates")
# Every domain's pages name platforms and channels in words (tmall -> 天猫).
bp.add_app_template_filter(platform_label, "platform_label")
bp.add_app_template_filter(channel_label, "channel_label")
bp.add_app_template_filter(shop_slug_label, "shop_slug_label")

NAV = [
    NavItem(_l("My team"), "accounts.my_team", ("lead",), order=20),
    NavItem(_l("Users"), "accounts.users", ("admin",), order=90),
    NavItem(_l("Teams"), "accounts.teams", ("admin",), order=91),
    NavItem(_l("Shops"), "accounts.shops", ("admin",), order=92),
]


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("ui.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(
            form.username.data,
            form.password.data,
            remote_addr=request.remote_addr,
            limits=LoginLimits.from_config(current_app.config),
        )
        if result.locked:
            flash(
                _(
                    "Too many failed attempts. Wait %(minutes)s minutes and try again.",
                    minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
                ),
                "error",
            )
        elif result.user is None:
            flash(_("Wrong username or password."), "error")
        else:
            login_user(result.user, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("ui.home"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language", methods=["POST"])
@public
def language():
    """Switch the language: stored on the user, or (on the login page) in the session."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
            db.session.commit()
        else:
            session["locale"] = form.locale.data
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("ui.home"))


@bp.route("/my-team")
@roles_required("lead", "admin")
def my_team():
    lead = None if current_user.has_role("admin") else current_user
    return render_template("accounts/my_team.html", teams=services.teams_with_people(lead))


@bp.route("/admin/users")
@roles_required("admin")
def users():
    role = request.args.get("role") or None
    team_id = int_arg("team")
    active = {"yes": True, "no": False}.get(request.args.get("active", ""))
    query = request.args.get("q", "")
    stmt = services.find_users(query=query, role=role, team_id=team_id, active=active)
    page = paginate(stmt, page_arg(), current_app.config["PER_PAGE"])
    return render_template(
        "accounts/users.html",
        page=page,
        teams=services.all_teams(),
        query=query,
        role=role,
        team_id=team_id,
        active=request.args.get("active", ""),
        action_form=EmptyForm(),
    )


def _team_choices():
    return [(0, "—")] + [(t.id, t.name) for t in services.all_teams()]


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    form = NewUserForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user,
                username=form.username.data,
                display_name=form.display_name.data,
                password=form.password.data,
                roles=form.roles.data,
                team_id=form.team_id.data or None,
                locale=form.locale.data,
                email=form.email.data,
            )
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("accounts.edit_user", user_id=user.id))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.team_id.choices = _team_choices()
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.team_id.data = user.team_id or 0
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user,
                user,
                display_name=form.display_name.data,
                roles=form.roles.data,
                team_id=form.team_id.data or None,
                locale=form.locale.data,
                email=form.email.data,
            )
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.edit_user", user_id=user.id))
    nickname_form = NicknameForm()
    nickname_form.shop_id.choices = [(s.id, s.label) for s in services.all_shops()]
    return render_template(
        "accounts/user_form.html",
        form=form,
        user=user,
        password_form=PasswordForm(),
        nickname_form=nickname_form,
        action_form=EmptyForm(),
    )


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@roles_required("admin")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(current_user, user, form.password.data)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Password reset; the user's other sessions were logged out."), "success")
    else:
        flash(_("Enter a new password."), "error")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_active(current_user, user, request.form.get("active") == "1")
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/nickname", methods=["POST"])
@roles_required("admin")
def set_nickname(user_id: int):
    user = db.get_or_404(User, user_id)
    form = NicknameForm()
    form.shop_id.choices = [(s.id, s.label) for s in services.all_shops()]
    if form.validate_on_submit():
        try:
            services.set_nickname(
                current_user, user, db.get_or_404(Shop, form.shop_id.data), form.nickname.data
            )
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    else:
        flash(_("Choose a shop and enter a nickname."), "error")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/nickname/<int:nickname_id>/remove", methods=["POST"])
@roles_required("admin")
def remove_nickname(user_id: int, nickname_id: int):
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_nickname(current_user, user, nickname_id)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Nickname removed."), "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


def _lead_choices():
    leads = db.session.scalars(
        sa.select(User).where(User.role_rows.any(role="lead")).order_by(User.display_name)
    )
    return [(0, "—")] + [(u.id, u.display_name) for u in leads]


@bp.route("/admin/teams", methods=["GET", "POST"])
@roles_required("admin")
def teams():
    form = TeamForm()
    form.lead_id.choices = _lead_choices()
    if form.validate_on_submit():
        try:
            services.save_team(current_user, None, name=form.name.data, lead_id=form.lead_id.data or None)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.teams"))
    return render_template("accounts/teams.html", teams=services.teams_with_people(), form=form)


@bp.route("/admin/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_team(team_id: int):
    team = db.get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    form.lead_id.choices = _lead_choices()
    if request.method == "GET":
        form.lead_id.data = team.lead_id or 0
    if form.validate_on_submit():
        try:
            services.save_team(current_user, team, name=form.name.data, lead_id=form.lead_id.data or None)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.teams"))
    return render_template("accounts/team_form.html", team=team, form=form)


@bp.route("/admin/shops")
@roles_required("admin")
def shops():
    return render_template("accounts/shops.html", shops=services.all_shops())


@bp.route("/admin/shops/<int:shop_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_shop(shop_id: int):
    shop = db.get_or_404(Shop, shop_id)
    form = ShopForm(obj=shop)
    if form.validate_on_submit():
        try:
            services.update_shop(
                current_user,
                shop,
                name=form.name.data,
                timezone=form.timezone.data.strip(),
                first_response_limit_seconds=form.first_response_limit_seconds.data,
                forbidden_phrases=form.forbidden_phrases.data or "",
                accepted_openers=form.accepted_openers.data or "",
                allowed_templates=form.allowed_templates.data or "",
                closing_phrases=form.closing_phrases.data or "",
            )
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.shops"))
    return render_template("accounts/shop_form.html", shop=shop, form=form)


@bp.app_template_global()
def role_label(role: str) -> str:
    from .forms import ROLE_CHOICES

    return str(dict(ROLE_CHOICES).get(role, role))

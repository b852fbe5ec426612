from __future__ import annotations

import uuid
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.models import Shop, User
from ..extensions import db
from ..jobs import services as jobs
from ..permissions import ensure, login_required, roles_required
from ..ui.inputs import date_arg, int_arg, page_arg
from ..ui.nav import HomePanel, NavItem
from ..ui.pagination import paginate
from . import services
from .forms import MapNicknameForm, UploadForm
from .labels import check_label, result_label
from .models import CHECK_NAMES, RESULTS
from .parsing import detect_format

bp = Blueprint(
    "chats", __name__, template_folder="templates", static_folder="static", static_url_path="/static/chats"
)

NAV = [
    NavItem(_l("Chats"), "chats.index", ("qa", "admin", "lead"), order=40),
    NavItem(_l("Import chats"), "chats.upload", ("qa", "admin"), order=41),
]


def _qa_panel(user) -> dict:
    failing, chats = services.recent_failing_chats()
    return {"imports": services.recent_imports(), "failing": failing, "chats": chats}


PANELS = [HomePanel(_l("Chats"), "chats/panels/qa.html", ("qa",), _qa_panel, order=40)]

TIME_CHECKS = ("first_response_time", "longest_wait", "average_response_time")


bp.add_app_template_filter(check_label, "check_label")
bp.add_app_template_filter(result_label, "result_label")


@bp.app_template_filter("seconds")
def seconds_filter(value: float | None) -> str:
    if value is None:
        return "—"
    value = int(round(value))
    if value < 60:
        return _("%(s)s s", s=value)
    if value < 3600:
        return _("%(m)s min %(s)s s", m=value // 60, s=value % 60)
    return _("%(h)s h %(m)s min", h=value // 3600, m=value % 3600 // 60)


@bp.route("/chats")
@roles_required("qa", "admin", "lead", "trainer")
def index():
    filters = services.ChatFilters(
        agent_id=int_arg("agent"),
        shop_id=int_arg("shop"),
        date_from=date_arg("from"),
        date_to=date_arg("to"),
        text=request.args.get("q", "")[:200],
        tag=request.args.get("tag", "")[:64],
        order_id=request.args.get("order", "")[:64],
        check=request.args.get("check", ""),
        result=request.args.get("result", ""),
        unmatched=request.args.get("unmatched") == "1",
    )
    page = paginate(services.search_chats(filters, current_user), page_arg(), current_app.config["PER_PAGE"])
    agents = services.filter_agents(current_user)
    filtered = any(
        request.args.get(k)
        for k in ("agent", "shop", "from", "to", "q", "tag", "order", "check", "result", "unmatched")
    )
    return render_template(
        "chats/index.html",
        page=page,
        filters=filters,
        agents=agents,
        shops=accounts.all_shops(),
        checks=CHECK_NAMES,
        results=RESULTS,
        filtered=filtered,
    )


@bp.route("/chats/<int:chat_id>")
@login_required
def show(chat_id: int):
    chat = services.get_chat(chat_id)
    ensure(chat is not None and services.can_view_chat(current_user, chat))
    lines = services.transcript(chat)
    agent, rule = services.agent_for_order(chat.shop_id, chat.order_id) if chat.order_id else (None, "")
    return render_template(
        "chats/show.html",
        chat=chat,
        lines=lines,
        reviews=services.reviews_for_chat(chat),
        order_agent=agent,
        order_rule=rule,
        tz=chat.shop.timezone,
        time_checks=TIME_CHECKS,
    )


@bp.route("/chats/import", methods=["GET", "POST"])
@roles_required("qa", "admin")
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        original = Path(form.file.data.filename or "upload").name
        try:
            detect_format(original)
        except ValueError:
            form.file.errors.append(_("Upload a .jsonl, .jsonl.gz or .csv file."))
        else:
            folder = Path(current_app.config["UPLOAD_DIR"]) / "chats"
            folder.mkdir(parents=True, exist_ok=True)
            suffix = (
                ".csv"
                if original.lower().endswith(".csv")
                else (".jsonl.gz" if original.lower().endswith(".gz") else ".jsonl")
            )
            stored = folder / f"{uuid.uuid4().hex}{suffix}"
            form.file.data.save(stored)
            job = jobs.submit(
                "chats.import",
                current_user,
                {
                    "path": str(stored),
                    "filename": original,
                    "encoding": form.encoding.data,
                    "replace": form.replace.data,
                    "skip_invalid": form.skip_invalid.data,
                    "return_url": url_for("chats.index"),
                },
            )
            return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("chats/upload.html", form=form, imports=services.recent_imports(10))


@bp.route("/chats/nicknames")
@roles_required("qa", "admin")
def nicknames():
    page = paginate(services.unmatched_nicknames(), page_arg(), current_app.config["PER_PAGE"], scalars=False)
    shops = {shop.id: shop for shop in accounts.all_shops()}
    agents = list(
        db.session.scalars(
            sa.select(User)
            .where(User.active.is_(True), User.role_rows.any(role="agent"))
            .order_by(User.display_name)
        )
    )
    return render_template("chats/nicknames.html", page=page, shops=shops, agents=agents)


@bp.route("/chats/nicknames/map", methods=["POST"])
@roles_required("qa", "admin")
def map_nickname():
    form = MapNicknameForm()
    form.user_id.choices = [
        (u.id, u.display_name)
        for u in db.session.scalars(
            sa.select(User).where(User.active.is_(True), User.role_rows.any(role="agent"))
        )
    ]
    if not form.validate_on_submit():
        flash(_("Choose an agent for the nickname."), "error")
        return redirect(url_for("chats.nicknames"))
    shop = db.session.get(Shop, form.shop_id.data)
    user = db.session.get(User, form.user_id.data)
    ensure(shop is not None and user is not None)
    try:
        services.map_nickname(current_user, shop, form.nickname.data, user)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "%(nick)s in %(shop)s is now %(user)s; their chats are attached.",
                nick=form.nickname.data,
                shop=shop.name,
                user=user.display_name,
            ),
            "success",
        )
    return redirect(url_for("chats.nicknames"))

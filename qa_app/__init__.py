"""Customer-service training and quality-assurance platform."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask
from flask_babel import get_locale

from . import config as config_module
from . import database  # noqa: F401  (registers the SQLite engine settings)
from .accounts.login import init_login
from .extensions import babel, csrf, db, limiter, migrate
from .ui.errors import init_errors
from .ui.inputs import DATE_LIMITS

# One sub-package per domain, in the order of the layers (docs/ARCHITECTURE.md); each may contribute
# models, blueprints (views.bp or views.BLUEPRINTS), navigation (views.NAV), home-page panels
# (views.PANELS), a CLI group (cli.cli), signal receivers (receivers.connect) and `register(app)`,
# where a higher domain fills the registries a lower one offers (job handlers, hooks).
DOMAINS = (
    "audit",
    "ui",
    "accounts",
    "jobs",
    "ingest",
    "training",
    "chats",
    "orders",
    "reviews",
    "qa",
    "evaluations",
    "api",
    "maintenance",
    "demo",
)
PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR.parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config_module.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    config_module.settle_secret_key(app.config, debug=app.debug, instance_path=Path(app.instance_path))
    _trust_proxies(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(_translation_dirs())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    _init_i18n(app)
    _load_domains(app)
    _init_security_headers(app)
    _refuse_nul_characters(app)
    init_errors(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Client addresses (login and API throttling) come from X-Forwarded-For set by our own
    proxies only; a header sent by the client itself is never believed."""
    count = app.config.get("TRUSTED_PROXIES", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count)


def _translation_dirs() -> list[str]:
    dirs = [str(PACKAGE_DIR / name / "translations") for name in DOMAINS]
    return [d for d in dirs if os.path.isdir(d)] or [str(PACKAGE_DIR / "ui" / "translations")]


def _init_i18n(app: Flask) -> None:
    from .i18n import LOCALES, local_datetime, select_locale
    from .rendering import render_markdown

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["DATE_LIMITS"] = DATE_LIMITS  # min/max of <input type="date">


def _load_domains(app: Flask) -> None:
    from .ui.nav import NAV_ITEMS, menus, register

    for name in DOMAINS:
        package = importlib.import_module(f"qa_app.{name}")
        _import_optional(f"qa_app.{name}.models")
        views = _import_optional(f"qa_app.{name}.views")
        if views is not None:
            for blueprint in getattr(views, "BLUEPRINTS", [views.bp]):
                app.register_blueprint(blueprint)
            register(getattr(views, "NAV", ()), getattr(views, "PANELS", ()))
        cli = _import_optional(f"qa_app.{name}.cli")
        if cli is not None:
            app.cli.add_command(cli.cli)
        signals = _import_optional(f"qa_app.{name}.receivers")
        if signals is not None and hasattr(signals, "connect"):
            signals.connect()
        if hasattr(package, "register"):
            package.register(app)

    @app.context_processor
    def navigation():
        from flask_login import current_user

        items = [item for item in NAV_ITEMS if item.visible_to(current_user)]
        return {"nav_items": items, "nav_menus": menus(items)}


def _import_optional(module: str):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module == missing or module.startswith(missing + "."):
            # the domain (or this module of it) does not exist; anything else is a real bug
            return None
        raise


def _refuse_nul_characters(app: Flask) -> None:
    """NUL cannot be stored in PostgreSQL text and is never legitimate in a form field or a query
    string; refusing it here (400) keeps every form and filter from failing with a 500."""
    from flask import abort, request

    @app.before_request
    def refuse_nul():
        sources = [request.args]
        if request.mimetype in _FORM_TYPES:
            sources.append(request.form)
        for values in sources:
            for key, value in values.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    abort(400)
        if request.is_json:
            body = request.get_data(cache=True)
            if b"\x00" in body or b"\\u0000" in body:
                abort(400, "NUL characters are not accepted")


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _init_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            # the site is served over HTTPS only: browsers must never try plain HTTP again
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if _carries_credentials():
            # a page or export for a logged-in user (or an API token) must not outlive the
            # session in a browser's or a proxy's cache
            response.headers["Cache-Control"] = "no-store"
        return response


def _carries_credentials() -> bool:
    from flask import request
    from flask_login import current_user

    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static"):
        return False
    return "Authorization" in request.headers or current_user.is_authenticated

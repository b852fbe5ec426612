"""Error pages: every failure answers with a page in the user's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from .inputs import BadArgument

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to see this page."),
    404: _l("There is nothing here."),
    405: _l("That action is not allowed here."),
    413: _l("The upload is too large."),
    429: _l("Too many requests. Wait a moment and try again."),
    500: _l("Something went wrong on our side. The error was logged."),
}
CSRF_MESSAGE = _l("The form expired or was sent from elsewhere. Reload the page and try again.")


def _render(code: int, message, error=None) -> tuple:
    if request.path.startswith("/api/"):
        name = getattr(error, "name", None) or "error"
        body = {
            "code": name.lower().replace(" ", "_"),
            "message": getattr(error, "description", None) or str(message),
        }
        return jsonify(body), code
    return render_template("ui/error.html", code=code, message=message), code


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, lambda error: _render(400, CSRF_MESSAGE))
    app.register_error_handler(BadArgument, lambda error: _render(400, error.description, error))
    for code, message in MESSAGES.items():
        app.register_error_handler(
            code, lambda error, code=code, message=message: _render(code, message, error)
        )

"""Errors as JSON with a stable `code`: 4xx for the client's mistakes, never a 500 for bad input."""

from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def response(self):
        body = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        response = jsonify(body)
        response.status_code = self.status
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response


def register(bp) -> None:
    # HTTP errors (404, 405, 413, 429...) are answered as JSON by the app-wide handler for /api/.
    bp.register_error_handler(ApiError, lambda error: error.response())

"""Entry points for the RQ worker process (`flask jobs worker`)."""

from __future__ import annotations


def run_in_app(job_id: int) -> None:
    from .. import create_app
    from . import services

    app = create_app()
    with app.app_context():
        services.run(job_id)

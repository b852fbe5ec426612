"""`flask rubrics import [DIR]`: exit 0 loaded, 1 rejected (file and field on stderr, nothing
written), 2 usage (click's own)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import rubrics


@click.group(help="QA rubrics.")
def cli():
    pass


cli.name = "rubrics"


@cli.command("import")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_appcontext
def import_command(directory):
    """Load or update rubrics from DIRECTORY (default: the RUBRICS_DIR setting)."""
    directory = directory or current_app.config["RUBRICS_DIR"]
    try:
        report = rubrics.import_dir(directory)
    except rubrics.RubricError as error:
        click.echo(f"rejected: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(
        f"created {len(report.created)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}"
    )

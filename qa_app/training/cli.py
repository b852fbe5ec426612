"""`flask courses import [DIR]`: load or update the course library (docs/course-format.md)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from .services.course_format import LibraryError
from .services.library import import_library


@click.group(help="The course library.")
def cli():
    pass


cli.name = "courses"


@cli.command("import")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, dir_okay=True))
@with_appcontext
def import_command(directory):
    """Load or update courses and learning paths from DIRECTORY (default: COURSES_DIR)."""
    directory = directory or current_app.config["COURSES_DIR"]
    try:
        report = import_library(directory)
        db.session.commit()
    except LibraryError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"rejected: {len(error.problems)} problem(s); nothing was imported", err=True)
        sys.exit(1)
    for line in report:
        click.echo(line)
    counts = {
        word: sum(line.startswith(word) for line in report) for word in ("created", "updated", "unchanged")
    }
    click.echo("done: {created} created, {updated} updated, {unchanged} unchanged".format(**counts))

"""`flask evaluations warm`: exit 0 done, 2 usage (click's own)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import services
from .periods import KINDS


@click.group(help="Agent evaluations.")
def cli():
    pass


cli.name = "evaluations"


@cli.command("warm")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    default=("month", "week"),
    show_default=True,
    help="Period kinds to compute.",
)
@click.option(
    "--periods",
    "count",
    default=6,
    show_default=True,
    type=click.IntRange(1, 24),
    help="How many periods of each kind, ending with the current one.",
)
@with_appcontext
def warm_command(kinds, count):
    """Compute every active agent's evaluations for the latest periods and keep them in the
    cache, so that the day's first dashboards need not (run nightly and after large imports)."""
    covered = 0
    for chunk in services.warm(kinds, count):
        db.session.commit()  # ends the chunk's transaction: its evidence is stored now
        covered += chunk
    click.echo(f"evaluations cached: {covered}")

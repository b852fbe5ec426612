"""`flask orders import FILE…` (FORMATS.md): exit 0 success, 1 input rejected (file:line:field on
stderr, nothing written from that file), 2 usage error."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group(help="Shop orders: import.")
def cli():
    pass


cli.name = "orders"


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding (utf-8, gbk).")
@click.option(
    "--skip-invalid", is_flag=True, help="Store the valid lines and write the bad ones to FILE.rejects.csv."
)
@with_appcontext
def import_command(files, encoding, skip_invalid):
    """Import order exports (CSV or JSON Lines, optionally gzip-compressed)."""
    from .importer import ImportRejected, ImportSummary, import_file

    total, failed = ImportSummary(), False
    for path in files:
        rejects = f"{path}.rejects.csv" if skip_invalid else None
        try:
            result = import_file(path, encoding=encoding, skip_invalid=skip_invalid, rejects_path=rejects)
        except ImportRejected as error:
            failed = True
            total.rejected += error.lines
            click.echo(error.describe(), err=True)
            click.echo(f"{path}: rejected, nothing imported from it", err=True)
            continue
        total.add(result)
        if result.problems:
            click.echo(f"{path}: {result.rejected} bad lines left out, listed in {rejects}", err=True)
    click.echo(total.summary())
    if failed:
        sys.exit(1)

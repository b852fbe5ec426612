"""`flask reviews ...`: import, classify without storing, export, export corrections, re-attribute.

Contracts in ../shared/FORMATS.md: exit 0 success, 1 input rejected (file:line:field on stderr,
nothing written), 2 usage error (click's own).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

CLASSIFY_COLUMNS = ("id", "sentiment", "service_polarity", "agent", "evidence")


@click.group(help="Customer reviews: import, classification, attribution.")
def cli():
    pass


cli.name = "reviews"

_encoding = click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Text encoding of the files (utf-8 with or without BOM, gbk).",
)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_encoding
@click.option(
    "--skip-invalid", is_flag=True, help="Store the valid lines and write the bad ones to FILE.rejects.csv."
)
@with_appcontext
def import_command(files, encoding, skip_invalid):
    """Import review exports (CSV or JSON Lines), attribute and classify them."""
    from .importer import ImportRejected, ImportResult, import_file

    total, failed = ImportResult(), False
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


@cli.command("classify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv with a header, or JSON Lines (one object per line).",
)
@_encoding
@with_appcontext
def classify_command(file, fmt, encoding):
    """Classify the reviews of FILE and print one row per review; stores nothing."""
    from ..ingest import LimitExceeded
    from .attribution import known_nicknames
    from .classification import classify_text
    from .naming import find_agent_mention
    from .parsing import UnreadableFile, read_file

    try:
        parsed = read_file(file, encoding=encoding)
    except (UnreadableFile, LimitExceeded) as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if parsed.problems:
        click.echo("\n".join(str(p) for p in parsed.problems), err=True)
        sys.exit(1)
    nicknames = _nicknames_by_shop(known_nicknames)
    out = sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(CLASSIFY_COLUMNS)
    for row in parsed.rows:
        result = classify_text(row.text)
        agent = row.agent or ""
        if not agent and nicknames is not None:
            mention = find_agent_mention(row.text, nicknames(row.shop))
            agent = mention.nickname if mention else ""
        values = (row.external_id, result.sentiment, result.service_polarity, agent, result.evidence or "")
        if fmt == "csv":
            writer.writerow(values)
        else:
            out.write(json.dumps(dict(zip(CLASSIFY_COLUMNS, values, strict=True)), ensure_ascii=False) + "\n")
    out.flush()


def _nicknames_by_shop(known_nicknames):
    """shop slug -> nicknames, looked up lazily; None when there is no usable database."""
    from ..accounts.models import Shop

    try:
        shops = {slug: shop_id for shop_id, slug in db.session.execute(db.select(Shop.id, Shop.slug))}
        everywhere = known_nicknames(None)
    except SQLAlchemyError:
        db.session.rollback()
        return None
    cache: dict[str, dict] = {}

    def for_shop(slug: str) -> dict:
        if slug not in cache:
            cache[slug] = known_nicknames(shops[slug]) if slug in shops else everywhere
        return cache[slug]

    return for_shop


@cli.command("export")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only reviews written on or after this date (YYYY-MM-DD, the shop's day).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv with a header, or JSON Lines (one object per line).",
)
@with_appcontext
def export_command(since, fmt):
    """Print the stored reviews with their attribution (machine headers and codes)."""
    from ..spreadsheets import SafeWriter
    from .export import MACHINE_COLUMNS, machine_rows

    rows = machine_rows(since.date() if since else None)
    out = sys.stdout
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        # cells a spreadsheet would run as formulas (a review text, a nickname) get a "'"
        writer = SafeWriter(out, lineterminator="\n")
        writer.writerow(MACHINE_COLUMNS)
        for row in rows:
            writer.writerow([row[column] for column in MACHINE_COLUMNS])
    out.flush()


@cli.command("export-corrections")
@click.option("--since", help="Only corrections made on or after this date (YYYY-MM-DD).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of stdout.",
)
@with_appcontext
def export_corrections(since, output):
    """Corrected and confirmed reviews as CSV training data (labels as people set them)."""
    from .corrections import write_training_csv

    start = None
    if since:
        try:
            start = datetime.fromisoformat(since)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
    if output:
        with open(output, "w", newline="", encoding="utf-8") as handle:
            count = write_training_csv(handle, start, spreadsheet_safe=False)
        click.echo(f"{count} corrected or confirmed reviews written to {output}", err=True)
    else:
        write_training_csv(sys.stdout, start, spreadsheet_safe=False)


@cli.command("attribute")
@with_appcontext
def attribute_command():
    """Retry the automatic attribution rules on every unattributed review."""
    from .services import attribute_pending

    count = attribute_pending()
    db.session.commit()
    click.echo(f"attributed {count}")


@cli.command("follow-up-reminders")
@click.option(
    "--ahead", default=24, show_default=True, type=click.IntRange(1, 72), help="Hours before the due time."
)
@with_appcontext
def follow_up_reminders(ahead):
    """Print one line per follow-up case falling due within AHEAD hours (agent, review, due time)
    and mark it reminded: run it every few minutes; each case is reminded once."""
    from datetime import timedelta

    from .followup import due_for_reminder, mark_reminded

    now = datetime.now(UTC)
    cases = due_for_reminder(now, timedelta(hours=ahead))
    for case in cases:
        agent = case.agent.username if case.agent else "-"
        shop = case.review.shop
        click.echo(f"{agent}\t{shop.slug}\t{case.review.external_id}\t{case.due_at.isoformat()}")
    mark_reminded(cases, now)
    db.session.commit()

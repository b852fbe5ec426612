"""`flask chats import FILE…` and `flask chats autoqa [--evaluate LABELS.csv]` (contracts in
../shared/FORMATS.md)."""

from __future__ import annotations

import codecs
import csv
import json
import sys
from datetime import date

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import services
from .evaluation import LabelsRejected, evaluate
from .importer import ImportConflict, ImportRejected, import_file
from .parsing import detect_format


@click.group(help="Chat logs: import, automatic checks.")
def cli():
    pass


cli.name = "chats"


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Text encoding of the files (utf-8 also reads a BOM; gbk for Chinese CSV).",
)
@click.option("--replace", is_flag=True, help="Replace chats whose id is already stored.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid chats and write FILE.rejects.csv instead of rejecting the file.",
)
@with_appcontext
def import_command(files, encoding, replace, skip_invalid):
    """Import chat exports (.jsonl, .jsonl.gz, .csv); each file is all-or-nothing."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None
    for path in files:
        try:
            detect_format(path)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    imported = skipped = rejected = 0
    failed = False
    unknown: dict[tuple[str, str], int] = {}
    for path in files:
        try:
            summary = import_file(path, encoding=encoding, replace=replace, skip_invalid=skip_invalid)
        except ImportRejected as error:
            click.echo(f"{error} (file rejected, nothing imported from it)", err=True)
            failed = True
            continue
        except ImportConflict as error:  # concurrent imports kept winning: nothing stored
            click.echo(str(error), err=True)
            failed = True
            continue
        imported += summary.imported
        skipped += summary.skipped
        rejected += summary.rejected
        for key, count in summary.unknown_nicknames.items():
            unknown[key] = unknown.get(key, 0) + count
        if summary.rejects_path:
            click.echo(f"{path}: {summary.rejected} rejected, see {summary.rejects_path}", err=True)
    if unknown:
        names = ", ".join(f"{shop}/{nick}" for shop, nick in sorted(unknown)[:20])
        click.echo(f"unknown agent nicknames (map them to users on the nickname page): {names}", err=True)
    click.echo(f"imported {imported}, skipped {skipped} (already present), rejected {rejected}")
    if failed:
        sys.exit(1)


AUTOQA_FIELDS = ("chat_id", "shop", "check", "result", "value", "evidence_position", "evidence")


@cli.command("autoqa")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only chats started on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv: one row per chat and check; json: one JSON object per line.",
)
@click.option(
    "--evaluate",
    "labels",
    type=click.Path(exists=True, dir_okay=False, readable=True),
    help="Compare the stored checks with a QA specialist's verdicts (LABELS.csv) instead.",
)
@with_appcontext
def autoqa_command(since, output, labels):
    """Re-run the automatic checks and print one row per chat and check."""
    if labels:
        if since:
            raise click.UsageError("--since does not apply to --evaluate")
        _print_evaluation(labels, output)
        return
    day: date | None = since.date() if since else None
    writer = csv.writer(sys.stdout, lineterminator="\n") if output == "csv" else None
    if writer:
        writer.writerow(AUTOQA_FIELDS)
    slugs: dict[int, str] = {}
    for chat, outcomes in _rerun_committing(day):
        if chat.shop_id not in slugs:
            slugs[chat.shop_id] = chat.shop.slug
        for outcome in outcomes:
            row = (
                chat.external_id,
                slugs[chat.shop_id],
                outcome.check,
                outcome.result,
                outcome.value,
                outcome.position,
                outcome.evidence,
            )
            if writer:
                writer.writerow(["" if v is None else v for v in row])
            else:
                sys.stdout.write(
                    json.dumps(dict(zip(AUTOQA_FIELDS, row, strict=True)), ensure_ascii=False) + "\n"
                )


EVALUATION_FIELDS = ("check", "judged", "agreement", "fail_precision", "fail_recall")
DISAGREEMENT_FIELDS = ("check", "chat_id", "expected", "stored")


def _rerun_committing(day: date | None):
    """The re-run's (chat, outcomes) pairs; each batch is committed before it is printed, so an
    interrupted run keeps the batches done and memory stays flat over a million chats."""
    for results in services.rerun_checks(day):
        db.session.commit()
        yield from results


def _print_evaluation(labels: str, output: str) -> None:
    """Per check: judged, agreement, fail precision and recall; then the disagreeing chats
    (csv: a second table after an empty line; json: one object per check and line)."""
    try:
        agreements = evaluate(labels)
    except LabelsRejected as error:
        click.echo(f"{error} (nothing compared)", err=True)
        sys.exit(1)
    if output == "json":
        for agreement in agreements:
            sys.stdout.write(json.dumps(agreement.as_dict(), ensure_ascii=False) + "\n")
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(EVALUATION_FIELDS)
    for agreement in agreements:
        row = agreement.as_dict()
        writer.writerow(["" if row[f] is None else row[f] for f in EVALUATION_FIELDS])
    writer.writerow([])
    writer.writerow(DISAGREEMENT_FIELDS)
    for agreement in agreements:
        for chat_id, expected, stored in agreement.disagreeing:
            writer.writerow((agreement.check, chat_id, expected, stored))

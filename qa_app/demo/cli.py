"""`flask demo seed`: builds the demo organisation, then asks each domain for its demo data."""

from __future__ import annotations

import importlib
import time

import click
from flask.cli import with_appcontext

from ..accounts.demo import DEMO_PASSWORD
from ..extensions import db

# Order matters: later steps use what earlier ones made (chats need agents, QA needs chats...).
STEPS = ("accounts", "training", "chats", "reviews", "qa", "evaluations", "api")


@click.group(help="Demo organisation and data.")
def cli():
    pass


cli.name = "demo"


@cli.command("seed")
@with_appcontext
def seed():
    """Create the demo organisation, users and data (safe to run again)."""
    context: dict = {}
    for name in STEPS:
        try:
            module = importlib.import_module(f"qa_app.{name}.demo")
        except ModuleNotFoundError as error:
            if error.name in (f"qa_app.{name}.demo", f"qa_app.{name}"):
                continue
            raise
        started = time.perf_counter()
        result = module.seed(**({"context": context} if name != "accounts" else {}))
        db.session.commit()  # one transaction per step keeps SQLite's write lock short
        if isinstance(result, dict):
            context.update(result)
        click.echo(f"demo: {name} ready ({time.perf_counter() - started:.1f}s)")
    started = time.perf_counter()
    from . import orders  # reads the demo chats: after every domain's step

    orders.seed(context)
    click.echo(f"demo: orders ready ({time.perf_counter() - started:.1f}s)")
    click.echo("")
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}): admin, trainer, qa, lead, agent")

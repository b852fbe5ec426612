import click
from flask import current_app
from flask.cli import with_appcontext


@click.group(help="Background jobs.")
def cli():
    pass


cli.name = "jobs"


@cli.command("worker")
@with_appcontext
def worker():
    """Run an RQ worker for long imports (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("REDIS_URL is not set: jobs run inside the web process instead.")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(url)
    Worker([Queue("qa_app", connection=connection)], connection=connection).work()

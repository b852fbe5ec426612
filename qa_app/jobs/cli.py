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
        raise click.UsageError("REDIS_URL is not set: each job runs in a process of its own instead.")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(url)
    Worker([Queue("qa_app", connection=connection)], connection=connection).work()


@cli.command("run", hidden=True)
@click.argument("job_id", type=int)
@with_appcontext
def run_one(job_id):
    """Run one recorded job to its end (the web app starts this for each upload)."""
    from .services import run

    run(job_id)

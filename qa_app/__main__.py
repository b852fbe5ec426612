"""`python -m qa_app <group> <command>`: the same commands as `flask --app qa_app ...`."""

from flask.cli import FlaskGroup

from . import create_app

cli = FlaskGroup(create_app=create_app)

if __name__ == "__main__":
    cli(prog_name="python -m qa_app")

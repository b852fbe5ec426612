"""Production server settings; override any of them with GUNICORN_CMD_ARGS."""

import multiprocessing
import os
import sys
from pathlib import Path

from qa_app import config as app_config  # not "config": gunicorn reads that name as a setting

# Without a private SECRET_KEY refuse to start, in one line, rather than let every worker fail
# on it with a traceback (create_app refuses too). The instance folder is the app's (Flask's default).
_instance = Path(__file__).resolve().parent / "instance"
_problem = app_config.secret_key_problem(app_config.read_secret_key(_instance), _instance)
if _problem:
    sys.exit(f"error: {_problem}")

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 120  # long CSV exports; imports run in the background worker
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

"""Scale and speed: generate a realistic data set, measure, print one JSON object per line.

    .venv/bin/python scripts/bench.py                 # full scale (see --help), SQLite, and
                                                      # PostgreSQL when BENCH_DATABASE_URL is set
    .venv/bin/python scripts/bench.py --smoke         # CI size: 20 agents, 5,000 chats
    make bench BENCH_ARGS="--backend postgresql --chats 200000"

Every line: {"name", "value", "unit", "baseline", "ratio", ...extras}. The baseline is the floor
measured in the same run on the same database (raw driver inserts, an app that does nothing,
/healthz, reading the candidate rows, reading the CSV); ratio = value / baseline. Progress goes to
stderr. docs/benchmarks.md has the figures and what they mean.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
import traceback
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import sqlalchemy as sa  # noqa: E402
from benchlib import generate, raw, seed, web  # noqa: E402

PYTHON = sys.executable
SECRET = "bench-" + uuid.uuid4().hex
ZONE = ZoneInfo("Asia/Shanghai")
TARGETS = {
    "chat_import": ">= 0.5 x baseline",
    "import_memory": "< 300 MB",
    "sampling": "< 1 s",
    "evaluation": "< 2 s",
    "page_latency": "p95 < 150 ms",
    "reviews_classify": "-",
}
FULL = {
    "agents": 300,
    "chats": 1_000_000,
    "messages": 12,
    "reviews": 300_000,
    "days": 90,
    "page_requests": 300,
}
SMOKE = {"agents": 20, "chats": 5_000, "messages": 12, "reviews": 2_000, "days": 90, "page_requests": 100}
BENCHMARKS = ("chat_import", "import_memory", "sampling", "evaluation", "page_latency", "reviews_classify")
# a child that measures its own child: the peak RSS of exactly one command
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
print(json.dumps({"rc": done.returncode, "seconds": time.perf_counter() - started,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "stdout": done.stdout.decode(errors="replace")[-2000:],
                  "stderr": done.stderr.decode(errors="replace")[-4000:]}))
"""


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


class Emitter:
    def __init__(self, backend: str, scale: dict):
        self.backend = backend
        self.scale = scale
        self.failed: list[str] = []

    def __call__(self, name: str, value, unit: str, baseline, **extra) -> None:
        ratio = float(f"{value / baseline:.4g}") if value is not None and baseline else None
        line = {
            "name": name,
            "value": value,
            "unit": unit,
            "baseline": baseline,
            "ratio": ratio,
            "backend": self.backend,
            **extra,
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)


@contextmanager
def timer():
    box = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started


# --- databases ------------------------------------------------------------------------------


class Database:
    """A fresh database for one run: an SQLite file, or a PostgreSQL schema dropped afterwards."""

    def __init__(self, backend: str, workdir: Path, tag: str, pg_base: str | None = None):
        self.backend, self.tag = backend, tag
        if backend == "sqlite":
            self.path = workdir / f"bench-{tag}-{os.getpid()}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.schema = f"bench_{tag}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            base = sa.engine.make_url(pg_base).set(drivername="postgresql+psycopg")
            self.admin_url = base
            self.url = base.update_query_dict({"options": f"-csearch_path={self.schema}"}).render_as_string(
                hide_password=False
            )
            engine = sa.create_engine(base)
            with engine.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{self.schema}"')
            engine.dispose()

    def size(self) -> int:
        """Bytes on disk: the SQLite file and its WAL, or every relation of the schema."""
        if self.backend == "sqlite":
            return sum(
                Path(str(self.path) + s).stat().st_size
                for s in ("", "-wal")
                if Path(str(self.path) + s).exists()
            )
        engine = sa.create_engine(self.admin_url)
        with engine.connect() as connection:
            size = connection.execute(
                sa.text(
                    "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :schema AND c.relkind IN ('r', 'm')"
                ),
                {"schema": self.schema},
            ).scalar()
        engine.dispose()
        return int(size)

    def drop(self) -> None:
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
        else:
            engine = sa.create_engine(self.admin_url)
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            engine.dispose()


def make_app(url: str):
    from qa_app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "JOBS_MODE": "inline",
            "PASSWORD_HASH_METHOD": seed.HASH_METHOD,
        }
    )


def prepare(database: Database, agents: int):
    """Migrate to head and seed the organisation; returns (app, org)."""
    from flask_migrate import upgrade

    from qa_app.extensions import db

    app = make_app(database.url)
    with app.app_context():
        upgrade()
        org = seed.organisation(agents)
        db.session.remove()
    return app, org


def child_env(database: Database) -> dict:
    env = {**os.environ, "DATABASE_URL": database.url, "SECRET_KEY": SECRET}
    env.pop("REDIS_URL", None)
    return env


def measured(command: list[str], env: dict) -> dict:
    out = subprocess.run(
        [PYTHON, "-c", MEASURE, *command], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# --- the benchmarks -------------------------------------------------------------------------


def head_file(source: Path, lines: int) -> Path:
    """The first `lines` lines of a generated .jsonl.gz (or .csv, header kept) as their own file."""
    import gzip

    gz = source.name.endswith(".gz")
    target = source.with_name(
        source.name.replace(".jsonl", f".first{lines}.jsonl").replace(".csv", f".first{lines}.csv")
    )
    if target.exists():
        return target
    opener = gzip.open if gz else open
    partial = target.with_name(target.name + ".part")
    with (
        opener(source, "rt", encoding="utf-8") as reader,
        opener(partial, "wt", encoding="utf-8", **({"compresslevel": 1} if gz else {})) as writer,
    ):
        for number, line in enumerate(reader):
            if number >= lines + (0 if gz else 1):
                break
            writer.write(line)
    partial.rename(target)
    return target


def bench_import(emit, args, database: Database, workdir: Path, chats_file: Path, org) -> None:
    # the floor: the same rows through the driver's bulk path, into a twin database
    twin = Database(database.backend, workdir, "raw", args.pg_base)
    try:
        twin_app, twin_org = prepare(twin, args.agents)
        from qa_app.extensions import db

        with twin_app.app_context():
            agents = {generate.nickname(i): twin_org.agent_ids[i] for i in range(args.agents)}
            log(f"raw bulk insert of {args.import_chats:,} chats ({database.backend})")
            floor = raw.insert(
                db.engine, chats_file, shop_id=twin_org.shop_id, agents=agents, limit=args.import_chats
            )
            db.engine.dispose()
    finally:
        twin.drop()
    floor_rate = floor["chats"] / floor["seconds"]
    log(f"raw: {floor['chats']:,} chats in {floor['seconds']:.1f} s in database calls")

    env = child_env(database)
    log("app-only child (memory baseline)")
    idle = measured([PYTHON, "-c", "from qa_app import create_app; create_app()"], env)
    source = chats_file if args.import_chats >= args.chats else head_file(chats_file, args.import_chats)
    log(f"chats import of {args.import_chats:,} chats ({database.backend})")
    run = measured([PYTHON, "-m", "qa_app", "chats", "import", str(source)], env)
    if run["rc"] != 0:
        raise RuntimeError(f"chats import failed ({run['rc']}): {run['stderr']}")
    log(f"import: {run['stdout'].strip()} in {run['seconds']:.1f} s")
    size_mb = round(database.size() / 2**20, 1)
    # the child's start-up (imports, create_app) is not import work: take it off
    rate = args.import_chats / max(0.001, run["seconds"] - idle["seconds"])
    emit(
        "chat_import",
        round(rate, 1),
        "chats/s",
        round(floor_rate, 1),
        target=TARGETS["chat_import"],
        chats=args.import_chats,
        messages=args.messages,
        import_seconds=round(run["seconds"], 1),
        startup_seconds=round(idle["seconds"], 1),
        baseline_seconds=round(floor["seconds"], 1),
        database_mb=size_mb,
        note="value: chats / (command wall time - start-up of an app-only child); "
        "baseline: raw driver bulk insert of the same rows (executemany / COPY), DB time only",
    )
    emit(
        "import_memory",
        round(run["maxrss_kb"] / 1024, 1),
        "MB",
        round(idle["maxrss_kb"] / 1024, 1),
        target=TARGETS["import_memory"],
        chats=args.import_chats,
        note="peak RSS of the import child; baseline: a child that only creates the app",
    )


def bench_sampling(emit, args, app, org, week_start: date) -> None:
    from qa_app.extensions import db
    from qa_app.qa import candidates, sampling

    with app.app_context():
        rubric, _ = seed.rubric()
        plan = sampling.create_plan(
            None,
            name="bench weekly",
            rubric=rubric,
            mode="per_agent",
            per_agent_per_week=5,
            percent=None,
            date_from=week_start,
            date_to=week_start + timedelta(days=6),
            filters={},
            seed=42,
        )
        db.session.commit()
        db.session.expire_all()
        with timer() as floor:
            candidate_rows = db.session.execute(candidates.candidate_query(plan)).all()
        db.session.rollback()
        plan = db.session.get(type(plan), plan.id)
        with timer() as spent:
            result = sampling.run(plan)
        emit(
            "sampling",
            round(spent["seconds"], 4),
            "s",
            round(floor["seconds"], 4),
            target=TARGETS["sampling"],
            agents=args.agents,
            week=str(week_start),
            candidates=len(candidate_rows),
            samples=result.created,
            note="weekly plan, 5 chats per agent; baseline: reading the week's candidate rows",
        )
        db.session.remove()


def bench_evaluation(emit, args, app, org, month: str) -> None:
    import sqlalchemy.orm as so

    from qa_app.accounts.models import User
    from qa_app.chats.models import Chat
    from qa_app.evaluations import periods, services
    from qa_app.extensions import db

    with app.app_context():
        agents = list(
            db.session.scalars(
                sa.select(User)
                .where(User.id.in_(org.agent_ids))
                .options(so.selectinload(User.role_rows))
                .order_by(User.id)
            )
        )
        period = periods.parse(month, "Asia/Shanghai")
        runs = []
        for _ in range(3):
            db.session.expire_all()
            with timer() as spent:
                rows = services.evaluate_many(agents, period)
            runs.append(spent["seconds"])
        floors = []
        for _ in range(3):
            with timer() as floor:
                db.session.execute(
                    sa.select(Chat.agent_id, sa.func.count(Chat.id))
                    .where(Chat.started_at >= period.start, Chat.started_at < period.end)
                    .group_by(Chat.agent_id)
                ).all()
            floors.append(floor["seconds"])
        with_qa = sum(1 for r in rows if r.components["qa"].count)
        emit(
            "evaluation",
            round(statistics.median(runs), 4),
            "s",
            round(min(floors), 4),
            target=TARGETS["evaluation"],
            agents=len(agents),
            month=month,
            first_run=round(runs[0], 3),
            agents_with_qa_scores=with_qa,
            note="evaluate_many for every agent, median of 3; baseline: one GROUP BY over the month's chats",
        )
        db.session.remove()


def bench_pages(emit, args, app, org, database: Database, workdir: Path, month_start: datetime) -> None:
    from qa_app.chats.models import Chat
    from qa_app.extensions import db

    with app.app_context():
        rng = random.Random(3)
        chat_ids = [
            i
            for (i,) in db.session.execute(
                sa.select(Chat.id).where(Chat.started_at >= month_start).order_by(Chat.id).limit(5000)
            )
        ]
        chat_ids = rng.sample(chat_ids, min(200, len(chat_ids)))
        lead_cookies = [web.session_cookie(app, i, org.session_version[i]) for i in org.lead_ids]
        qa_cookies = [web.session_cookie(app, i, org.session_version[i]) for i in org.qa_ids]
        # as production does nightly and after large imports (docs/operations.md): the raw loader
        # wrote past the session, so nothing was cached and no input stamp was raised
        from qa_app.evaluations import services as evaluations

        with timer() as warmed:
            covered = 0
            for chunk in evaluations.warm(("month", "week"), 7):
                db.session.commit()  # as `flask evaluations warm` does after each chunk
                covered += chunk
        log(f"evaluations warm: {covered:,} agent-periods in {warmed['seconds']:.1f} s")
        db.session.remove()
        db.engine.dispose()
    pages = [
        ("healthz", ["/healthz"], lead_cookies),
        ("lead_dashboard", ["/evaluations/"], lead_cookies),
        ("qa_queue", ["/qa/queue"], qa_cookies),
        ("transcript", [f"/chats/{i}" for i in chat_ids], qa_cookies),
        ("review_list", ["/reviews"], lead_cookies),
    ]
    log(
        f"gunicorn, 4 workers, {args.users} users, {args.page_requests} requests per page, "
        f"think times {args.think}"
    )
    with web.Server(database.url, SECRET, workers=4, log=workdir / "gunicorn.log") as server:
        server.wait()
        failures = []
        for think in args.think:
            failures += _measure_pages(emit, args, server, pages, think)
    if failures:  # every page is measured first
        raise RuntimeError("; ".join(failures))


def _measure_pages(emit, args, server, pages, think: tuple[float, float]) -> list[str]:
    """One pass over the pages at one pacing; the closed loop (no think time) keeps the plain
    names, a paced pass adds `_paced` so both can sit in one table."""
    suffix = "_paced" if think[1] > 0 else ""
    floor, failures = None, []
    for name, paths, cookies in pages:
        result = web.load(
            server.base,
            paths,
            cookies,
            requests_total=args.page_requests,
            users=args.users,
            time_limit=args.page_time_limit,
            think=think,
        )
        log(
            f"{name}{suffix}: p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, {result.requests} "
            f"requests, {result.errors} errors {result.statuses}"
        )
        if name == "healthz":
            floor = result
            continue
        emit(
            f"page_latency_{name}{suffix}",
            result.p95_ms,
            "ms",
            floor.p95_ms,
            p50=result.p50_ms,
            baseline_p50=floor.p50_ms,
            requests=result.requests,
            errors=result.errors,
            users=args.users,
            think_s=list(think),
            seconds=result.seconds,
            partial=result.partial,
            target=TARGETS["page_latency"],
            statuses={str(k): v for k, v in result.statuses.items()},
            note="value and baseline are p95 ms; baseline: /healthz of the same server at the same pacing",
        )
        if result.errors:
            failures.append(f"{name}{suffix}: {result.errors} failed requests {result.statuses}")
    return failures


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def bench_classify(emit, args, database: Database, reviews_file: Path) -> None:
    if args.classify_reviews < args.reviews:
        reviews_file = head_file(reviews_file, args.classify_reviews)
    with timer() as floor, reviews_file.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    env = child_env(database)
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        done = subprocess.run(
            [PYTHON, "-m", "qa_app", "reviews", "classify", str(reviews_file)],
            env=env,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.PIPE,
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"reviews classify failed: {done.stderr.decode(errors='replace')[-2000:]}")
    emit(
        "reviews_classify",
        round(rows / seconds, 1),
        "reviews/s",
        round(rows / floor["seconds"], 1),
        target=TARGETS["reviews_classify"],
        reviews=rows,
        seconds=round(seconds, 1),
        note="whole command incl. start-up and model load; baseline: csv.DictReader over the file",
    )


# --- one backend ----------------------------------------------------------------------------


def run_backend(
    backend: str, args, workdir: Path, chats_file: Path, reviews_file: Path, start: datetime
) -> list[str]:
    emit = Emitter(backend, {})
    failed = []
    only = set(args.only or BENCHMARKS)
    database = Database(backend, workdir, "main", args.pg_base)
    log(f"=== {backend}: {database.url if backend == 'sqlite' else database.schema}")
    try:
        app, org = prepare(database, args.agents)

        def step(name, function, *a):
            try:
                function(*a)
            except Exception:  # report and go on with the next figure
                failed.append(f"{backend}:{name}")
                traceback.print_exc()

        imported = 0
        if only & {"chat_import", "import_memory"}:
            step("chat_import", bench_import, emit, args, database, workdir, chats_file, org)
            imported = args.import_chats
        if imported < args.chats:  # the other figures need every chat: the rest the fast way
            from qa_app.extensions import db

            log(f"loading the other {args.chats - imported:,} chats with the raw loader")
            with app.app_context():
                agents = {generate.nickname(i): org.agent_ids[i] for i in range(args.agents)}
                raw.insert(db.engine, chats_file, shop_id=org.shop_id, agents=agents, skip=imported)
                db.session.remove()
        end = start + timedelta(days=args.days)
        end_local = end.astimezone(ZONE).date()
        # the last complete ISO week and month of the data
        week_start = end_local - timedelta(days=end_local.weekday() + 7)
        first_of_month = end_local.replace(day=1)
        month = (first_of_month - timedelta(days=1)).strftime("%Y-%m")
        month_start = datetime.combine((first_of_month - timedelta(days=1)).replace(day=1), dtime.min, ZONE)
        from qa_app.extensions import db

        with app.app_context():
            log(f"loading {args.reviews:,} reviews and QA scores")
            loaded = seed.reviews(org, reviews_file, chats_agents=args.agents)
            scored = seed.scores(org, until=datetime.combine(week_start, dtime.min, ZONE))
            log(f"reviews {loaded:,}, samples {scored['samples']:,}, submitted scores {scored['scores']:,}")
            # planner statistics, as a maintained production database has them (PostgreSQL:
            # autovacuum; SQLite: `PRAGMA optimize`, see docs/benchmarks.md). Without them SQLite
            # drives the dashboard's "never answered" count from check_results: 10x slower.
            with db.engine.begin() as connection:
                if backend == "sqlite":
                    connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
                connection.exec_driver_sql("ANALYZE")
            db.session.remove()
        if "sampling" in only:
            step("sampling", bench_sampling, emit, args, app, org, week_start)
        if "evaluation" in only:
            step("evaluation", bench_evaluation, emit, args, app, org, month)
        if "page_latency" in only:
            step("page_latency", bench_pages, emit, args, app, org, database, workdir, month_start)
        if "reviews_classify" in only:
            step("reviews_classify", bench_classify, emit, args, database, reviews_file)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.keep:
            log(f"kept {database.url}")
        else:
            database.drop()
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="CI size: " + json.dumps(SMOKE))
    for key, value in FULL.items():
        parser.add_argument(
            "--" + key.replace("_", "-"),
            type=int,
            default=None,
            help=f"default {value:,} ({SMOKE[key]:,} with --smoke)",
        )
    parser.add_argument(
        "--import-chats",
        type=int,
        default=None,
        help="chats that go through `chats import` (and the raw floor) for "
        "chat_import/import_memory; the rest are loaded with the raw loader "
        "(default: all)",
    )
    parser.add_argument(
        "--classify-reviews",
        type=int,
        default=None,
        help="reviews that go through `reviews classify` (default: all)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users for page latency")
    parser.add_argument(
        "--think",
        nargs="+",
        type=_think,
        default=None,
        metavar="MIN-MAX",
        help="seconds each user waits after a response, one page pass per value: "
        "0 = closed loop (every user always has a request in flight), 1-3 = "
        "a person reading the page (names get _paced); default: 0 1-3 "
        "(0 with --smoke)",
    )
    parser.add_argument(
        "--page-time-limit",
        type=float,
        default=None,
        help="hard limit in seconds for each page's request loop (default 180; "
        "10 with --smoke); a page that hits it is reported with partial: true",
    )
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql", "all"),
        default="all",
        help="all: SQLite, and PostgreSQL when BENCH_DATABASE_URL is set",
    )
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these figures")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "instance" / "bench",
        help="generated files (kept, reused) and SQLite databases (removed)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    for key, value in sizes.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.import_chats = min(args.import_chats or args.chats, args.chats)
    args.classify_reviews = min(args.classify_reviews or args.reviews, args.reviews)
    if args.think is None:
        args.think = [(0.0, 0.0)] if args.smoke else [(0.0, 0.0), (1.0, 3.0)]
    if args.page_time_limit is None:
        args.page_time_limit = 10.0 if args.smoke else 180.0
    args.pg_base = os.environ.get("BENCH_DATABASE_URL") or None
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    if not args.pg_base:
        if args.backend == "postgresql":
            parser.error("--backend postgresql needs BENCH_DATABASE_URL")
        backends = [b for b in backends if b != "postgresql"]
    args.workdir.mkdir(parents=True, exist_ok=True)

    # the data ends today (shop time) so that "this week" and "this month" pages have data
    today = datetime.now(ZONE).date()
    start = datetime.combine(today - timedelta(days=args.days - 1), dtime.min, ZONE)
    stem = f"{args.agents}a-{args.chats}c-{args.messages}m-{args.days}d-{start:%Y%m%d}"
    chats_file = args.workdir / f"chats-{stem}.jsonl.gz"
    reviews_file = args.workdir / f"reviews-{args.agents}a-{args.reviews}r-{args.chats}c-{start:%Y%m%d}.csv"
    if not chats_file.exists():
        log(f"generating {args.chats:,} chats → {chats_file}")
        generate.chats(
            chats_file,
            agents=args.agents,
            count=args.chats,
            days=args.days,
            messages=args.messages,
            start=start,
        )
    if not reviews_file.exists():
        log(f"generating {args.reviews:,} reviews → {reviews_file}")
        generate.reviews(
            reviews_file,
            agents=args.agents,
            count=args.reviews,
            days=args.days,
            chats_count=args.chats,
            start=start,
        )
    log(
        f"scale: {args.agents} agents, {args.chats:,} chats (~{args.messages} messages; "
        f"{args.import_chats:,} through chats import), {args.reviews:,} reviews "
        f"({args.classify_reviews:,} classified), {args.days} days; backends {backends}"
    )
    failed = []
    for backend in backends:
        failed += run_backend(backend, args, args.workdir, chats_file, reviews_file, start)
    if failed:
        log("FAILED: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

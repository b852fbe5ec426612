"""Browser tests: the real app behind a real HTTP server, driven by headless Chromium.

One live server per session on a fresh SQLite file, migrated and seeded with the demo accounts
only (other domains' demo data is not loaded: journeys create what they need, through the
domains' services, with the `in_app` fixture and the helpers in seeding.py). CSRF is on and
logins go through the form, exactly as for a person. Each journey ends with a screenshot in
test-artifacts/screenshots/<test name>.png.

Write a journey:

    @pytest.mark.browser
    def test_agent_takes_a_course(page, screenshot):
        login(page, "agent")
        page.get_by_role("link", name=...).click()
        ...
        screenshot()
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "demo"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _needs_chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's chromium at /usr/bin/chromium "
            "(apt-get install chromium; .ci/run installs it)"
        )


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(_needs_chromium, tmp_path_factory):
    from qa_app import create_app
    from qa_app.accounts import demo

    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}",
            "UPLOAD_DIR": str(folder / "uploads"),
            "JOBS_MODE": "inline",  # imports finish inside the request: no polling races
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # seeding 36 users quickly
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        upgrade()
        demo.seed()
        from qa_app.extensions import db

        db.session.commit()  # as `flask demo seed` does: the demo's services only flush
        db.session.remove()
        db.engine.dispose()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def in_app(live_server):
    """Seed through the domains' services: `in_app(fn, *args)` runs fn inside the live app's
    context and returns its result (plain values: ids and strings, never ORM objects). The
    session is committed and removed afterwards, so the server's threads see the data."""
    from qa_app.extensions import db

    def run(fn, *args, **kwargs):
        with live_server.app.app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            finally:
                db.session.remove()

    return run


@pytest.fixture(scope="session")
def libraries(in_app):
    """The course library and the rubrics, imported once (as `courses import`/`rubrics import`)."""
    from . import seeding

    in_app(seeding.import_libraries)


@pytest.fixture(scope="session")
def browser(_needs_chromium):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile (no cookies) whose browser asks for Chinese, like most users."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors the page logged (CSP violations and failed scripts show up here)."""
    errors: list[str] = []

    def on_console(message) -> None:
        # The browser asks for /favicon.ico by itself; the site has none, which is fine.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def screenshot(page, request):
    """Call at the journey's end: saves test-artifacts/screenshots/<test name>.png."""

    def take(suffix: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.\[\]-]+", "_", request.node.name + suffix)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait for the home page."""
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("main form.card button").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def nav_link(page, name: str):
    """The top bar's link called `name`, its drop-down menu opened first when it sits in one."""
    link = page.locator("header nav").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        inner = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        page.locator("header nav details").filter(has=inner).locator("summary").click()
    return link


def page_language(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_language(page) -> str:
    """Click the header's language button; returns the new <html lang>."""
    before = page_language(page)
    page.locator("header form button[name=locale]").click()
    # A locator assertion retries across the POST-redirect-GET; evaluating script against
    # document.documentElement could run while the old document is being torn down.
    expect(page.locator("html")).not_to_have_attribute("lang", before)
    return page_language(page)


def logout(page) -> None:
    page.locator("header form[action$='/logout'] button").click()
    page.wait_for_url(re.compile(r"/login"))

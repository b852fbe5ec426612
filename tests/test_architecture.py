"""Imports go one way (docs/ARCHITECTURE.md): a domain imports only its own layer's core or lower
layers, never a higher one nor a peer of its layer, not even lazily or through importlib."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"

# lower number = lower layer; core domains may use one another
LAYERS = {
    "accounts": 0,
    "audit": 0,
    "ui": 0,
    "jobs": 0,
    "ingest": 0,
    "training": 1,
    "chats": 1,
    "orders": 1,
    "reviews": 2,
    "qa": 3,
    "evaluations": 4,
    "api": 5,
    # composition: they put the whole app together (maintenance jobs, demo data)
    "maintenance": 6,
    "demo": 6,
}
CORE = 0


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The domain a module belongs to; None for the shared modules (qa_app.extensions, ...) and
    for anything outside qa_app."""
    parts = module.split(".")
    if parts[0] != "qa_app" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return parts[1]


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Every qa_app module the source imports: top level or in a function, absolute or relative,
    and `importlib.import_module("literal")`."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            names = [base] if node.module else [f"{base}.{alias.name}" for alias in node.names]
            found += [(name, node.lineno) for name in names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif _is_import_module(node) and isinstance(node.args[0], ast.Constant):
            found.append((str(node.args[0].value), node.lineno))
    return found


def _is_import_module(node) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    return name in ("import_module", "__import__")


def wrong_way(source: str, module: str, is_package: bool = False) -> list[str]:
    """The imports of `module` against the direction of the layers."""
    mine = layer_of(module)
    problems = []
    for target, line in imported_modules(source, module, is_package):
        theirs = layer_of(target)
        if theirs is None or theirs == mine:
            continue
        if mine is None:
            if module.count(".") >= 1 and module != "qa_app":  # a shared module uses no domain
                problems.append(f"{module}:{line} imports {target} (shared modules import no domain)")
            continue
        if LAYERS[theirs] > LAYERS[mine] or (LAYERS[theirs] == LAYERS[mine] != CORE):
            problems.append(f"{module}:{line} imports {target} ({mine} may not use {theirs})")
    return problems


def test_every_module_imports_only_downwards():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        problems += wrong_way(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert problems == []


def test_every_domain_package_has_a_layer():
    domains = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert domains == set(LAYERS)


def test_checker_catches_a_lazy_relative_import_of_a_higher_domain():
    source = "def f():\n    from ..reviews import services\n"
    assert wrong_way(source, "qa_app.chats.services") == [
        "qa_app.chats.services:2 imports qa_app.reviews (chats may not use reviews)"
    ]


def test_checker_catches_an_absolute_import_of_a_higher_domain():
    assert wrong_way("import qa_app.evaluations.freshness\n", "qa_app.qa.models")


def test_checker_catches_importlib_with_a_literal():
    source = "import importlib\nimportlib.import_module('qa_app.api.tokens')\n"
    assert wrong_way(source, "qa_app.evaluations.services")


def test_checker_catches_an_import_between_peers_of_a_layer():
    assert wrong_way("from ..training.models import Course\n", "qa_app.chats.views")


def test_checker_catches_a_shared_module_importing_a_domain():
    assert wrong_way("from .chats.models import Chat\n", "qa_app.permissions")


def test_checker_resolves_relative_imports_from_a_package_init():
    assert wrong_way("from ..qa import services\n", "qa_app.reviews", is_package=True)


def test_checker_allows_downward_and_own_domain_imports():
    source = "from ..chats.services import agent_for_order\nfrom .models import Review\n"
    assert wrong_way(source, "qa_app.reviews.attribution") == []


# --- who commits (issue 17): services flush; views, CLI commands and job runners commit --------

DOMAINS_THAT_FLUSH = ("chats", "reviews", "qa", "evaluations")
OWN_TRANSACTION = "# own transaction:"


def commits_outside_callers(source: str, module: str) -> list[str]:
    """`module:line` of every commit() outside a view or CLI module whose line does not say why
    it needs a transaction of its own."""
    parts = module.split(".")
    if parts[-1] in ("cli", "views") or parts[-1].startswith("views_") or "views" in parts[:-1]:
        return []
    lines = source.splitlines()
    return [
        f"{module}:{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and OWN_TRANSACTION not in lines[node.end_lineno - 1]
    ]


def test_domain_services_leave_the_commit_to_their_callers():
    problems = []
    for domain in DOMAINS_THAT_FLUSH:
        for path in sorted((PACKAGE / domain).rglob("*.py")):
            problems += commits_outside_callers(path.read_text(encoding="utf-8"), module_name(path))
    assert problems == []


def test_commit_checker_catches_a_service_that_commits():
    source = "def save(x):\n    db.session.add(x)\n    db.session.commit()\n"
    assert commits_outside_callers(source, "qa_app.qa.rubrics") == ["qa_app.qa.rubrics:3"]


def test_commit_checker_accepts_a_commit_that_says_why_it_is_its_own():
    source = "connection.commit()  # own transaction: the cache is best effort\n"
    assert commits_outside_callers(source, "qa_app.evaluations.cache") == []


def test_commit_checker_leaves_views_and_commands_alone():
    source = "db.session.commit()\n"
    modules = ("qa_app.qa.views", "qa_app.qa.views_rubrics", "qa_app.qa.views.rubrics", "qa_app.qa.cli")
    assert [commits_outside_callers(source, module) for module in modules] == [[], [], [], []]

"""The ingest stack is core: it imports nothing from the domains (STYLE.md, direction of imports)."""

import ast
from pathlib import Path

INGEST = Path(__file__).resolve().parents[2] / "qa_app" / "ingest"
DOMAINS = {"training", "chats", "reviews", "qa", "evaluations", "api", "orders", "demo", "maintenance"}


def domain_imports(source: str) -> set[str]:
    """The qa_app sub-packages a module of qa_app/ingest imports that are domains."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            packages = [alias.name.split(".")[1] for alias in node.names if alias.name.startswith("qa_app.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            parts = (node.module or "").split(".")
            packages = (
                [parts[1]]
                if parts[0] == "qa_app" and len(parts) > 1
                else ([alias.name for alias in node.names] if parts == ["qa_app"] else [])
            )
        elif isinstance(node, ast.ImportFrom) and node.level >= 2:  # from qa_app's level
            packages = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
        else:
            continue
        found.update(set(packages) & DOMAINS)
    return found


def test_ingest_imports_no_domain():
    assert {path.name: domain_imports(path.read_text(encoding="utf-8")) for path in INGEST.glob("*.py")} == {
        path.name: set() for path in INGEST.glob("*.py")
    }


def test_the_check_sees_every_way_of_importing_a_domain():
    source = (
        "from ..chats import parsing\nfrom .. import reviews\nimport qa_app.qa.models\n"
        "from qa_app.evaluations import services\nfrom ..jobs import services\n"
    )
    assert domain_imports(source) == {"chats", "reviews", "qa", "evaluations"}

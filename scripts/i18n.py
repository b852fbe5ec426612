"""Message catalogues, one per domain package (qa_app/<domain>/translations/).

    python scripts/i18n.py update    # extract strings and merge them into the zh_CN/en catalogues
    python scripts/i18n.py compile   # build the .mo files the app loads (part of every build)
    python scripts/i18n.py check     # fail if a zh_CN message is missing, fuzzy or out of date
    python scripts/i18n.py fill DOMAIN < pairs.tsv   # set zh_CN strings: "msgid<TAB>translation"

Per-domain catalogues keep each domain's strings next to its code; Flask-Babel merges them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qa_app"
# Babel expands zh_CN to zh_Hans_CN when it looks for catalogues, so that is the folder name.
ZH = "zh_Hans_CN"
LOCALES = (ZH, "en")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2"]


def domains() -> list[Path]:
    return sorted(p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def pybabel(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"pybabel {args[0]} failed:\n{done.stderr}")


def extract(domain: Path, pot: Path) -> None:
    pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(pot),
        str(domain),
    )


def messages(pot: Path) -> set[str]:
    with pot.open("rb") as handle:
        return {str(m.id) if isinstance(m.id, str) else str(m.id[0]) for m in read_po(handle) if m.id}


def update() -> None:
    for domain in domains():
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(domain, pot)
            if not messages(pot):
                continue
            out = domain / "translations"
            for locale in LOCALES:
                po = out / locale / "LC_MESSAGES" / "messages.po"
                if po.exists():
                    before = po.read_text(encoding="utf-8")
                    pybabel(
                        "update",
                        "-i",
                        str(pot),
                        "-d",
                        str(out),
                        "-l",
                        locale,
                        "-w",
                        "100",
                        "--no-fuzzy-matching",
                        "--ignore-obsolete",
                    )
                    _keep_if_only_date_changed(po, before)
                else:
                    pybabel("init", "-i", str(pot), "-d", str(out), "-l", locale, "-w", "100")
            print(f"{domain.name}: {len(messages(pot))} messages")


def _keep_if_only_date_changed(po: Path, before: str) -> None:
    """pybabel rewrites the creation date on every run; don't turn that into a diff."""

    def strip(text: str) -> str:
        return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text)

    if strip(po.read_text(encoding="utf-8")) == strip(before):
        po.write_text(before, encoding="utf-8")


def compile_all() -> None:
    for domain in domains():
        out = domain / "translations"
        if out.is_dir():
            pybabel("compile", "-d", str(out), "--statistics")


def problems() -> list[str]:
    """Messages in the code without a current zh_CN translation, as readable lines."""
    found = []
    for domain in domains():
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(domain, pot)
            wanted = messages(pot)
            if not wanted:
                continue
            po = domain / "translations" / ZH / "LC_MESSAGES" / "messages.po"
            if not po.exists():
                found.append(f"{domain.name}: no zh_CN catalogue ({len(wanted)} messages)")
                continue
            with po.open("rb") as handle:
                catalog = read_po(handle)
            translated = set()
            for message in catalog:
                if not message.id or message.fuzzy:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if all(strings):
                    translated.add(message.id if isinstance(message.id, str) else message.id[0])
            for missing in sorted(wanted - translated):
                found.append(f"{domain.name}: untranslated: {missing!r}")
    return found


def fill(domain: str, lines) -> int:
    """Write zh_CN translations given as tab-separated pairs; Chinese has one plural form."""
    po = PACKAGE / domain / "translations" / ZH / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    pairs = dict(line.rstrip("\n").split("\t", 1) for line in lines if "\t" in line)
    changed = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0] if message.id else None
        if key in pairs:
            message.string = (
                (pairs[key],) * catalog.num_plurals if isinstance(message.id, tuple) else pairs[key]
            )
            message.flags.discard("fuzzy")
            changed += 1
    with po.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, width=100)
    print(f"{domain}: {changed} of {len(pairs)} given translations applied")
    return 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "fill" and len(argv) == 3:
        return fill(argv[2], sys.stdin)
    elif command == "check":
        issues = problems()
        print("\n".join(issues) or "all messages translated")
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

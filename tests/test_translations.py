import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_ui_message_has_a_chinese_translation():
    spec = importlib.util.spec_from_file_location("i18n", ROOT / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    assert i18n.problems() == []

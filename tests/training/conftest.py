from pathlib import Path

import pytest

from qa_app.training.services.library import import_library

LIBRARY = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def library(db):
    """The starter course library, imported."""
    import_library(LIBRARY)
    return LIBRARY


@pytest.fixture
def library_copy(tmp_path):
    """A copy of the starter library that a test may change."""
    import shutil

    target = tmp_path / "courses"
    shutil.copytree(LIBRARY, target)
    return target

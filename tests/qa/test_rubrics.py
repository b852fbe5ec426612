"""Rubric import, validation, versioning and the `rubrics import` command."""

import shutil

import pytest
import sqlalchemy as sa

from qa_app.qa import rubrics
from qa_app.qa.models import Rubric, RubricVersion

from ..factories import make_user
from .factories import RUBRICS_DIR, SMALL_RUBRIC, make_chat, submitted_score


def _copy_library(tmp_path):
    target = tmp_path / "rubrics"
    shutil.copytree(RUBRICS_DIR, target)
    return target


def test_import_loads_every_rubric_of_the_library(db, tmp_path):
    report = rubrics.import_dir(_copy_library(tmp_path))
    assert sorted(report.created) == ["after-sale", "etiquette", "pre-sale"]
    pre_sale = db.session.scalar(sa.select(Rubric).where(Rubric.slug == "pre-sale"))
    assert pre_sale.current.number == 1
    assert any(c.critical for c in pre_sale.current.criteria)


def test_importing_unchanged_files_adds_no_version(db, tmp_path):
    library = _copy_library(tmp_path)
    rubrics.import_dir(library)
    report = rubrics.import_dir(library)
    assert len(report.unchanged) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RubricVersion)) == 3


def test_changed_file_makes_a_new_version_and_old_scores_keep_theirs(db, tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "test.toml").write_text(SMALL_RUBRIC, encoding="utf-8")
    rubrics.import_dir(library)
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.slug == "test"))
    qa = make_user(roles=("qa",))
    score = submitted_score(make_chat(make_user()), rubric, qa)
    (library / "test.toml").write_text(SMALL_RUBRIC.replace("weight = 4", "weight = 6"), encoding="utf-8")
    report = rubrics.import_dir(library)
    assert report.updated == ["test"]
    assert rubric.current.number == 2
    assert score.rubric_version.number == 1


def test_invalid_file_is_rejected_naming_file_and_field_and_nothing_is_written(db, tmp_path):
    library = _copy_library(tmp_path)
    (library / "zz-bad.toml").write_text(
        SMALL_RUBRIC.replace('scale = "1-5"', 'scale = "1-10"'), encoding="utf-8"
    )
    with pytest.raises(rubrics.RubricError) as caught:
        rubrics.import_dir(library)
    assert caught.value.filename == "zz-bad.toml" and "scale" in caught.value.where
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rubric)) == 0


def test_points_scale_requires_max_points():
    text = SMALL_RUBRIC.replace("max_points = 4\n", "")
    with pytest.raises(rubrics.RubricError) as caught:
        rubrics.parse(text, "x.toml")
    assert caught.value.where.endswith("max_points")


def test_unknown_automatic_check_is_rejected():
    text = SMALL_RUBRIC.replace('auto_check = "greeting"', 'auto_check = "mind_reading"')
    with pytest.raises(rubrics.RubricError) as caught:
        rubrics.parse(text, "x.toml")
    assert caught.value.where.endswith("auto_check")


def test_duplicate_criterion_keys_are_rejected():
    text = SMALL_RUBRIC.replace('key = "answer"', 'key = "greeting"')
    with pytest.raises(rubrics.RubricError) as caught:
        rubrics.parse(text, "x.toml")
    assert "duplicate" in caught.value.message


def test_cli_import_exits_0_and_reports_counts(runner, tmp_path):
    result = runner.invoke(args=["rubrics", "import", str(_copy_library(tmp_path))])
    assert result.exit_code == 0
    assert "created 3" in result.output


def test_cli_import_exits_1_with_the_file_on_stderr(runner, db, tmp_path):
    library = tmp_path / "bad"
    library.mkdir()
    (library / "broken.toml").write_text("title = [", encoding="utf-8")
    result = runner.invoke(args=["rubrics", "import", str(library)])
    assert result.exit_code == 1
    assert "broken.toml" in result.stderr
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rubric)) == 0


def test_cli_usage_error_exits_2(runner):
    assert runner.invoke(args=["rubrics", "import", "--nope"]).exit_code == 2


def test_editing_in_the_ui_adds_an_audited_version(db):
    qa = make_user(roles=("qa",))
    rubric, first = rubrics.save_from_ui(qa, "ui-made", SMALL_RUBRIC)
    _, second = rubrics.save_from_ui(qa, "ui-made", SMALL_RUBRIC.replace("Greeting", "Hello"))
    assert (first.number, second.number) == (1, 2)
    assert rubric.current.criteria[0].title_en == "Hello"
    from qa_app.audit.services import history

    assert [e.action for e in history("Rubric", rubric.id)] == ["rubric.version_added"] * 2


def test_saving_identical_content_makes_no_version(db):
    rubrics.save_from_ui(None, "same", SMALL_RUBRIC)
    _, version = rubrics.save_from_ui(None, "same", SMALL_RUBRIC)
    assert version is None


DEEPLY_NESTED = "title = " + "[" * 10_000 + "]" * 10_000 + "\n"  # within the editor's size limit


def test_deeply_nested_toml_is_rejected_naming_the_file():
    with pytest.raises(rubrics.RubricError, match="nested too deeply") as raised:
        rubrics.parse(DEEPLY_NESTED, "deep.toml")
    assert raised.value.filename == "deep.toml"


def test_cli_import_of_deeply_nested_toml_exits_1_naming_the_file(runner, db, tmp_path):
    library = tmp_path / "deep"
    library.mkdir()
    (library / "deep.toml").write_text(DEEPLY_NESTED, encoding="utf-8")
    result = runner.invoke(args=["rubrics", "import", str(library)])
    assert result.exit_code == 1
    assert "deep.toml" in result.stderr and "nested too deeply" in result.stderr
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rubric)) == 0


def test_deeply_nested_toml_in_the_editor_is_refused_with_a_message(client, login_as, db, rubric):
    login_as("qa")
    response = client.post(f"/qa/rubrics/{rubric.id}/edit", data={"slug": "test", "toml": DEEPLY_NESTED})
    assert response.status_code == 200
    assert b"nested too deeply" in response.data
    assert len(rubric.versions) == 1

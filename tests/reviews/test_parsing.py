import pytest

from qa_app.reviews.parsing import UnreadableFile, read_file

from .factories import HEADER, write_csv


def test_word_ratings_become_stars(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,好评,,,好", "b,,,,中评,,,一般", "c,,,,差评,,,差")
    assert [row.rating for row in read_file(path).rows] == [5, 3, 1]


def test_missing_required_text_names_file_line_and_field(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,好", "b,,,,5,,,")
    assert [str(p) for p in read_file(path).problems] == ["r.csv:3:text: required, but empty"]


def test_rating_out_of_range_is_a_problem(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,6,,,好")
    assert read_file(path).problems[0].field == "rating"


def test_service_rating_does_not_accept_words(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,好评,,好")
    assert read_file(path).problems[0].field == "service_rating"


def test_unparseable_date_is_a_problem(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,yesterday,5,,,好")
    assert read_file(path).problems[0].field == "created_at"


def test_missing_id_column_rejects_the_file(tmp_path):
    path = write_csv(tmp_path / "r.csv", "好", header="text\n")
    with pytest.raises(UnreadableFile, match="r.csv:1:id"):
        read_file(path)


def test_bom_is_ignored(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "a,,,,5,,,好\n").encode())
    assert read_file(path).rows[0].external_id == "a"


def test_gbk_file_reads_with_gbk_encoding(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,客服很耐心", encoding="gbk")
    assert read_file(path, encoding="gbk").rows[0].text == "客服很耐心"


def test_gbk_file_read_as_utf8_suggests_the_encoding(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,5,,,客服很耐心", encoding="gbk")
    with pytest.raises(UnreadableFile, match="--encoding gbk"):
        read_file(path)


def test_json_lines_use_the_same_fields(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"id": 7, "text": "好", "rating": "好评", "shop": "jd"}\n\n{"id": "8"}\n', encoding="utf-8"
    )
    parsed = read_file(path)
    assert [(r.external_id, r.rating, r.shop) for r in parsed.rows] == [("7", 5, "jd")]
    assert [str(p) for p in parsed.problems] == ["r.jsonl:3:text: required, but empty"]


def test_broken_json_line_is_named(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "1", "text": "好"}\n{"id": \n', encoding="utf-8")
    assert read_file(path).problems[0].field == "json"


def test_line_numbers_count_quoted_newlines(tmp_path):
    path = write_csv(tmp_path / "r.csv", 'a,,,,5,,,"第一行\n第二行"', "b,,,,9,,,好")
    assert read_file(path).problems[0].line == 4


def test_shop_defaults_when_absent(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,,,,,,,好")
    assert read_file(path).rows[0].shop == "default"

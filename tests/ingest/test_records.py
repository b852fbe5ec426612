"""Records from lines, and what an import reports (qa_app/ingest/records.py, problems.py)."""

import pickle

from qa_app.ingest import (
    CsvRows,
    ImportRejected,
    ImportSummary,
    LimitExceeded,
    Problem,
    RejectsFile,
    jsonl_records,
)


def test_json_lines_come_with_their_line_numbers_and_blank_lines_skipped():
    lines = ['{"id": 1}\n', "\n", "  \n", '{"id": 2}\n']
    assert list(jsonl_records(lines)) == [(1, {"id": 1}), (4, {"id": 2})]


def test_bad_json_is_a_problem_naming_its_line():
    [(line, problem)] = list(jsonl_records(['{"id": \n']))
    assert (line, problem.line, problem.field) == (1, 1, "json")
    assert problem.message.startswith("bad JSON")


def test_a_json_line_that_is_not_an_object_is_a_problem():
    [(_, problem)] = list(jsonl_records(["[1, 2]\n"]))
    assert problem.message == "each line must hold one JSON object"


def test_deeply_nested_json_is_a_problem_not_a_crash():
    [(_, problem)] = list(jsonl_records(["[" * 100000 + "\n"]))
    assert problem.field == "json"


def test_csv_header_names_are_normalised():
    rows = CsvRows(["\ufeff ID , Text\n", "1,好\n"])
    assert rows.header == ["id", "text"]


def test_csv_rows_start_on_their_first_line_and_blank_rows_are_skipped():
    rows = CsvRows(["id,text\n", '1,"two\n', 'lines"\n', ",\n", "2,b\n"])
    assert list(rows) == [(2, ["1", "two\nlines"]), (5, ["2", "b"])]


def test_an_empty_csv_has_no_header():
    assert CsvRows([]).header is None


def test_broken_csv_ends_with_a_problem():
    rows = list(CsvRows(["id,text\n", "1," + "x" * 200_000 + "\n", "2,b\n"]))  # over csv's field limit
    assert len(rows) == 1 and isinstance(rows[0][1], Problem) and rows[0][1].field == "csv"


def test_a_problem_reads_file_line_field_message():
    problem = Problem("r.csv", 3, "text", "required, but empty")
    assert str(problem) == "r.csv:3:text: required, but empty"
    assert problem.render(spaced=True) == "r.csv:3: text: required, but empty"


def test_a_rejection_lists_its_problems_and_counts_the_rest():
    problems = [Problem("r.csv", n, "id", "missing") for n in range(2, 5)]
    error = ImportRejected(problems, more=7)
    assert error.describe(2).splitlines() == [
        "r.csv:2:id: missing",
        "r.csv:3:id: missing",
        "... and 8 more problems",
    ]
    assert (error.lines, error.reject, error.filename) == (3, problems[0], "r.csv")


def test_the_summary_line_is_the_command_contract():
    summary = ImportSummary(imported=3, skipped=1, rejected=2)
    assert summary.summary() == "imported 3, skipped 1 (already present), rejected 2"


def test_summaries_add_up():
    total = ImportSummary(imported=1)
    total.add(ImportSummary(imported=2, skipped=1, rejected=1, problems=[Problem("a", 1, "id", "x")]))
    assert (total.imported, total.skipped, total.rejected, len(total.problems)) == (3, 1, 1, 1)


def test_the_rejects_file_lists_each_problem(tmp_path):
    rejects = RejectsFile(tmp_path / "r.csv.rejects.csv")
    rejects.add(Problem("r.csv", 2, "text", "required, but empty"))
    rejects.close()
    assert (tmp_path / "r.csv.rejects.csv").read_text(encoding="utf-8").splitlines() == [
        "line,field,message",
        '2,text,"required, but empty"',
    ]


def test_an_empty_rejects_file_is_removed(tmp_path):
    RejectsFile(tmp_path / "r.csv.rejects.csv").close()
    assert not (tmp_path / "r.csv.rejects.csv").exists()


def test_a_limit_crosses_a_process_boundary_intact():
    error = pickle.loads(pickle.dumps(LimitExceeded("IMPORT_MAX_BYTES", 1 << 30, 7, "a.jsonl.gz")))
    assert str(error) == (
        "a.jsonl.gz:7: the file is larger than the import limit of 1 GiB once decompressed (IMPORT_MAX_BYTES)"
    )

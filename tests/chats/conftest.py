import pytest

from qa_app.chats.importer import import_file

from .factories import write_jsonl


@pytest.fixture
def import_records(db, tmp_path):
    """`import_records([record, ...], **options)` writes a .jsonl file and imports it."""
    counter = iter(range(1, 10_000))

    def run(records, **options):
        path = write_jsonl(tmp_path / f"chats-{next(counter)}.jsonl", records)
        return import_file(path, **options)

    return run

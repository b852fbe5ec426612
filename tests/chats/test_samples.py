"""The real dialogue samples in ../shared/data/chats, converted to the import format."""

import sqlalchemy as sa

from qa_app.chats.models import Chat, CheckResult
from qa_app.extensions import db as _db

from .factories import ecd_records, twcs_first_response_seconds, twcs_records


def results_of(check: str) -> dict[str, str]:
    rows = _db.session.execute(
        sa.select(Chat.external_id, CheckResult.result).join(CheckResult).where(CheckResult.check == check)
    )
    return dict(rows.all())


def test_all_taobao_dialogues_import(import_records):
    records = ecd_records()
    assert import_records(records).imported == len(records) == 177


def test_taobao_dialogues_without_times_make_time_checks_not_measurable(import_records):
    import_records(ecd_records())
    assert set(results_of("first_response_time").values()) == {"not_measurable"}
    assert set(results_of("average_response_time").values()) == {"not_measurable"}


def test_taobao_dialogues_still_get_text_checks_with_evidence(import_records):
    import_records(ecd_records())
    greeting = _db.session.scalars(sa.select(CheckResult).where(CheckResult.check == "greeting")).all()
    assert {"pass", "fail"} <= {r.result for r in greeting}
    assert all(r.evidence and r.evidence_position is not None for r in greeting)


def test_twitter_threads_first_response_matches_the_measured_seconds(import_records):
    import_records(twcs_records())
    measured = twcs_first_response_seconds()
    stored = dict(_db.session.execute(sa.select(Chat.external_id, Chat.first_response_seconds)).all())
    assert stored == measured


def test_twitter_threads_over_five_minutes_fail_first_response(import_records):
    import_records(twcs_records())
    results = results_of("first_response_time")
    for chat_id, seconds in twcs_first_response_seconds().items():
        assert results[chat_id] == ("pass" if seconds <= 300 else "fail")


def test_sample_transcripts_render(client, login_as, import_records):
    import_records(ecd_records(limit=3) + twcs_records()[:3])
    login_as("qa")
    for chat_id in _db.session.scalars(sa.select(Chat.id)).all():
        response = client.get(f"/chats/{chat_id}")
        assert response.status_code == 200 and b"bubble agent" in response.data

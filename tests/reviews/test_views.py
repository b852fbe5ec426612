import io

import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.jobs.models import Job
from qa_app.reviews.models import Review

from ..factories import make_user
from .factories import HEADER, make_review


def test_agent_sees_only_reviews_attributed_to_them(client, auth, org):
    make_review(org.shop, org.mei, text="客服小美很耐心")
    make_review(org.shop, org.xue, text="客服小雪回复太慢")
    auth.login_user(org.mei)
    page = client.get("/reviews/mine").get_data(as_text=True)
    assert "小美很耐心" in page and "小雪回复太慢" not in page


def test_agent_cannot_open_someone_elses_review(client, auth, org):
    review = make_review(org.shop, org.xue)
    auth.login_user(org.mei)
    assert client.get(f"/reviews/{review.id}").status_code == 404


def test_agent_cannot_open_the_staff_list(client, auth, org):
    auth.login_user(org.mei)
    assert client.get("/reviews").status_code == 403


def test_lead_sees_their_team_and_unattributed_reviews_only(client, auth, org):
    make_review(org.shop, org.mei, text="团队内的评价")
    make_review(org.shop, org.xue, text="别的团队的评价")
    make_review(org.shop, None, text="没人认领的评价")
    auth.login_user(org.lead)
    page = client.get("/reviews").get_data(as_text=True)
    assert "团队内的评价" in page and "没人认领的评价" in page and "别的团队的评价" not in page


def test_lead_cannot_open_another_teams_review(client, auth, org):
    review = make_review(org.shop, org.xue)
    auth.login_user(org.lead)
    assert client.get(f"/reviews/{review.id}").status_code == 404


def test_filters_narrow_the_list(client, auth, org):
    make_review(org.shop, org.mei, text="夸奖的评价", service_polarity="praise")
    make_review(org.shop, org.mei, text="批评的评价", service_polarity="criticism")
    auth.login_user(org.lead)
    page = client.get("/reviews?polarity=criticism").get_data(as_text=True)
    assert "批评的评价" in page and "夸奖的评价" not in page


def test_bad_filter_values_do_not_break_the_list(client, auth, org):
    auth.login_user(org.lead)
    response = client.get("/reviews?agent=x&rating=99&since=not-a-date&polarity=<b>&page=-3")
    assert response.status_code == 200


def test_evidence_is_marked_and_the_text_escaped(client, auth, org):
    review = make_review(org.shop, org.mei, text="<script>x</script>客服很耐心", evidence="客服很耐心")
    auth.login_user(org.lead)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "<mark>客服很耐心</mark>" in page and "<script>x</script>" not in page


def test_csv_export_quotes_formula_cells(client, auth, org):
    make_review(org.shop, org.mei, text="=1+1 客服很耐心", external_id="@id")
    auth.login_user(org.lead)
    body = client.get("/reviews/export.csv").get_data(as_text=True)
    assert "'=1+1" in body and "'@id" in body


def test_csv_export_follows_the_filters(client, auth, org):
    make_review(org.shop, org.mei, text="夸奖的评价", service_polarity="praise")
    make_review(org.shop, org.mei, text="批评的评价", service_polarity="criticism")
    auth.login_user(org.lead)
    body = client.get("/reviews/export.csv?polarity=praise").get_data(as_text=True)
    assert "夸奖的评价" in body and "批评的评价" not in body


def test_lead_attributes_from_the_queue(client, auth, org):
    review = make_review(org.shop, None, text="没人认领的评价")
    auth.login_user(org.lead)
    response = client.post(
        f"/reviews/{review.id}/attribution",
        data={"a-agent_id": org.mei.id, "a-reason": "电话里的客户", "next": "queue"},
    )
    assert response.headers["Location"].endswith("/reviews/unattributed")
    db.session.refresh(review)
    assert (review.agent_id, review.attribution_route) == (org.mei.id, "manual")


def test_lead_corrects_a_classification(client, auth, org):
    review = make_review(org.shop, org.mei)
    auth.login_user(org.lead)
    client.post(
        f"/reviews/{review.id}/classification",
        data={"sentiment": "negative", "service_polarity": "criticism", "evidence": "", "reason": "反讽"},
    )
    db.session.refresh(review)
    assert review.corrected and review.service_polarity == "criticism"


def test_correction_without_reason_changes_nothing(client, auth, org):
    review = make_review(org.shop, org.mei)
    auth.login_user(org.lead)
    client.post(
        f"/reviews/{review.id}/classification",
        data={"sentiment": "negative", "service_polarity": "criticism", "reason": ""},
    )
    db.session.refresh(review)
    assert not review.corrected


def test_agent_cannot_correct(client, auth, org):
    review = make_review(org.shop, org.mei)
    auth.login_user(org.mei)
    response = client.post(
        f"/reviews/{review.id}/classification",
        data={"sentiment": "negative", "service_polarity": "criticism", "reason": "x"},
    )
    assert response.status_code == 403


def test_upload_runs_an_import_job_and_shows_its_progress(client, login_as, db):
    login_as("qa")
    data = {"file": (io.BytesIO((HEADER + "a,,,,5,,,好\n").encode()), "r.csv"), "encoding": "utf-8"}
    response = client.post("/reviews/import", data=data, content_type="multipart/form-data")
    job = db.session.scalar(sa.select(Job))
    assert response.headers["Location"].endswith(f"/jobs/{job.id}")
    assert (job.status, job.result["imported"]) == ("done", 1)


def test_upload_of_a_bad_file_fails_the_job_with_the_line(client, login_as, db):
    login_as("lead")
    data = {"file": (io.BytesIO((HEADER + "a,,,,9,,,好\n").encode()), "r.csv")}
    client.post("/reviews/import", data=data, content_type="multipart/form-data")
    job = db.session.scalar(sa.select(Job))
    assert job.status == "failed" and "r.csv:2:rating" in job.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_upload_without_a_file_shows_the_form_again(client, login_as, db):
    login_as("qa")
    assert client.post("/reviews/import", data={}).status_code == 200


def test_agent_cannot_upload(client, login_as, db):
    login_as("agent")
    assert client.get("/reviews/import").status_code == 403


def test_home_shows_the_lead_how_many_reviews_wait(client, auth, org):
    make_review(org.shop, None)
    auth.login_user(org.lead)
    assert "/reviews/unattributed" in client.get("/").get_data(as_text=True)


def test_home_shows_the_agent_what_customers_said(client, auth, org):
    make_review(org.shop, org.mei, text="客服小美很耐心", evidence="小美很耐心")
    auth.login_user(org.mei)
    assert "小美很耐心" in client.get("/").get_data(as_text=True)


def test_queue_and_empty_states_render(client, auth, org):
    auth.login_user(make_user(roles=("lead",)))
    assert client.get("/reviews/unattributed").status_code == 200
    assert client.get("/reviews").status_code == 200


def test_review_page_links_to_the_chats_of_its_order(client, auth, org):
    from .factories import make_order_chat

    chat = make_order_chat(org.shop, "T77", {"小美": (org.mei, 3)})
    review = make_review(org.shop, org.mei, order_id="T77")
    auth.login_user(org.lead)
    assert f"/chats/{chat.id}" in client.get(f"/reviews/{review.id}").get_data(as_text=True)


def test_unknown_review_is_404(client, login_as, db):
    login_as("qa")
    assert client.get("/reviews/999999").status_code == 404

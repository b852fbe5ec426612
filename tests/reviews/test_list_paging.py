"""The review list counts matches only up to a cap: pages still work, newest first, and the total
says "more than" once the cap is passed (an exact count of a lead's ~100,000 reviews cost more
than the page)."""

from datetime import UTC, datetime, timedelta

from qa_app.reviews import services

from .factories import make_review

START = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def _reviews(org, count, agent=None):
    return [
        make_review(org.shop, agent, text=f"评价{i:02d}号", created_at=START + timedelta(hours=i))
        for i in range(count)
    ]


def test_count_stops_at_the_cap_and_says_there_are_more(db, org):
    _reviews(org, 7)
    page = services.page_of(services.find_reviews(org.lead, services.ReviewFilters()), 1, 2, cap=4)
    assert (page.total, page.capped, page.has_next) == (4, True, True)
    assert [r.text for r in page.items] == ["评价06号", "评价05号"]


def test_count_below_the_cap_is_exact(db, org):
    _reviews(org, 3)
    page = services.page_of(services.find_reviews(org.lead, services.ReviewFilters()), 2, 2, cap=4)
    assert (page.total, page.capped, page.pages, page.has_next) == (3, False, 2, False)
    assert [r.text for r in page.items] == ["评价00号"]


def test_pages_past_the_cap_are_reachable(db, org):
    _reviews(org, 7)
    page = services.page_of(services.find_reviews(org.lead, services.ReviewFilters()), 3, 2, cap=4)
    assert [r.text for r in page.items] == ["评价02号", "评价01号"]
    assert page.has_next


def test_lead_list_keeps_team_and_unattributed_reviews_in_date_order(db, org):
    mine = make_review(org.shop, org.mei, text="团队", created_at=START + timedelta(hours=2))
    nobody = make_review(org.shop, None, text="无人", created_at=START + timedelta(hours=1))
    make_review(org.shop, org.xue, text="别队", created_at=START + timedelta(hours=3))
    page = services.page_of(services.find_reviews(org.lead, services.ReviewFilters()), 1, 25)
    assert page.items == [mine, nobody]


def test_list_page_says_more_than_the_cap(client, auth, org, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 3)
    client.application.config["PER_PAGE"], per_page = 2, client.application.config["PER_PAGE"]
    try:
        _reviews(org, 5)
        auth.login_user(org.lead)
        first = client.get("/reviews").get_data(as_text=True)
        second = client.get("/reviews?page=2").get_data(as_text=True)
    finally:
        client.application.config["PER_PAGE"] = per_page
    assert "more than 3 reviews" in first and "page=2" in first
    assert "评价04号" in first and "评价02号" in second and "评价04号" not in second


def test_lead_panel_caps_the_unattributed_count(client, auth, org, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 2)
    _reviews(org, 4)
    assert services.unattributed_count(org.lead) == 3
    auth.login_user(org.lead)
    assert "More than 2 reviews wait for their agent" in client.get("/").get_data(as_text=True)


def test_export_streams_every_review_in_list_order_across_chunks(db, org):
    from qa_app.reviews.export import iter_csv

    _reviews(org, 5)
    stmt = services.with_related(services.find_reviews(org.lead, services.ReviewFilters()))
    pieces = list(iter_csv(stmt, chunk=2))
    lines = "".join(pieces).splitlines()[1:]
    assert len(pieces) == 3
    assert [line.split(",")[-1] for line in lines] == [f"评价{i:02d}号" for i in range(4, -1, -1)]

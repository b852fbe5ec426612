"""The lead's home panel lists only confirmed reviews that criticise the team's service."""

from .factories import make_review


def _panel(client, auth, lead) -> str:
    auth.login_user(lead)
    page = client.get("/").get_data(as_text=True)
    return page.split("Latest criticism of your team", 1)[1]


def test_latest_criticism_lists_a_confirmed_criticism(client, auth, org):
    make_review(
        org.shop,
        org.mei,
        text="客服回复太慢",
        sentiment="negative",
        service_polarity="criticism",
        evidence="回复太慢",
    )
    assert "回复太慢" in _panel(client, auth, org.lead)


def test_latest_criticism_never_lists_praise(client, auth, org):
    make_review(org.shop, org.mei, text="客服很耐心", evidence="客服很耐心")
    assert "客服很耐心" not in _panel(client, auth, org.lead)


def test_latest_criticism_leaves_out_a_mostly_positive_mixed_review(client, auth, org):
    make_review(
        org.shop,
        org.mei,
        text="客服热情，就是发货慢",
        sentiment="positive",
        service_polarity="mixed",
        evidence="客服热情",
    )
    assert "客服热情" not in _panel(client, auth, org.lead)


def test_latest_criticism_waits_for_confirmation(client, auth, org):
    make_review(
        org.shop,
        org.mei,
        text="客服态度不好",
        sentiment="negative",
        service_polarity="criticism",
        evidence="态度不好",
        needs_confirmation=True,
    )
    assert "态度不好" not in _panel(client, auth, org.lead)

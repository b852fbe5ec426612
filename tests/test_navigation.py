"""The top bar: pages grouped into menus by area so no role gets a two-line bar."""

import re

from qa_app.ui.nav import NAV_ITEMS, NavItem, NavMenu, menus


def _top_level(page: str) -> list[str]:
    nav = page.split('<nav class="mainnav"')[1].split("</nav>")[0]
    nav = re.sub(r"<ul>.*?</ul>", "", nav, flags=re.S)
    return re.findall(r"<summary[^>]*>([^<]+)</summary>|<a [^>]*>([^<]+)</a>", nav)


def test_admin_sees_a_handful_of_menus_instead_of_every_page(client, login_as, db):
    login_as("admin")
    page = client.get("/").get_data(as_text=True)
    assert 0 < len(_top_level(page)) <= 6
    assert page.count('<details class="navmenu">') >= 4


def test_every_page_the_admin_may_open_is_still_in_the_bar(client, login_as, db):
    admin = login_as("admin")
    page = client.get("/").get_data(as_text=True)
    for item in NAV_ITEMS:
        if item.visible_to(admin):
            assert _url(client, item) in page


def _url(client, item: NavItem) -> str:
    from flask import url_for

    with client.application.test_request_context():
        return f'href="{url_for(item.endpoint)}"'


def test_an_area_with_one_page_stays_a_plain_link():
    single = NavItem("Courses", "training.my_courses", ("agent",), order=10)
    assert menus([single]) == [single]


def test_pages_of_one_area_form_one_menu_in_their_order():
    first = NavItem("Chats", "chats.index", ("qa",), order=40)
    second = NavItem("Reviews", "reviews.index", ("qa",), order=41)
    [menu] = menus([first, second])
    assert isinstance(menu, NavMenu) and menu.items == (first, second)


def test_admin_only_pages_of_any_domain_form_the_administration_menu():
    users = NavItem("Users", "accounts.users", ("admin",), order=90)
    settings = NavItem("Settings", "evaluations.settings", ("admin",), order=93)
    [menu] = menus([users, settings])
    assert menu.key == "admin"


def test_agent_menu_is_plain_links(client, login_as, db):
    login_as("agent")
    page = client.get("/").get_data(as_text=True)
    assert "<details" not in page.split('<nav class="mainnav"')[1].split("</nav>")[0]


def test_menu_of_the_current_page_is_marked(client, login_as, db):
    login_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert re.search(
        r'<summary class="current">[^<]*</summary>\s*<ul>(?:(?!</ul>).)*/admin/users"', page, re.S
    )


def test_the_menu_labels_are_translated_in_chinese(client, login_as, db):
    login_as("admin", locale="zh_CN")
    page = client.get("/").get_data(as_text=True)
    summaries = re.findall(r"<summary[^>]*>([^<]+)</summary>", page)
    assert summaries and all(not re.search(r"[A-Za-z]", s) for s in summaries)


def test_pages_have_a_favicon(client, login_as, db):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page
    assert client.get("/static/ui/favicon.svg").status_code == 200

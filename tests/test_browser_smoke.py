"""The front page and the admin login in a real browser."""

import pytest

from .browser import admin_login
from .factories import make_article, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_reader_sees_a_story_and_an_editor_logs_in(live_server, page, screenshots):
    make_article("石景山区总工会举办集体协商竞赛", unions=[make_union("石景山区总工会")])
    make_user("editor1", group="编辑")

    page.goto(live_server.url + "/")
    assert page.locator("h2", has_text="石景山区总工会举办集体协商竞赛").is_visible()
    screenshots.take(page, "front-page")

    page.click("text=石景山区总工会举办集体协商竞赛")
    assert page.locator("h1.story__title").inner_text() == "石景山区总工会举办集体协商竞赛"
    screenshots.take(page, "article")

    admin_login(page, live_server, "editor1")
    assert page.locator("#site-name").inner_text() == "工会新闻 · 编辑部"
    screenshots.take(page, "admin-index")

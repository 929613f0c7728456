"""The whole newsroom round in headless Chromium: write, submit, return, fix, resubmit, publish, read."""

import pytest

from articles.models import Article

from .browser import admin_login
from .factories import make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


TITLE = "奥运村街道总工会开展职工急救技能培训"


def pick_autocomplete(page, row, text):
    """Open the select2 box in `row`, type `text`, choose the first match."""
    page.locator(f"#{row} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def log_in_as(page, live_server, username):
    page.context.clear_cookies()
    admin_login(page, live_server, username)


def test_a_story_goes_from_reporter_to_editor_to_reader(live_server, page, screenshots):
    chaoyang = make_union("朝阳区总工会", slug="chaoyang")
    street = make_union("奥运村街道总工会", slug="aoyuncun", parent=chaoyang)
    reporter_user = make_user("zhangjing", group="记者", first_name="张晶")
    make_reporter("张晶", user=reporter_user, slug="zhang-jing")
    make_user("chensiyuan", group="编辑", first_name="陈思远")
    make_photo(caption="职工练习心肺复苏", alt_text="职工练习心肺复苏")

    # The reporter writes the story with a union body and a photo, and saves it.
    log_in_as(page, live_server, "zhangjing")
    screenshots.take(page, "reporter-admin-index")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_kicker", "提升应急处置能力")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "近日，奥运村街道总工会联合红十字会开展急救技能培训。")
    editor_body = page.frame_locator("#cke_id_body iframe").locator("body")
    editor_body.click()
    editor_body.type("培训讲解了心肺复苏和海姆立克急救法。")
    pick_autocomplete(page, "union_links-0", "奥运村街道总工会")
    pick_autocomplete(page, "bylines-0", "张晶")
    page.locator("#photo_links-group .add-row a").click()
    pick_autocomplete(page, "photo_links-0", "职工练习心肺复苏")
    page.check("#id_photo_links-0-is_lead")
    screenshots.take(page, "reporter-writes")
    page.click("input[name=_continue]")
    page.wait_for_selector(".workflow-button--submit")
    story = Article.objects.get(title=TITLE)
    assert list(story.union_bodies.all()) == [street]
    assert story.photos.get().caption == "职工练习心肺复苏"
    assert "海姆立克" in story.body

    # ... and submits it.
    page.click(".workflow-button--submit")
    page.wait_for_selector(".messagelist .success")
    screenshots.take(page, "reporter-submitted")
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW

    # The editor finds it at the top of the desk and returns it with a reason.
    log_in_as(page, live_server, "chensiyuan")
    assert "待审稿件" in page.locator(".desk-summary").inner_text()
    screenshots.take(page, "editor-admin-index")
    page.click(".desk-summary__big")
    screenshots.take(page, "editor-desk")
    page.click(f".desk__queue a:text('{TITLE}')")
    page.fill("#wf-return-reason", "请补充参加培训的职工人数。")
    screenshots.take(page, "editor-returns")
    page.click(".workflow-button--return")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    # The reporter sees the reason on the desk, fixes the story and resubmits it.
    log_in_as(page, live_server, "zhangjing")
    page.click(".desk-summary__big")
    returned = page.locator(".desk__returned")
    assert "请补充参加培训的职工人数。" in returned.inner_text()
    screenshots.take(page, "reporter-sees-reason")
    returned.locator("a", has_text=TITLE).click()
    assert "请补充参加培训的职工人数。" in page.locator(".workflow-panel__returned").inner_text()
    page.fill("#id_lead", "近日，奥运村街道总工会联合红十字会开展急救技能培训，60名职工参加。")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.click(".workflow-button--submit")
    page.wait_for_selector(".messagelist .success")
    screenshots.take(page, "reporter-resubmitted")
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW and "60名职工" in story.lead

    # The editor publishes it.
    log_in_as(page, live_server, "chensiyuan")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.click(".workflow-button--publish")
    page.wait_for_selector(".messagelist .success")
    screenshots.take(page, "editor-published")
    story.refresh_from_db()
    assert story.is_published()
    assert [e.action for e in story.events.all()] == [
        "created", "submitted", "returned", "submitted", "published"]

    # An anonymous reader finds it on the front page and on the union body's pages.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    assert page.locator("h2", has_text=TITLE).is_visible()
    screenshots.take(page, "reader-front-page")
    page.goto(f"{live_server.url}/unions/aoyuncun/")
    assert page.get_by_text(TITLE).first.is_visible()
    page.goto(f"{live_server.url}/unions/chaoyang/")  # the parent body includes it too
    assert page.get_by_text(TITLE).first.is_visible()
    screenshots.take(page, "reader-union-page")

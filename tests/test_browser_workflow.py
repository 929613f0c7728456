"""The whole newsroom round in headless Chromium: write, submit, return, fix, resubmit, publish, read,
then correct, compare two versions and restore one; and the comment panel and a share link."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article, ShareLink
from articles.services import revisions

from .browser import log_in_as, pick_autocomplete
from .factories import make_photo, make_reporter, make_union, make_user
from .newsroom import walk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


TITLE = "奥运村街道总工会开展职工急救技能培训"


def test_a_story_goes_from_reporter_to_editor_to_reader(live_server, page, screenshots):
    chaoyang = make_union("朝阳区总工会", slug="chaoyang")
    street = make_union("奥运村街道总工会", slug="aoyuncun", parent=chaoyang)
    reporter_user = make_user("zhangjing", group="记者", first_name="张晶", email="zhangjing@example.org")
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
    page.click("input[name=_save]")
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
    # The reporter reads the reason in her mail (the live server runs in this process).
    returned_mail = [m for m in mail.outbox if m.subject.startswith("【退回】")]
    assert [m.to for m in returned_mail] == [["zhangjing@example.org"]]
    assert "请补充参加培训的职工人数。" in returned_mail[0].body
    assert f"/admin/articles/article/{story.pk}/change/" in returned_mail[0].body

    # The reporter sees the reason on the desk, fixes the story and resubmits it.
    log_in_as(page, live_server, "zhangjing")
    page.click(".desk-summary__big")
    returned = page.locator(".desk__returned")
    assert "请补充参加培训的职工人数。" in returned.inner_text()
    screenshots.take(page, "reporter-sees-reason")
    returned.locator("a", has_text=TITLE).click()
    assert "请补充参加培训的职工人数。" in page.locator(".workflow-panel__returned").inner_text()
    page.fill("#id_lead", "近日，奥运村街道总工会联合红十字会开展急救技能培训，60名职工参加。")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.click(".workflow-button--submit")
    page.wait_for_selector(".messagelist .success")
    screenshots.take(page, "reporter-resubmitted")
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW and "60名职工" in story.lead

    # 初审 and 复审 pass it (tests/test_browser_review.py walks them in the browser);
    # the editor signs it off at 终审 with an opinion.
    walk(story)
    log_in_as(page, live_server, "chensiyuan")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.fill("#wf-publish-reason", "同意签发。")
    page.click(".workflow-button--publish")
    page.wait_for_selector(".messagelist .success")
    screenshots.take(page, "editor-published")
    story.refresh_from_db()
    assert story.is_published()
    assert [e.action for e in story.events.all()] == [
        "created", "submitted", "returned", "submitted", "passed", "passed", "published"]

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

    # The editor corrects the lead, then compares the two versions and restores the earlier one.
    log_in_as(page, live_server, "chensiyuan")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.fill("#id_lead", "近日，奥运村街道总工会开展急救技能培训，600名职工参加。")
    page.fill("#id_change_note", "核对人数")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert any(m.subject.startswith("【更正】") and m.to == ["zhangjing@example.org"] for m in mail.outbox)
    page.click("text=历史版本")
    page.click(".revisions__compare")  # the two newest are picked by default
    page.wait_for_selector(".compare__table")
    assert "600" in page.locator(".compare__new").nth(6).inner_text()
    assert page.locator(".compare__row--changed").count() == 1
    screenshots.take(page, "editor-compares-versions")
    page.fill("#restore-note", "人数应为60名，恢复上一版")
    page.fill("#restore-public-note", "本报此前报道中参训人数有误，应为60名。")
    page.click(".restore-form__submit")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert "60名职工" in story.lead and story.is_published()
    assert story.events.order_by("-id").first().comment.startswith("恢复到第")
    assert revisions.history(story).first().revision.comment.startswith("恢复到第")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/articles/{story.pk}/")
    assert "参训人数有误" in page.locator(".story__corrections").inner_text()
    screenshots.take(page, "reader-sees-correction")


def test_comments_and_a_share_link_for_someone_without_an_account(live_server, page, screenshots):
    body = make_union("石景山区总工会", slug="shijingshan")
    reporter_user = make_user("zhangjing", group="记者", first_name="张晶")
    reporter = make_reporter("张晶", user=reporter_user, slug="zhang-jing")
    make_user("chensiyuan", group="编辑", first_name="陈思远")
    story = Article.objects.create(title="石景山区职工技能大赛开赛", lead="近日，石景山区职工技能大赛开赛。",
                                   body="<p>来自40家企业的职工参赛。</p>", created_by=reporter_user)
    story.union_bodies.add(body)
    story.bylines.create(reporter=reporter, order=0)

    # The reporter leaves a note for the editor beside the story.
    log_in_as(page, live_server, "zhangjing")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.fill("#comment-text", "参赛企业数已和区总工会核实。")
    page.click(".comments__submit")
    page.wait_for_selector(".messagelist .success")

    # The editor answers, and makes a link for the union's contact person.
    log_in_as(page, live_server, "chensiyuan")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.fill("#comment-text", "好的。请区总工会的王老师再看一遍人名。")
    page.click(".comments__submit")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".comment").count() == 2
    page.fill("#share-note", "石景山区总工会 王老师")
    page.click(".share-links__create")
    page.wait_for_selector(".share-link__url")
    page.locator("#comments").scroll_into_view_if_needed()
    screenshots.take(page, "comment-panel-and-share-link")
    url = page.locator(".share-link__url").input_value()
    assert re.search(r"/preview/[^/]+/$", url)

    # Someone without an account opens it: the draft with its banner, not for search engines.
    page.context.clear_cookies()
    response = page.goto(url)
    assert response.status == 200 and response.headers["x-robots-tag"].startswith("noindex")
    assert page.locator(".draft-banner").is_visible()
    assert page.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    assert "石景山区职工技能大赛开赛" in page.locator("h1").inner_text()
    screenshots.take(page, "share-link-page")

    # Revoked, the link opens nothing.
    ShareLink.objects.update(revoked_at=timezone.now())
    assert page.goto(url).status == 404

"""三审三校 in headless Chromium: a reporter submits (acknowledging the 机审 warnings), 初审,
复审 and 终审 each pass it from their desk with an opinion, and the 审稿单 shows every step —
on a 1366-pixel screen, on a 390-pixel phone, and printed."""

import pytest
from django.contrib.auth.models import Group

from articles.models import Article, ListedWord, ReviewerGroup, WordList

from .browser import admin_login
from .factories import make_article, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TITLE = "奥运村街道总工会举办职工运动会"
WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def log_in_as(page, live_server, username):
    page.context.clear_cookies()
    admin_login(page, live_server, username)


def test_three_levels_from_the_desk_to_the_review_slip(live_server, page, screenshots):
    street = make_union("奥运村街道总工会", slug="aoyuncun", kind="street")
    reporter = make_user("zhangjing", group="记者", first_name="张晶")
    profile = make_reporter("张晶", user=reporter, slug="zhang-jing")
    # As the demo: any editor may do 初审; 复审 and 终审 only their own groups.
    ReviewerGroup.objects.filter(level__name__in=["复审", "终审"], group__name="编辑").delete()
    for username, shown, level_group in (("chushen", "初审 李编辑", "初审编辑"),
                                         ("fushen", "复审 赵主任", "复审编辑"),
                                         ("zhongshen", "终审 孙总编", "终审编辑")):
        make_user(username, group="编辑", first_name=shown).groups.add(Group.objects.get(name=level_group))
    words = WordList.objects.create(name="规范用语")
    ListedWord.objects.create(word_list=words, word="做为", level=ListedWord.Level.REPLACE,
                              replacement="作为", reason="“作为”是规范写法")
    story = make_article(
        TITLE, status=Article.Status.DRAFT, created_by=reporter, unions=[street], reporters=[profile],
        lead="近日，奥运村街道总工会举办第三届职工运动会，辖区32家企业的600余名职工参加。",
        body="<p>运动会设拔河、跳绳和趣味接力等项目。做为街道的品牌活动，运动会已连续举办三年。</p>",
    )
    page.set_viewport_size(WIDE)

    # The reporter sees the machine check on her story, acknowledges it and submits.
    log_in_as(page, live_server, "zhangjing")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    checks = page.locator("#checks")
    assert "1 条提示" in checks.inner_text() and "作为" in checks.inner_text()
    assert checks.locator("mark").inner_text() == "做为"
    screenshots.take(page, "reporter-sees-checks")
    page.check(".workflow-form--submit input[name=acknowledged]")
    page.click(".workflow-button--submit")
    page.wait_for_selector(".messagelist .success")
    assert "现在待初审" in page.locator(".messagelist").inner_text()
    story.refresh_from_db()
    assert story.review_level.name == "初审"

    # Each level finds it on the desk, oldest first, and passes it with an opinion.
    for username, level, opinion in (("chushen", "初审", "事实和人数已与街道核实，同意。"),
                                     ("fushen", "复审", "标题准确，篇幅合适，送终审。")):
        log_in_as(page, live_server, username)
        assert "待我审 1 篇" in page.locator(".desk-summary").inner_text()
        page.click(".desk-summary__big")
        mine = page.locator(".desk__queue--mine")
        assert f"待{level}" in mine.inner_text()
        screenshots.take(page, f"{username}-desk")
        mine.locator("a", has_text=TITLE).click()
        assert page.locator(".review-path__level--here strong").inner_text() == level
        page.fill("#wf-pass-reason", opinion)
        if username == "fushen":
            page.set_viewport_size(PHONE)  # the same page on a phone
            screenshots.take(page, "fushen-on-a-phone")
            page.set_viewport_size(WIDE)
        page.click(".workflow-button--pass")
        page.wait_for_selector(".messagelist .success")
        screenshots.take(page, f"{username}-passed")

    # 复审 may not act again: on its page there is nothing for 赵主任 to press.
    assert page.locator(".workflow-button").count() == 0

    # 终审 signs it off, acknowledging the warning again.
    log_in_as(page, live_server, "zhongshen")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    assert [b.inner_text() for b in page.locator(".workflow-button").all()] == [
        "签发，立即发布", "签发，定时发布", "退回复审", "退回记者"]
    page.fill("#wf-publish-reason", "同意签发。")
    page.check(".workflow-form--publish input[name=acknowledged]")
    screenshots.take(page, "zhongshen-signs-off")
    page.click(".workflow-button--publish")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.is_published()

    # The review slip: every step with its reviewer, time and opinion, on screen and phone.
    page.click("text=审稿单")
    sheet = page.locator(".slip__sheet").inner_text()
    for text in ("记者 张晶", "送审（送初审）", "已确认机审提示", "初审通过", "初审 李编辑", "事实和人数已与街道核实，同意。",
                 "复审通过", "复审 赵主任", "终审签发（立即发布）", "终审 孙总编", "同意签发。"):
        assert text in sheet, text
    screenshots.take(page, "slip")
    page.set_viewport_size(PHONE)
    screenshots.take(page, "slip-on-a-phone")
    page.emulate_media(media="print")
    page.set_viewport_size(WIDE)
    assert not page.locator("#header").is_visible() and not page.locator(".slip__tools").is_visible()
    screenshots.take(page, "slip-printed")
    page.emulate_media(media="screen")

    # The reader sees the story.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/articles/{story.pk}/")
    assert TITLE in page.locator("h1").inner_text()

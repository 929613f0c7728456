"""The desk in Chromium as a newsroom uses it all day (issue 15, issue 16 #12), lean: one page
load serves several checks. A reporter files a story with a photo and submits it in one click
(the byline already names her), then reads it formatted while it waits; an editor bulk-submits
imported drafts, bulk-signs-off what waits at 终审, and returns a story with unsaved typing,
which is saved. The list, the story form and the desk fit 1366×768 and 390×844, checked by
element geometry; screenshots in test-artifacts/screenshots/."""

import pytest

from articles.models import Article

from .browser import log_in_as, pick_autocomplete
from .factories import ensure_review_setup, make_article, make_photo, make_reporter, make_union, make_user
from .newsroom import walk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

S = Article.Status
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
TITLE = "北京市总工会举办职工心肺复苏急救技能培训"  # 20 characters
LONG_TITLE = "北京市朝阳区总工会举办二〇二六年职工心肺复苏技能大赛"  # 26 characters

# What sticks out of the viewport or out of a box that clips it (the list's .results scrolls
# sideways when its table is too wide), or scrolls the whole page sideways.
CUT_OFF = """(selector) => {
  const width = document.documentElement.clientWidth;
  const clipper = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return up.getBoundingClientRect();
    }
    return null;
  };
  const cut = [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length)
    .map((el) => [el.tagName + '.' + el.className, el.getBoundingClientRect(), clipper(el)])
    .filter(([, box, clip]) => box.left < -1 || box.right > width + 1
            || (clip && (box.left < clip.left - 1 || box.right > clip.right + 1)))
    .map(([name, box]) => name + ' ' + Math.round(box.left) + '–' + Math.round(box.right));
  return {pageScrolls: document.documentElement.scrollWidth > width, cut};
}"""


def assert_fits(page, selector, what):
    result = page.evaluate(CUT_OFF, selector)
    assert result == {"pageScrolls": False, "cut": []}, what


def test_a_reporter_files_a_story_with_a_photo_and_submits_it_in_one_click(live_server, page, screenshots):
    ensure_review_setup()
    make_union("朝阳区总工会", slug="chaoyang")
    reporter = make_user("zhangjing", group="记者", first_name="张晶")
    profile = make_reporter("张晶", user=reporter, slug="zhang-jing")
    make_photo(caption="职工练习心肺复苏", alt_text="职工练习心肺复苏")
    log_in_as(page, live_server, "zhangjing")

    # The form at a phone's width: every byline field inside the screen, the byline already hers.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert page.locator("#id_bylines-0-reporter").input_value() == str(profile.pk)
    assert_fits(page, "#content input, #content select, #content textarea, #bylines-group td, .submit-row > *",
                "story form at 390 px")
    screenshots.take(page, "phone-new-story")

    # At a laptop's width she writes it, with a union body and a lead photo, and files it in one click.
    page.set_viewport_size(LAPTOP)
    page.fill("#id_title", LONG_TITLE)
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", page.locator("#id_title").element_handle())
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "近日，朝阳区总工会开展急救技能培训。")
    editor = page.frame_locator("#cke_id_body iframe").locator("body")
    editor.click()
    editor.type("培训讲解了心肺复苏。")
    page.keyboard.press("Control+B")
    editor.type("六十名职工参加。")
    pick_autocomplete(page, "union_links-0", "朝阳区总工会")
    page.locator("#photo_links-group .add-row a").click()
    pick_autocomplete(page, "photo_links-0", "职工练习心肺复苏")
    page.check("#id_photo_links-0-is_lead")
    assert_fits(page, "#content input, #content select, .submit-row > *", "story form at 1366 px")
    screenshots.take(page, "laptop-writes")
    page.click("button[name=_then][value=submit]")
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(title=TITLE)
    assert story.status == S.REVIEW and story.review_level.name == "初审"
    assert story.photos.get().caption == "职工练习心肺复苏" and list(story.reporters.all()) == [profile]
    assert "已保存并送审" in page.locator(".messagelist").inner_text()

    # While it waits she reads the body formatted, not as HTML source, and may still pull it back.
    body = page.locator(".body-text")
    assert body.locator("strong").inner_text() == "六十名职工参加。"
    assert "<p>" not in body.inner_text() and page.locator(".workflow-button--recall").is_visible()
    screenshots.take(page, "laptop-submitted")
    page.set_viewport_size(PHONE)
    assert_fits(page, "#content .form-row, .workflow-panel button, .body-text", "read-only story at 390 px")
    screenshots.take(page, "phone-submitted")

    # Her list and her desk fit a phone.
    for url, name in (("/admin/articles/article/", "list"), ("/admin/articles/article/desk/", "desk")):
        page.goto(live_server.url + url)
        assert_fits(page, "#content td, #content th, #content a", f"{name} at 390 px")
        screenshots.take(page, f"phone-{name}")


def test_an_editor_clears_a_queue_from_the_list_and_keeps_unsaved_typing(live_server, page, screenshots):
    ensure_review_setup()
    body = make_union("朝阳区总工会", slug="chaoyang")
    make_user("chensiyuan", group="编辑", first_name="陈思远")
    reporter = make_reporter("张晶", slug="zhang-jing")
    drafts = [make_article(f"第{n}篇导入的稿件：街道工会开展职工技能培训", status=S.DRAFT, unions=[body],
                           reporters=[reporter], body="<p>导入的正文。</p>") for n in range(1, 4)]
    ready = [walk(make_article(f"待签发的稿件{n}：区总工会表彰劳动模范", status=S.REVIEW, unions=[body],
                               reporters=[reporter], body="<p>正文。</p>")) for n in range(1, 3)]
    log_in_as(page, live_server, "chensiyuan")

    # At 1366 px the list shows every column, 发布时间 and 修改时间 included, with the sidebar open.
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/admin/articles/article/")
    assert page.locator("#nav-sidebar").is_visible()
    assert_fits(page, "#result_list th, #result_list td, #changelist-filter", "list at 1366 px")
    screenshots.take(page, "laptop-list")

    page.goto(f"{live_server.url}/admin/articles/article/desk/")
    assert_fits(page, "#content td, #content th, #content a", "desk at 1366 px")
    page.goto(f"{live_server.url}/admin/articles/article/")

    # Bulk submit the imported drafts, then bulk sign off what waits at 终审.
    for story in drafts:
        page.check(f"input[name=_selected_action][value='{story.pk}']")
    page.select_option("select[name=action]", "submit_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    assert "已送审 3 篇稿件" in page.locator(".messagelist").inner_text()
    assert all(Article.objects.get(pk=s.pk).status == S.REVIEW for s in drafts)
    for story in ready:
        page.check(f"input[name=_selected_action][value='{story.pk}']")
    page.check(f"input[name=_selected_action][value='{drafts[0].pk}']")  # at 初审: refused, said
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    said = page.locator(".messagelist").inner_text()
    assert "已发布 2 篇稿件" in said and f"《{drafts[0].title}》" in said
    assert all(Article.objects.get(pk=s.pk).is_published() for s in ready)
    assert_fits(page, "#result_list th, #result_list td", "list at 1366 px with both times filled")
    screenshots.take(page, "laptop-bulk")

    # A story at 初审: the editor fixes the lead, then returns it without saving first:
    # the typing is saved, and the story goes back with the reason.
    story = drafts[1]
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector("#article_form[data-guarded='1']", state="attached", timeout=3000)
    form_parts = "#content input, #content select, #content textarea, .workflow-panel button, .inline-group td, .submit-row > *"
    assert_fits(page, form_parts, "story in review at 1366 px")
    page.set_viewport_size(PHONE)
    assert_fits(page, form_parts, "story in review at 390 px")
    screenshots.take(page, "phone-story-in-review")
    page.set_viewport_size(LAPTOP)
    page.fill("#id_lead", "编辑改过的导语：六十名职工参加培训。")
    # A comment would leave the page: the browser asks first; cancelled, nothing is lost.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.fill("#comment-text", "导语我改了一下。")
    page.click(".comments__submit")
    assert asked and "尚未保存的修改" in asked[0]
    assert page.input_value("#id_lead") == "编辑改过的导语：六十名职工参加培训。"
    page.fill("#wf-return-reason", "请补充培训的时间和地点。")
    page.click(".workflow-button--return")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.status == S.DRAFT and story.lead == "编辑改过的导语：六十名职工参加培训。"
    assert story.events.last().comment == "请补充培训的时间和地点。"
    screenshots.take(page, "laptop-returned-with-typing")

    # The form, the list and the desk at a phone's width.
    page.set_viewport_size(PHONE)
    assert_fits(page, form_parts, "story form at 390 px")
    screenshots.take(page, "phone-form")
    for url, name in (("/admin/articles/article/", "list"), ("/admin/articles/article/desk/", "desk")):
        page.goto(live_server.url + url)
        assert_fits(page, "#content td, #content th, #content a, #content select", f"{name} at 390 px")
        screenshots.take(page, f"phone-{name}")

"""The e-paper in Chromium: a reader on a desktop and on a phone, an editor in the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Placement

from .browser import admin_login
from .epaper_data import STORIES, make_issue
from .factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest(".epaper-viewport .sheet");
  }).map(el => el.tagName + "." + el.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.EPAPER_RENDER_WIDTH = 900


def test_a_reader_opens_stories_from_the_page_and_finds_other_pages_and_days(
        live_server, page, browser_context, screenshots):
    issue, stories = make_issue()
    earlier, _ = make_issue(issue.date - timedelta(days=1), stories=False)
    base = live_server.url

    page.goto(f"{base}/epaper/")
    screenshots.take(page, "desktop-first-page")
    # A region is a link named by the story's headline: clicking it opens the story.
    region = page.locator("svg.sheet__regions").get_by_role("link", name=stories[0].title)
    assert region.count() == 1
    region.click()
    page.wait_for_url(f"{base}{stories[0].get_absolute_url()}")
    screenshots.take(page, "story-with-print-line")
    page.click("a.story__print")  # 见报：… 第1版 要闻 → back to the page
    page.wait_for_url(f"{base}/epaper/{issue.date:%Y/%m/%d}/1/")

    # Keyboard: the regions are focusable links in the page's tab order.
    page.focus(f'svg a[href="{stories[2].get_absolute_url()}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(stories[2].get_absolute_url())
    page.go_back()

    page.click("text=下一版 →")
    page.wait_for_url(f"{base}/epaper/{issue.date:%Y/%m/%d}/2/")
    page.click("text=← 上一版")
    page.wait_for_url(f"{base}/epaper/{issue.date:%Y/%m/%d}/1/")
    page.click('.epaper-pages a:has-text("第3版")')
    page.wait_for_url(f"{base}/epaper/{issue.date:%Y/%m/%d}/3/")
    assert page.locator('.epaper-pages a[aria-current="page"]').inner_text().strip() == "第3版 基层"
    page.click("button[data-zoom=in]")
    assert page.locator(".sheet").evaluate("el => el.getBoundingClientRect().width") > \
        page.locator(".epaper-viewport").evaluate("el => el.clientWidth")
    screenshots.take(page, "desktop-page-3-zoomed")
    # The calendar links only the days that have an issue.
    links = page.locator(".epaper-calendar td a")
    days = sorted(int(text) for text in links.all_inner_texts())
    assert set(days) <= {issue.date.day, earlier.date.day} and issue.date.day in days
    page.click(f'.epaper-calendar a[aria-label="{earlier.date.year}年{earlier.date.month}月{earlier.date.day}日的报纸"]'
               if earlier.date.month == issue.date.month else ".epaper-calendar__step")
    assert f"/epaper/{earlier.date:%Y/%m}/" in page.url

    # A phone: nothing overflows, the headline list comes first, the page fits the width.
    phone = browser_context.browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True,
    )
    mobile = phone.new_page()
    try:
        mobile.goto(f"{base}/epaper/{issue.date:%Y/%m/%d}/1/")
        geometry = mobile.evaluate(OVERFLOWING)
        assert geometry["scroll"] <= 390 and geometry["wide"] == [], geometry
        headlines = mobile.locator(".epaper__headlines").bounding_box()
        sheet = mobile.locator(".epaper-viewport").bounding_box()
        assert headlines["y"] < sheet["y"] and headlines["y"] < 844
        assert sheet["width"] <= 390 and mobile.locator(".sheet img").bounding_box()["width"] <= 390
        first_headline = mobile.get_by_role("link", name=stories[0].title).first
        assert first_headline.is_visible()
        mobile.screenshot(path=str(screenshots.folder / "phone-390.png"), full_page=True)
        mobile.click("button[data-zoom=in]")
        assert mobile.evaluate(OVERFLOWING)["scroll"] <= 390  # zoom scrolls inside the page frame
        mobile.locator(".epaper__headlines a").first.click()
        mobile.wait_for_url(f"{base}{stories[0].get_absolute_url()}")
    finally:
        phone.close()


def test_an_editor_moves_a_region_and_attaches_a_text_block(live_server, page, screenshots):
    issue, stories = make_issue(timezone.localdate() - timedelta(days=1))
    make_user("chief", is_superuser=True)
    target = stories[3]
    placement = Placement.objects.get(article=target)
    before = placement.regions[0]
    other = Placement.objects.get(article=stories[4])
    other.delete()  # its text block is now unmatched: shown dashed, to be attached

    admin_login(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/articles/issue/{issue.pk}/change/")
    page.click('a:has-text("编辑热区") >> nth=1')
    page.wait_for_selector("#region-svg polygon")
    screenshots.take(page, "region-editor")
    svg = page.locator("#region-svg").bounding_box()
    region = page.locator('#region-svg polygon[data-region="0"]').bounding_box()
    x, y = region["x"] + region["width"] / 2, region["y"] + region["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + svg["width"] * 0.02, y + svg["height"] * 0.01, steps=5)
    page.mouse.up()
    block = page.locator("#region-svg polygon[data-block]").first
    block.click()
    page.select_option("#region-story", str(stories[4].pk))
    screenshots.take(page, "region-moved-block-attached")
    with page.expect_navigation():
        page.click("text=保存热区")
    page.locator(".messagelist .success").wait_for()
    moved = Placement.objects.get(article=target).regions[0]
    assert abs(moved[0][0] - before[0][0] - 0.02) < 0.01 and abs(moved[0][1] - before[0][1] - 0.01) < 0.01
    attached = Placement.objects.get(article=stories[4])
    assert attached.page.number == STORIES[4][0] and len(attached.regions) == 1

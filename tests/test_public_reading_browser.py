"""Reading the public site in Chromium: the "更早的报道" button, 大字, 200 % zoom."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.public.views import PAGE_SIZE

from .factories import make_article, make_reporter, make_union

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

COLOURS = """el => {
  const style = getComputedStyle(el);
  return [style.color, style.backgroundColor];
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_older_button_text_size_and_200_percent_zoom(live_server, chromium, screenshots):
    body = make_union("石景山区总工会", slug="shijingshan")
    reporter = make_reporter("张晶")
    now = timezone.now()
    stories = [
        make_article(f"石景山区总工会开展第{i + 1}期职工技能培训，覆盖建筑、快递和环卫行业",
                     unions=[body], reporters=[reporter], published_at=now - timedelta(hours=i + 1),
                     lead="培训内容包括心肺复苏、自动体外除颤器使用和常见创伤处理。")
        for i in range(PAGE_SIZE + 2)
    ]
    oldest = stories[-1]
    # A laptop at 1366 × 768; the same laptop at 200 % zoom is a 683 × 384 CSS viewport.
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for path in ("/", "/unions/shijingshan/"):
            page.goto(live_server.url + path)
            button = page.locator(".more a.button")
            text, background = button.evaluate(COLOURS)
            assert text != background, f"{path}: the older button is {text} on {background}"
            assert text == "rgb(255, 255, 255)"
            assert oldest.title not in page.content()
            screenshots.take(page, f"older-button{path.replace('/', '-')}")
            button.click()
            page.wait_for_url("**before=*")
            assert page.locator(".item__title", has_text=oldest.title).count() == 1

        # 大字: the reader enlarges the text; it stays so on the next page and after a reload.
        page.goto(live_server.url + "/")
        size = "getComputedStyle(document.documentElement).fontSize"
        assert page.evaluate(size) == "16px"
        toggle = page.locator("button.text-size")
        assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
        toggle.click()
        assert page.evaluate(size) == "20px" and toggle.get_attribute("aria-pressed") == "true"
        page.goto(live_server.url + stories[0].get_absolute_url())
        assert page.evaluate(size) == "20px"
        assert page.locator("button.text-size").get_attribute("aria-pressed") == "true"
        screenshots.take(page, "large-text-story")

        # 200 % zoom, with 大字 on and off: nothing runs off the side, the nav and button reachable.
        page.set_viewport_size({"width": 683, "height": 384})
        for large in (True, False):
            for path in ("/", "/unions/shijingshan/", stories[0].get_absolute_url(), "/search/?q=培训"):
                page.goto(live_server.url + path)
                assert page.evaluate(OVERFLOW) <= 0, f"{path} overflows at 200% zoom (大字 {large})"
                assert page.locator("button.text-size").is_visible()
            screenshots.take(page, f"zoom200-search-large-{large}")
            page.locator("button.text-size").click()
        page.reload()
        assert page.evaluate(size) == "20px"  # switched back on by the last click, remembered
    finally:
        context.close()

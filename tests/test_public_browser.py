"""The public site in a real browser, on a phone and on a desktop."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from .factories import make_article, make_photo, make_reporter, make_union

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def newsroom():
    """A small paper: a union tree, reporters, a photo and a few days of stories."""
    city = make_union("北京市总工会", slug="bjzgh", short_name="市总工会")
    district = make_union("石景山区总工会", parent=city, slug="shijingshan", short_name="石景山")
    street = make_union("八角街道总工会", parent=district, slug="bajiao", short_name="八角")
    zhang, bian = make_reporter("张晶"), make_reporter("边磊", role="photographer")
    photo = make_photo(caption="职工在急救培训现场练习心肺复苏", credit_reporter=bian, alt_text="急救培训现场")
    now = timezone.now()
    lead = make_article(
        "石景山区总工会开展职工急救培训", kicker="守护生命 从我做起", subtitle="三百余名一线职工取得救护员证书",
        lead="近日，石景山区总工会联合区红十字会开展职工急救技能培训，覆盖辖区建筑、快递、环卫等行业。",
        body="<p>培训内容包括心肺复苏、自动体外除颤器使用和常见创伤处理。</p>" * 4,
        unions=[district], reporters=[zhang, bian], photos=[photo], published_at=now - timedelta(hours=1),
    )
    make_article("八角街道总工会举办集体协商专题培训", unions=[street], reporters=[zhang],
                 lead="为提升基层工会干部的协商能力，八角街道总工会举办集体协商专题培训。",
                 published_at=now - timedelta(hours=2))
    for day in range(1, 4):
        make_article(f"北京市总工会召开第{day}次产改推进会，部署下一阶段重点工作任务安排",
                     unions=[city], reporters=[zhang], published_at=now - timedelta(days=day))
    return lead


@pytest.mark.parametrize("device", list(WIDTHS))
def test_public_pages_fit_the_screen_and_stay_local(live_server, chromium, screenshots, device):
    lead = newsroom()
    width, height = WIDTHS[device]
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                   is_mobile=device == "phone", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    day = timezone.localdate(lead.published_at)
    pages = {
        "front": "/",
        "union": "/unions/shijingshan/",
        "unions": "/unions/",
        "day": f"/archive/{day:%Y/%m/%d}/",
        "month": f"/archive/{day:%Y/%m}/",
        "article": lead.get_absolute_url(),
        "search": "/search/?q=急救培训",
        "not-found": "/articles/999999/",
    }
    try:
        for label, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{label} overflows by {overflow}px at {width}px"
            assert page.evaluate("document.documentElement.lang") == "zh-CN"
            screenshots.take(page, f"{device}-{label}")

        # The search found the story first and marked the words.
        page.goto(live_server.url + "/search/?q=急救培训")
        assert page.locator(".results .item__title").first.inner_text() == lead.title
        assert page.locator(".results mark").count() > 0

        # A reader follows a union link from the story up the tree.
        page.goto(live_server.url + lead.get_absolute_url())
        assert page.locator("h1.story__title").inner_text() == lead.title
        assert page.locator(".story__photo figcaption").inner_text().endswith("边磊 摄")
        page.click(".story__unions a")
        page.wait_for_url("**/unions/shijingshan/")
        assert page.locator(".breadcrumbs").inner_text().startswith("工会组织")

        # Every image loaded (no broken pictures).
        broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).length")
        assert broken == 0
    finally:
        context.close()

    host = urlsplit(live_server.url).hostname
    outside = [url for url in requested if urlsplit(url).hostname not in (host, "localhost", "127.0.0.1")]
    assert outside == [], f"requests left the site: {outside}"
    assert requested, "the request listener saw nothing"

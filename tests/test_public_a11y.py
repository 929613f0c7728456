"""Every public page passes the Nu HTML checker (no errors) and axe-core's WCAG 2.1 AA rules
(no violations) in Chromium at 1366 and 390 px, and runs off neither screen (harness:
tests/a11y.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import sharing

from .a11y import Validator, a11y_context, axe_violations, require_axe, require_vnu
from .epaper_data import make_issue
from .factories import make_article, make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def public_pages():
    """A small paper with something on every public page; {name: path}."""
    city = make_union("北京市总工会", slug="bjzgh", short_name="市总工会")
    district = make_union("石景山区总工会", parent=city, slug="shijingshan", short_name="石景山")
    make_union("八角街道总工会", parent=district, slug="bajiao", short_name="八角")
    zhang, bian = make_reporter("张晶", slug="zhang-jing"), make_reporter("边磊", role="photographer")
    photo = make_photo(caption="职工在急救培训现场练习心肺复苏", credit_reporter=bian, alt_text="急救培训现场")
    now = timezone.now()
    lead = make_article(
        "石景山区总工会开展职工急救培训", kicker="守护生命 从我做起", subtitle="三百余名一线职工取得救护员证书",
        lead="近日，石景山区总工会联合区红十字会开展职工急救技能培训。",
        body="<p>培训内容包括心肺复苏、自动体外除颤器使用和常见创伤处理。</p><blockquote><p>“学会了，心里踏实。”</p></blockquote>",
        unions=[district], reporters=[zhang, bian], photos=[photo], published_at=now - timedelta(hours=1),
    )
    Correction.objects.create(article=lead, note="此前报道中的人数有误，已更正。")
    for i in range(22):  # more than a page: the "更早的报道" button shows
        make_article(f"北京市总工会召开第{i + 1}次产改推进会", unions=[district], reporters=[zhang],
                     published_at=now - timedelta(hours=2 + i * 5))
    draft = make_article("尚未发布的稿件", status=Article.Status.DRAFT, unions=[district], reporters=[zhang])
    link = sharing.create_link(article=draft, user=make_user("a11y-editor", group="编辑"), days=3)
    issue, _ = make_issue()
    day = timezone.localdate(lead.published_at)
    printed = issue.date
    return {
        "front": "/",
        "unions": "/unions/",
        "union": "/unions/shijingshan/",
        "union-older": "/unions/shijingshan/",  # replaced below by the button's target
        "reporter": zhang.get_absolute_url(),
        "article": lead.get_absolute_url(),
        "archive": "/archive/",
        "year": f"/archive/{day:%Y}/",
        "month": f"/archive/{day:%Y/%m}/",
        "day": f"/archive/{day:%Y/%m/%d}/",
        "printed-day": f"/archive/{printed:%Y/%m/%d}/",
        "search": "/search/?q=急救培训",
        "search-empty": "/search/?q=没有这个词语",
        "photos": "/photos/",
        "epaper": "/epaper/",
        "epaper-page": f"/epaper/{printed:%Y/%m/%d}/2/",
        "epaper-month": f"/epaper/{printed:%Y/%m}/",
        "draft-link": sharing.url_for(link),
        "not-found": "/articles/999999/",
    }


def test_public_pages_are_valid_html_and_pass_axe_at_1366_and_390(live_server, chromium):
    require_axe()
    require_vnu()
    pages = public_pages()
    validator = Validator()
    problems = {}
    for device, (width, height) in WIDTHS.items():
        context = a11y_context(chromium, width, height)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            for name, path in pages.items():
                if name == "union-older":
                    page.goto(live_server.url + pages["union"])
                    path = pages[name] = page.locator(".more a.button").get_attribute("href")
                response = page.goto(live_server.url + path)
                if device == "laptop":
                    validator.add(name, response.text())
                for violation in axe_violations(page):
                    problems.setdefault(f"axe {device} {name}", []).append(violation)
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:  # at 390 px also stands for 200 % zoom (683 px) and more
                    problems.setdefault(f"layout {device} {name}", []).append(f"{overflow}px too wide")
                # 大字 on: the enlarged page must pass too (contrast, overlaps).
                if name in ("front", "article"):
                    page.locator("button.text-size").click()
                    for violation in axe_violations(page):
                        problems.setdefault(f"axe {device} {name} 大字", []).append(violation)
                    page.locator("button.text-size").click()
        finally:
            context.close()
    for name, errors in validator.errors().items():
        problems[f"vnu {name}"] = errors
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())

"""The API's interactive docs and the admin's key page in a real browser, under the site's CSP."""

from urllib.parse import urlsplit

import pytest

from .browser import admin_login
from .factories import make_article, make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def test_docs_run_under_the_strict_policy_and_try_a_request(live_server, page, screenshots):
    body = make_union("石景山区总工会", slug="shijingshan")
    make_article("石景山举办职工技能竞赛", unions=[body], reporters=[make_reporter("张晶")],
                 photos=[make_photo()], lead="近日，石景山区总工会举办职工技能竞赛。")
    make_user("boss", is_superuser=True)
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if urlsplit(r.url).netloc not in (urlsplit(live_server.url).netloc, "") else None)
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    page.wait_for_selector("text=稿件列表")
    assert page.locator(".opblock").count() == 13  # every endpoint
    screenshots.take(page, "docs")

    page.click(".opblock-summary:has-text('稿件列表')")
    page.click("button:has-text('Try it out')")
    page.fill("input[placeholder='limit']", "1")
    page.click("button:has-text('Execute')")
    page.wait_for_selector(".live-responses-table .response-col_status:has-text('200')")
    assert "石景山举办职工技能竞赛" in page.inner_text(".live-responses-table")
    screenshots.take(page, "docs-tried-stories")
    assert page.evaluate("() => window.__csp") == []
    assert outside == [], f"requests left the site: {outside}"

    # The admin issues a key and shows it once.
    admin_login(page, live_server, "boss")
    page.goto(f"{live_server.url}/admin/articles/apikey/add/")
    page.fill("#id_name", "微信小程序")
    page.click("input[name=_save]")
    key = page.input_value("#api-key")
    assert key.startswith("nk_")
    screenshots.take(page, "admin-key-issued")
    page.goto(f"{live_server.url}/admin/articles/apikey/")
    screenshots.take(page, "admin-key-list")
    assert page.evaluate("() => window.__csp") == []

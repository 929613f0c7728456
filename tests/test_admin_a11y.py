"""The admin pages a reporter and an editor open pass the Nu HTML checker (no errors) and
axe-core's WCAG 2.1 AA rules (no violations) in Chromium at 1366 and 390 px, and none runs off
either screen (issue 15). Harness: tests/a11y.py, shared with the public pages' test."""

import pytest
from django.db import connection

from articles.models import Article

from .a11y import Validator, a11y_context, axe_violations, require_axe, require_vnu
from .factories import ensure_review_setup, make_article, make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}
# How far the page scrolls sideways: nothing may run off the screen.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
S = Article.Status


def newsroom():
    """A reporter's draft and story in review, an editor's queue; {role: (username, {page: path})}."""
    ensure_review_setup()
    body = make_union("朝阳区总工会", slug="chaoyang")
    reporter = make_user("zhangjing", group="记者", first_name="张晶")
    profile = make_reporter("张晶", user=reporter, slug="zhang-jing")
    make_user("chensiyuan", group="编辑", first_name="陈思远")
    photo = make_photo(caption="职工练习心肺复苏", alt_text="职工练习心肺复苏")
    draft = make_article("朝阳区总工会开展职工急救培训", status=S.DRAFT, unions=[body], reporters=[profile],
                         photos=[photo], body="<p>培训讲解了<strong>心肺复苏</strong>。</p>", created_by=reporter)
    waiting = make_article("奥运村街道总工会为一线职工送清凉", status=S.REVIEW, unions=[body], reporters=[profile],
                           body="<p>共走访站点47个。</p>", created_by=reporter)
    story = "/admin/articles/article/{}/{}"
    # Each page once per role where the role sees it differently; both widths each.
    return {
        "reporter": ("zhangjing", {
            "index": "/admin/",
            "list": "/admin/articles/article/",
            "add": "/admin/articles/article/add/",
            "draft": story.format(draft.pk, "change/"),
            "in-review": story.format(waiting.pk, "change/"),
            "desk": "/admin/articles/article/desk/",
            "photo": f"/admin/articles/photo/{photo.pk}/change/",
        }),
        "editor": ("chensiyuan", {
            "list": "/admin/articles/article/",
            "in-review": story.format(waiting.pk, "change/"),
            "desk": "/admin/articles/article/desk/",
            "revisions": story.format(draft.pk, "revisions/"),
            "slip": story.format(waiting.pk, "slip/"),
            "trash": "/admin/articles/article/trash/",
            "import": "/admin/articles/article/import/",
            "photos": "/admin/articles/photo/",
            "password": "/admin/password_change/",
        }),
    }


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_admin_pages_are_valid_html_and_pass_axe_at_1366_and_390(live_server, chromium):
    if connection.vendor != "sqlite":
        # The pages' HTML does not depend on the database; CI checks it on its SQLite run
        # (about a minute of browser and java time) and spares the PostgreSQL run.
        pytest.skip("HTML and accessibility are checked on the SQLite run")
    require_axe()
    require_vnu()
    roles = newsroom()
    validator, problems = Validator(), {}
    for role, (username, pages) in roles.items():
        for device, (width, height) in WIDTHS.items():
            context = a11y_context(chromium, width, height)
            page = context.new_page()
            page.set_default_timeout(15_000)
            try:
                log_in(page, live_server.url, username)
                for name, path in pages.items():
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, f"{role} {name}: {response.status}"
                    page.wait_for_load_state("load")
                    # Our scripts finish on the turn after "load" (static/js/admin-a11y.js).
                    page.evaluate("new Promise((done) => setTimeout(done, 0))")
                    if device == "laptop":
                        validator.add(f"{role} {name}", response.text())
                    for violation in axe_violations(page):
                        problems.setdefault(f"axe {role} {device} {name}", []).append(violation)
                    overflow = page.evaluate(OVERFLOW)
                    if overflow > 0:
                        problems.setdefault(f"layout {role} {device} {name}", []).append(f"{overflow}px too wide")
            finally:
                context.close()
    for name, errors in validator.errors().items():
        problems[f"vnu {name}"] = errors
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())

"""The admin pages a reporter and an editor open pass the Nu HTML checker (no errors) and
axe-core's WCAG 2.1 AA rules (no violations) in Chromium at 1366 and 390 px, and none runs off
either screen (issue 15).

Own small helpers here (the public pages' harness is tests/a11y.py on another branch; the two
are to be unified). The tools come from npm, pinned in tools/node, installed by `make test`
and .ci/run (`npm ci`); without them the test skips locally and fails in CI.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article

from .factories import ensure_review_setup, make_article, make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NODE_MODULES = Path(__file__).resolve().parent.parent / "tools" / "node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}
# How far the page scrolls sideways: nothing may run off the screen.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
S = Article.Status


def require_tools():
    missing = [str(path.relative_to(NODE_MODULES.parent)) for path in (AXE_JS, VNU_JAR) if not path.exists()]
    if shutil.which("java") is None:
        missing.append("java")
    if missing:
        reason = f"missing {', '.join(missing)}: run `make node-tools` (npm ci in tools/node)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"accessibility checks are required in CI: {reason}")
        pytest.skip(reason)


def axe_violations(page):
    """axe-core's WCAG 2.1 AA violations on the page as it is: ["rule (impact): help — targets"]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
    ]


def vnu_errors(pages):
    """The Nu HTML checker's errors, {name: ["line N: message"]}, over all pages in one java run."""
    folder = Path(tempfile.mkdtemp(prefix="vnu-admin-"))
    names = {}
    for n, (name, html) in enumerate(pages.items()):
        safe = re.sub(r"[^\w-]+", "_", name)
        path = folder / f"{n:02d}-{safe}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    done = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         "--exit-zero-always", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    shutil.rmtree(folder, ignore_errors=True)
    found = {}
    for message in json.loads(done.stderr or done.stdout)["messages"]:
        if message.get("type") == "error":
            name = names.get(Path(message.get("url", "")).name, "?")
            found.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return found


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
    require_tools()
    roles = newsroom()
    html, problems = {}, {}
    for role, (username, pages) in roles.items():
        for device, (width, height) in WIDTHS.items():
            # axe-core is injected, which the admin's CSP would refuse (the CSP is tested elsewhere).
            context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                           bypass_csp=True, is_mobile=width < 600)
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
                        html[f"{role} {name}"] = response.text()
                    for violation in axe_violations(page):
                        problems.setdefault(f"axe {role} {device} {name}", []).append(violation)
                    overflow = page.evaluate(OVERFLOW)
                    if overflow > 0:
                        problems.setdefault(f"layout {role} {device} {name}", []).append(f"{overflow}px too wide")
            finally:
                context.close()
    for name, errors in vnu_errors(html).items():
        problems[f"vnu {name}"] = errors
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())

"""Hostile markup in every field a reader or an editor sees never runs, in a real browser.

More than 40 payloads (script tags, event handlers, javascript:/data: URLs with
entity and whitespace tricks, SVG and MathML, style, broken and nested tags,
tags that break out of attributes, <title>, <textarea> or a JSON-LD <script>)
go into story titles, kickers, leads and bodies, a photo caption and alt text,
union-body and reporter names, and the search box. Every page that shows them
(front, article, union list and pages, photo news, search results, the admin's
lists and change forms) is loaded in headless Chromium, and:
- no dialog opens (page.on("dialog") records and fails),
- `window.__xss`, which every payload sets, stays undefined,
- no link or frame points at a javascript: or data: URL,
- the Content Security Policy reports no violation: nothing even *tried* to run
  inline script, so the sanitiser and escaping did the work, not only the CSP.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .browser import admin_login
from .factories import make_article, make_photo, make_reporter, make_union, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

X = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{X}</script>",
    f"<SCRIPT>{X}</SCRIPT>",
    f"<script src=data:text/javascript,{X}></script>",
    f'<img src=x onerror="{X}">',
    f"<img src=x onerror={X}>",
    f'<IMG SRC=x ONERROR="{X}">',
    '<img src="x" onerror="&#119;indow.__xss=1;alert(1)">',
    f"<img/src=x/onerror={X}>",
    f'<img src=x onerror="{X}"',
    f'<svg onload="{X}">',
    f"<svg><script>{X}</script></svg>",
    f'<svg><animate onbegin="{X}" attributeName=x dur=1s>',
    f'<svg><a xlink:href="javascript:{X}"><text x=20 y=20>XSS</text></a></svg>',
    f"<svg><style><img src=x onerror={X}></style></svg>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{X}">',
    f'<body onload="{X}">',
    f'<iframe src="javascript:{X}"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1;parent.alert(1)</script>"></iframe>',
    f'<object data="javascript:{X}"></object>',
    f'<embed src="javascript:{X}">',
    f'<a href="javascript:{X}">点我</a>',
    f'<a href="JaVaScRiPt:{X}">点我</a>',
    f'<a href="jav&#x09;ascript:{X}">点我</a>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{X}">点我</a>',
    f'<a href="&#x6A;avascript&colon;{X}">点我</a>',
    f'<a href=" javascript:{X}">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    f'<a href="data:text/html,<script>{X}</script>">点我</a>',
    f'<img src="javascript:{X}">',
    f'<form action="javascript:{X}"><button>提交</button></form>',
    f'<button formaction="javascript:{X}">按钮</button>',
    f'<input autofocus onfocus="{X}">',
    f'<details open ontoggle="{X}">',
    f'<video><source onerror="{X}"></video>',
    f'<audio src=x onerror="{X}">',
    f"<style>@import 'javascript:{X}';</style>",
    f'<div style="background:url(javascript:{X})">样式</div>',
    f'<p style="x:expression({X})">表达式</p>',
    f'<marquee onstart="{X}">滚动</marquee>',
    f"<scr<script>ipt>{X}</scr</script>ipt>",
    f"<<script>script>{X}<</script>/script>",
    f'<p title="</p><script>{X}</script>">嵌套</p>',
    f'<noscript><p title="</noscript><img src=x onerror={X}>">',
    f"<template><script>{X}</script></template>",
    f'"><script>{X}</script>',
    f"'><img src=x onerror={X}>",
    f"</title><script>{X}</script>",
    f"</textarea><script>{X}</script>",
    f"</script><script>{X}</script>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{X}">',
    f'<base href="javascript:{X}//">',
    f'<!--<img src="--><img src=x onerror={X}//">',
    "<img src=x:alert(1) onerror=eval(src)>",
    f"{{{{ 7*7 }}}}<script>{X}</script>",
]

# Collect CSP violations from the first moment of every document.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || ''));
});
"""
DANGEROUS_URLS = """() => {
  const bad = [];
  const attrs = {A: 'href', AREA: 'href', BASE: 'href', IFRAME: 'src', EMBED: 'src', OBJECT: 'data',
                 FORM: 'action', BUTTON: 'formaction'};
  for (const [tag, attr] of Object.entries(attrs)) {
    for (const el of document.querySelectorAll(`${tag}[${attr}]`)) {
      if (el.closest('.cke, .cke_dialog')) continue;  // CKEditor's own toolbar uses javascript:void(0)
      let protocol;
      try { protocol = new URL(el.getAttribute(attr), document.baseURI).protocol; } catch (e) { continue; }
      if (['javascript:', 'data:', 'vbscript:'].includes(protocol)) bad.push(el.outerHTML.slice(0, 120));
    }
  }
  return bad;
}"""


def hostile_newsroom():
    """Every payload in every field that reaches a page."""
    reporter = make_reporter(PAYLOADS[0][:40], slug="xss-reporter")
    photo = make_photo(caption="\n".join(PAYLOADS), alt_text=PAYLOADS[3][:200])
    now = timezone.now()
    stories = []
    for n, payload in enumerate(PAYLOADS):
        body = make_union(f"{payload[:94]}·{n}", slug=f"xss-{n}")
        stories.append(make_article(
            title=payload[:200], kicker=payload[:200], subtitle=payload[:200], lead=payload,
            body=f"<p>正文</p>{payload}<p>{payload}</p>", unions=[body],
            reporters=[reporter], photos=[photo] if n < 5 else [],
            published_at=now - timedelta(minutes=n + 1),
        ))
    return stories


class Guard:
    """Loads pages and checks each one for anything that ran."""

    def __init__(self, page):
        self.page, self.dialogs = page, []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append((self.page.url, dialog.message))
        dialog.dismiss()

    def check(self, where):
        self.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)))")
        assert not self.dialogs, f"a dialog opened on {where}: {self.dialogs}"
        for frame in self.page.frames:  # CKEditor's editing area is a frame of its own
            assert frame.evaluate("() => typeof window.__xss") == "undefined", f"script ran on {where}"
            assert frame.evaluate(DANGEROUS_URLS) == [], where
        assert self.page.evaluate("() => window.__csp") == [], f"CSP violation on {where}"

    def visit(self, url):
        response = self.page.goto(url, wait_until="load")
        assert response.status < 500, url
        self.check(url)


def test_no_payload_runs_on_any_public_or_admin_page(live_server, page, screenshots):
    stories = hostile_newsroom()
    make_user("editor1", group="编辑")
    guard = Guard(page)
    site = live_server.url

    # The public site.
    for url in ("/", "/unions/", "/photos/", "/reporters/xss-reporter/", "/feeds/latest/"):
        guard.visit(site + url)
    screenshots.take(page, "front")
    for story in stories:
        guard.visit(site + story.get_absolute_url())
        # The payload is on the page, shown as text: nothing ran because it was escaped.
        assert page.inner_text("h1.story__title") == story.title
    screenshots.take(page, "article")
    for story in stories[:12]:
        guard.visit(site + story.union_bodies.get().get_absolute_url())
    # The search box, as a reader types into it.
    for payload in PAYLOADS:
        page.goto(site + "/search/")
        page.fill("input[name=q]", payload)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state("load")
        guard.check(f"search for {payload!r}")
    screenshots.take(page, "search")

    # The admin, where the editors are.
    admin_login(page, live_server, "editor1")
    for url in ("/admin/articles/article/", "/admin/articles/article/?q=script",
                "/admin/articles/photo/", "/admin/articles/unionbody/", "/admin/articles/reporter/",
                "/admin/articles/articleevent/", "/admin/articles/article/desk/"):
        guard.visit(site + url)
    screenshots.take(page, "admin-list")
    for story in stories[:6] + stories[-4:]:
        guard.visit(f"{site}/admin/articles/article/{story.pk}/change/")
        # CKEditor has loaded the stored body into its editing frame.
        page.frame_locator("#cke_id_body iframe").locator("body").wait_for()
        guard.check(f"CKEditor on story {story.pk}")
    screenshots.take(page, "admin-change-form")
    photo = stories[0].photos.get()
    guard.visit(f"{site}/admin/articles/photo/{photo.pk}/change/")
    guard.visit(f"{site}/admin/articles/unionbody/{stories[0].union_bodies.get().pk}/change/")


def test_the_policy_blocks_what_the_sanitiser_would_miss(live_server, page):
    """The CSP is a real second line: an inline script stored around the sanitiser is refused."""
    story = make_article(title="绕过清洗的稿件")
    # QuerySet.update() skips save() and so the sanitiser: as if it had a hole.
    Article.objects.filter(pk=story.pk).update(body=f"<script>{X}</script><img src=x onerror=\"{X}\">")
    guard = Guard(page)
    page.goto(live_server.url + story.get_absolute_url(), wait_until="load")
    page.evaluate("() => new Promise((r) => setTimeout(r, 50))")
    assert not guard.dialogs
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => window.__csp.length") >= 1  # refused, and reported

"""manage.py bench_probe: the benchmark's pages on this database, and their query counts.

Used by bench/run.py. It finds a URL for every page the benchmark measures
(a page whose route does not exist yet is reported as missing), requests each
twice through Django's test Client, counts the queries of both requests
(the second is what a warm server pays), and prints the lot as JSON together
with the session cookie of the bench editor for the admin page.
"""

import json
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone

from articles.models import Article, UnionBody
from demo import bench

# (key, label) in the order the report shows them.
PAGES = [
    ("healthz", "/healthz（上限）"),
    ("front", "首页"),
    ("union", "顶级工会（含全部下级）"),
    ("union_old", "同一工会，档案深处"),
    ("day", "某日档案"),
    ("article", "稿件页"),
    ("search", "搜索“工会”（常见词）"),
    ("search_rare", "搜索一个街道的名字（少见词）"),
    ("search_pinyin", "搜索拼音“jinqiu zhuxue”"),
    ("feed", "最新稿件 RSS"),
    ("api_list", "API 稿件列表"),
    ("api_story", "API 一篇稿件"),
    ("admin", "后台稿件列表（编辑）"),
]
OLDER_WORDS = ("更早", "下一页", "往前", "以前", "older", "next")
LINK = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.S | re.I)
HREF = re.compile(r'href="([^"]+)"')


class Command(BaseCommand):
    help = "找出压测要测的页面，统计每页的查询数，以 JSON 输出（供 bench/run.py 使用）。"

    def handle(self, *args, **options):
        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".")
        self.public = Client(HTTP_HOST=host, raise_request_exception=False)
        self.editor = Client(HTTP_HOST=host, raise_request_exception=False)
        user = bench.bench_user()
        cookie = None
        if user is not None:
            self.editor.force_login(user)
            cookie = f"{settings.SESSION_COOKIE_NAME}={self.editor.cookies[settings.SESSION_COOKIE_NAME].value}"
        published = Article.objects.published().newest_first()
        total = published.count()
        recent = published.first()
        deep = published[int(total * 0.9)] if total else None
        self.deep = deep
        root = (UnionBody.objects.filter(slug=bench.SLUG_PREFIX + "bjzgh").first()
                or UnionBody.objects.filter(parent__isnull=True).first())

        urls = {"healthz": "/healthz", "front": "/", "search": "/search/?q=" + quote("工会"),
                "feed": "/feeds/latest/", "admin": "/admin/articles/article/",
                "api_list": "/api/v1/stories"}
        if root is not None:
            urls["union"] = root.get_absolute_url()
        # A rare word: one street's name, in about one story in four hundred.
        street = UnionBody.objects.filter(slug__startswith=bench.SLUG_PREFIX, kind=UnionBody.Kind.STREET,
                                          short_name__gt="").order_by("slug").first()
        if street is not None:
            urls["search_rare"] = "/search/?q=" + quote(street.short_name)
        # Pinyin: nothing has these letters as a word, so the search tries pinyin (金秋助学).
        urls["search_pinyin"] = "/search/?q=" + quote("jinqiu zhuxue")
        if recent is not None:
            # A whole day's paper: the day before the newest story's, when there is one.
            day = timezone.localdate(recent.published_at) - timedelta(days=1)
            if not published.filter(published_at__date=day).exists():
                day = timezone.localdate(recent.published_at)
            urls["day"] = self.day_url(day)
            story = (published.filter(photo_links__is_lead=True).first() or recent)
            urls["article"] = story.get_absolute_url()
            urls["api_story"] = f"/api/v1/stories/{story.pk}"

        results = {}
        for key, label in PAGES:
            if key == "union_old":
                url, note = self.far_back(urls.get("union"), total)
            else:
                url, note = urls.get(key), ""
            results[key] = {"label": label, "url": url, "note": note,
                            **self.measure(url, self.editor if key == "admin" else self.public)}
        self.stdout.write(json.dumps({
            "pages": results, "cookie": cookie, "published": total,
            "page_cache": settings.PAGE_CACHE_ENABLED,
        }, ensure_ascii=False))

    # --- Finding URLs ---------------------------------------------------------

    @staticmethod
    def routed(url):
        try:
            resolve(urlsplit(url).path)
            return True
        except Resolver404:
            return False

    def day_url(self, day):
        for url in (f"/archive/{day:%Y/%m/%d}/", f"/archive/{day.year}/{day.month}/{day.day}/"):
            if self.routed(url):
                return url
        return f"/archive/{day:%Y/%m/%d}/"

    def far_back(self, union_url, total):
        """The union page far back: its own "older" link pushed deep, else a deep day archive."""
        if union_url and self.deep is not None:
            response = self.public.get(union_url)
            older = self.older_link(response.content.decode("utf-8", "replace")) \
                if response.status_code == 200 else None
            if older:
                older = urljoin(union_url, older)
                deep_url, note = self.push_deep(older, response, total)
                if deep_url and self.public.get(deep_url).status_code == 200:
                    return deep_url, note
                return older, "页面自带的“更早”链接（只往前一页）"
        if self.deep is not None:
            url = self.day_url(timezone.localdate(self.deep.published_at))
            if self.routed(url):
                return url, "工会页没有“更早”链接，改测档案深处的某一天"
        return None, "工会页没有“更早”链接，也没有日期档案"

    @staticmethod
    def older_link(html):
        for attrs, text in LINK.findall(html):
            href = HREF.search(attrs)
            if not href:
                continue
            href = href.group(1).replace("&amp;", "&")
            if ('rel="next"' in attrs or "before=" in href or "page=" in href
                    or any(word in text.lower() for word in OLDER_WORDS)):
                return href
        return None

    def push_deep(self, older, response, total):
        """Rewrite the older link's ?before= or ?page= to land about 90% back in the archive."""
        parts = urlsplit(older)
        query = dict(parse_qsl(parts.query))
        if "before" in query:
            query["before"] = self.same_format(query["before"])
            if "before_id" in query:  # a keyset cursor: (time, id)
                query["before_id"] = str(self.deep.pk)
            note = "?before= 指向档案约 90% 深处"
        elif "page" in query:
            per_page = len(set(re.findall(r'href="(/articles/\d+/)"', response.content.decode())))
            query["page"] = str(max(2, int(total * 0.9 / max(per_page, 1))))
            note = f"?page= 指向档案约 90% 深处（每页 {per_page} 篇）"
        else:
            return None, ""
        return urlunsplit(("", "", parts.path, urlencode(query), "")), note

    def same_format(self, value):
        """A value like `value` (a date, a date-time, an id or a timestamp) for the deep story."""
        when = self.deep.published_at
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return timezone.localdate(when).isoformat()
        if re.fullmatch(r"\d+", value):
            return str(int(when.timestamp())) if int(value) > 10**9 else str(self.deep.pk)
        try:
            datetime.fromisoformat(value)
            return timezone.localtime(when).isoformat()
        except ValueError:
            return timezone.localdate(when).isoformat()

    # --- Measuring ------------------------------------------------------------

    def measure(self, url, client):
        if url is None:
            return {"status": None, "missing": True}
        if not self.routed(url):
            return {"status": 404, "missing": True}
        counts, status, size = [], None, 0
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            counts.append(len(captured))
            status, size = response.status_code, len(response.content)
        return {"status": status, "missing": False, "queries_cold": counts[0],
                "queries": counts[1], "bytes": size}

"""manage.py bench_render: in-process costs `make bench` reports beside wrk's figures.

Used by bench/run.py, on a bench database (it changes nothing: each publish is
rolled back). Prints one JSON line:

- `post_publish`: for the front page, the top union body's page and a story, the
  median time of a warm uncached render (page cache off) and of the first render
  after a story is published (page cache on and warm before the publish, so
  everything that did not change may be reused), and their ratio;
- `admin`: the story list of the admin for the bench editor: median ms per request
  and its number of queries.

Times are medians of `--runs` requests through Django's test Client (no network).
"""

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, UnionBody
from demo import bench


class Rollback(Exception):
    pass


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


class Command(BaseCommand):
    help = "压测补充：发稿后首次渲染的代价、后台稿件列表的耗时与查询数（JSON 输出）。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=9)

    def handle(self, *args, runs, **options):
        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".")
        self.client = Client(HTTP_HOST=host)
        published = Article.objects.published().newest_first()
        story = published.filter(photo_links__is_lead=True)[5:6].first() or published[5]
        root = (UnionBody.objects.filter(slug=bench.SLUG_PREFIX + "bjzgh").first()
                or UnionBody.objects.filter(parent__isnull=True).first())
        pages = {"front": "/", "union": root.get_absolute_url(), "article": story.get_absolute_url()}
        # Unpublished stories to publish, one per run (every publish is rolled back).
        self.candidates = list(
            Article.objects.filter(status=Article.Status.DRAFT).order_by("-pk")[:runs]
        )
        result = {"post_publish": {key: self.post_publish(url, runs) for key, url in pages.items()},
                  "admin": self.admin(runs), "runs": runs}
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def post_publish(self, url, runs):
        for _ in range(3):  # warm: templates, connections, jieba, query plans
            self.client.get(url)
        with override_settings(PAGE_CACHE_ENABLED=False):
            uncached = statistics.median(timed(self.client, url) for _ in range(runs))
        after = []
        for draft in self.candidates[:runs]:
            self.client.get(url)  # the page cache (and whatever else it keeps) is warm
            try:
                with transaction.atomic():
                    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
                    draft.review_level = None
                    draft.save()  # bumps the content generation, as a publish does
                    after.append(timed(self.client, url))
                    raise Rollback
            except Rollback:
                pass
        first = statistics.median(after) if after else None
        return {"url": url, "uncached_ms": round(uncached, 2),
                "after_publish_ms": round(first, 2) if first else None,
                "ratio": round(first / uncached, 2) if first else None}

    def admin(self, runs):
        user = bench.bench_user()
        if user is None:
            return None
        client = Client(HTTP_HOST=self.client.defaults["HTTP_HOST"])
        client.force_login(user)
        url = "/admin/articles/article/"
        for _ in range(3):
            client.get(url)
        ms = statistics.median(timed(client, url) for _ in range(runs))
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return {"url": url, "ms": round(ms, 2), "queries": len(captured)}

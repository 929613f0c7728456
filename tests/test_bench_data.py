"""manage.py bench_data: a believable archive, quickly, and only where it belongs."""

import json
import math
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import (
    Article,
    ArticlePhoto,
    ArticleUnionBody,
    Byline,
    Photo,
    Reporter,
    SearchTerm,
    UnionBody,
)
from demo import bench

from .factories import make_article, make_union

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
N = 300


def bench_data(*args, **options):
    out = StringIO()
    call_command("bench_data", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def archive():
    return bench_data(articles=N)


def bench_bodies():
    return UnionBody.objects.filter(slug__startswith=bench.SLUG_PREFIX)


def test_fills_the_asked_number_of_stories_mostly_published(archive):
    assert Article.objects.count() == N
    counts = dict(Article.objects.order_by().values_list("status").annotate(n=Count("pk")))
    assert counts["published"] > 0.8 * N
    assert counts["draft"] > 0 and counts["review"] > 0
    assert Article.objects.scheduled().exists()
    assert Reporter.objects.count() == bench.REPORTER_COUNT
    assert "稿件 300" in archive and "用时" in archive


def test_stories_run_back_from_today_at_about_thirty_a_day(archive):
    published = Article.objects.published()
    newest = published.order_by("-published_at").first().published_at
    oldest = published.order_by("published_at").first().published_at
    assert timezone.now() - newest < timedelta(hours=6)
    assert timedelta(days=N / 30 - 1) < newest - oldest < timedelta(days=N / 30 + 1)


def test_union_tree_is_city_districts_streets_and_industries_enterprises(archive):
    root = UnionBody.objects.get(slug="bench-bjzgh")
    assert root.parent is None and root.kind == UnionBody.Kind.MUNICIPAL
    children = list(root.children.all())
    kinds = {body.kind for body in children}
    assert kinds == {UnionBody.Kind.DISTRICT, UnionBody.Kind.INDUSTRY}
    assert len(children) == len(bench.DISTRICTS) + len(bench.INDUSTRIES)
    for body in children:
        grandchildren = list(body.children.all())
        expected = UnionBody.Kind.STREET if body.kind == UnionBody.Kind.DISTRICT else UnionBody.Kind.ENTERPRISE
        assert grandchildren and {g.kind for g in grandchildren} == {expected}
        assert not UnionBody.objects.filter(parent__in=grandchildren).exists()
    assert 250 <= bench_bodies().count() <= 400
    assert sorted(UnionBody.objects.directory().subtree_ids(root)) == sorted(bench_bodies().values_list("pk", flat=True))


def test_every_story_has_a_byline_and_a_union_body_with_its_listing_time(archive):
    assert not Article.objects.filter(bylines__isnull=True).exists()
    assert not Article.objects.filter(union_links__isnull=True).exists()
    links = ArticleUnionBody.objects.all()
    published = links.filter(article__status=Article.Status.PUBLISHED)
    assert published.exists()
    assert not published.exclude(published_at=F("article__published_at")).exists()
    assert not links.exclude(article__status=Article.Status.PUBLISHED).filter(
        published_at__isnull=False).exists()
    # The same as Article.save() would have written.
    story = Article.objects.published().first()
    story.save()
    assert set(story.union_links.values_list("published_at", flat=True)) == {story.published_at}


def test_photos_are_real_files_shared_by_many_records(archive):
    placements = ArticlePhoto.objects.filter(is_lead=True)
    assert N * 0.1 < placements.count() < N * 0.4
    files = set(Photo.objects.values_list("image", flat=True))
    assert len(files) <= bench.PHOTO_FILES < Photo.objects.count()
    for name in files:
        assert (Path(settings.MEDIA_ROOT) / name).stat().st_size > 1000
    photographed = placements.first().article
    assert photographed.bylines.filter(role=Byline.Role.PHOTOGRAPHER).exists()


def test_story_text_is_chinese_and_searchable_for_union_words(archive):
    published = Article.objects.published()
    for word in ("工会", "职工", "集体协商"):
        assert published.filter(body__contains=word).count() > 10, word
    story = published.first()
    assert story.title and story.lead and story.body.startswith("<p>")


def test_inserting_stories_costs_a_few_queries_per_batch_not_one_per_story(archive):
    user = bench.bench_user()
    bodies = bench._union_tree()
    reporters = bench._reporters(None)
    photo_files = bench._photo_files()
    now = timezone.now()

    def queries_for(count):
        import random

        rng = random.Random(1)
        specs = [bench._story(i, now, bodies, reporters, photo_files, rng) for i in range(count)]
        postings = SearchTerm.objects.count()
        with CaptureQueriesContext(connection) as captured:
            bench.create_stories(specs, created_by=user)
        postings = SearchTerm.objects.count() - postings
        # The search postings (about a hundred a story) go in bulk INSERTs of as many
        # rows as the database takes at once (SQLite: its limit on parameters).
        per_insert = min(2000, connection.ops.bulk_batch_size(["term", "published_at", "article"], []) or 2000)
        return len(captured) - math.ceil(postings / per_insert)

    # Besides the postings: seven bulk INSERTs, one UPDATE of the listing times, one
    # read of the review setup's version, the union directory and the stories' union
    # links and bylines for their search terms (SQLite splits the big ones by its limit
    # on parameters): a few per batch, never one per story.
    assert queries_for(20) <= 11
    assert queries_for(400) <= 25


def test_bulk_stories_list_and_search_like_saved_ones(archive):
    """The bulk door keeps what Article.save() would: listing times and search entries."""
    from articles.models import ArticleUnionBody, SearchEntry

    for article in Article.objects.filter(created_by=bench.bench_user())[:50]:
        for link in article.union_links.all():
            assert link.published_at == article.listing_time
        assert SearchEntry.objects.get(article=article).published_at == article.listing_time
    assert not ArticleUnionBody.objects.filter(article__status="draft", published_at__isnull=False).exists()


def test_running_again_with_the_same_size_reuses_the_data(archive):
    before = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    out = bench_data(articles=N)
    assert "未重新生成" in out
    assert list(Article.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_a_different_size_needs_reset(archive):
    with pytest.raises(CommandError, match="--reset"):
        bench_data(articles=N + 10)
    bench_data(articles=120, reuse=True)
    assert Article.objects.count() == 120


def test_reset_regenerates_the_same_archive_every_time(archive):
    def snapshot():
        return {
            "titles": sorted(Article.objects.values_list("title", flat=True)),
            "bodies": sorted(bench_bodies().values_list("slug", "name", "parent__slug")),
            "counts": [m.objects.count() for m in (Article, Byline, ArticleUnionBody, Photo,
                                                   ArticlePhoto, Reporter, UnionBody)],
        }

    first = snapshot()
    bench_data(articles=N, reset=True)
    second = snapshot()
    bench_data(articles=N, reset=True)
    assert snapshot() == second == first


def test_reset_with_no_articles_only_wipes(archive):
    bench_data(articles=0, reset=True)
    assert not Article.objects.exists()
    assert not bench_bodies().exists() and not Reporter.objects.exists()
    assert not Photo.objects.exists()


def test_refuses_a_database_with_other_content_without_force():
    real = make_article("真实稿件", unions=[make_union("真实工会")])
    with pytest.raises(CommandError, match="--force"):
        bench_data(articles=50)
    assert Article.objects.count() == 1

    bench_data(articles=50, force=True)
    assert Article.objects.count() == 51
    bench_data(articles=0, reset=True, force=True)
    assert list(Article.objects.all()) == [real]
    assert UnionBody.objects.get().name == "真实工会"


def test_force_beside_a_body_of_the_same_name_keeps_both():
    make_union("北京市总工会", slug="bjzgh")
    bench_data(articles=30, force=True)
    assert UnionBody.objects.get(slug="bench-bjzgh").name == "北京市总工会（压测）"


def test_probe_reports_existing_pages_and_marks_missing_ones(archive):
    out = StringIO()
    call_command("bench_probe", stdout=out)
    probe = json.loads(out.getvalue())
    pages = probe["pages"]
    assert pages["healthz"]["queries"] == 0 and pages["healthz"]["status"] == 200
    for key in ("front", "union", "article", "admin", "api_list", "api_story"):
        assert pages[key]["status"] == 200 and not pages[key]["missing"], key
        assert pages[key]["queries_cold"] > 0, (key, pages[key])
    assert pages["union"]["url"] == "/unions/bench-bjzgh/"
    for key, page in pages.items():
        assert page["missing"] == (page["status"] in (None, 404)), key
    assert probe["cookie"].startswith(settings.SESSION_COOKIE_NAME + "=")


def test_probe_finds_a_top_union_body_without_the_bench_one(archive):
    """The fallback once called UnionBody.objects.roots(), removed in a restructure."""
    UnionBody.objects.filter(slug="bench-bjzgh").update(slug="city")
    out = StringIO()
    call_command("bench_probe", stdout=out)
    assert json.loads(out.getvalue())["pages"]["union"]["url"] == "/unions/city/"


def test_render_probe_reports_post_publish_cost_and_the_admin_list(archive):
    published = Article.objects.published().count()
    out = StringIO()
    call_command("bench_render", "--runs", "2", stdout=out)
    result = json.loads(out.getvalue())
    for key in ("front", "union", "article"):
        page = result["post_publish"][key]
        assert page["uncached_ms"] > 0 and page["after_publish_ms"] > 0, key
        assert page["ratio"] == pytest.approx(page["after_publish_ms"] / page["uncached_ms"], abs=0.01)
    assert result["admin"]["url"] == "/admin/articles/article/" and result["admin"]["queries"] > 5
    assert Article.objects.published().count() == published  # every publish was rolled back


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    """The benchmark's ceiling: the whole stack, no database."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.parametrize("value, expected", [(None, "True"), ("1", "True"), ("0", "False")])
def test_page_cache_setting_comes_from_the_environment(value, expected):
    environ = {k: v for k, v in os.environ.items() if k != "NEWSROOM_PAGE_CACHE"}
    if value is not None:
        environ["NEWSROOM_PAGE_CACHE"] = value
    code = "import django; from django.conf import settings; django.setup(); print(settings.PAGE_CACHE_ENABLED)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"})
    assert result.stdout.strip() == expected, result.stderr


def test_report_table_shows_missing_pages_and_growth():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)

    def page(label, rps, p95, missing=False):
        if missing:
            return {"label": label, "url": "/search/?q=x", "note": "", "missing": True, "status": 404}
        return {"label": label, "url": "/", "note": "", "missing": False, "status": 200,
                "live_status": 200, "queries": 3, "ratio_to_ceiling": rps / 1000,
                "wrk": {"rps": rps, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2,
                        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}}}

    def size(n, p95):
        pages = {"healthz": page("/healthz", 1000, 1.0), "front": page("首页", 100, p95),
                 "search": page("搜索", 0, 0, missing=True)}
        post = {k: {"uncached_ms": 10.0, "after_publish_ms": 12.0, "ratio": 1.2}
                for k in ("front", "union", "article")}
        return {"size": n, "database": f"db{n}",
                "modes": {m: {"pages": pages} for m in ("cache_on", "cache_off")},
                "render": {"post_publish": post, "admin": {"ms": 41.5, "queries": 13}},
                "memory": {"workers": [{"pid": 1, "rss_mib_at_2000": 80.2, "rss_mib_at_10000": 80.9}]}}

    results = {"machine": {"date": "d", "nproc": 2, "cpu": "cpu", "memory_gib": 4,
                           "postgresql": "15", "python": "3.11", "wrk": "wrk 4", "commit": "c",
                           "load": {"threads": 2, "connections": 8, "duration_s": 5,
                                    "gunicorn_workers": 2}},
               "runs": [size(10_000, 10.0), size(100_000, 30.0)]}
    table = run.markdown(results)
    assert "| 首页 | `/` | 100 | 5.0 / 10.0 / 20.0 | 10% | 3 |" in table
    assert "| 搜索 | `/search/?q=x` | **missing** |" in table
    assert "| 首页 | 3.00× | 3.00× |" in table
    assert "| 搜索 | missing | missing |" in table
    assert ("| 100,000 | 12.0 / 10.0 ms = 1.20× | 12.0 / 10.0 ms = 1.20× | 12.0 / 10.0 ms = 1.20× "
            "| 41.5 (13) | 80 → 81 |") in table


def probe(settings, urlconf):
    settings.ROOT_URLCONF = urlconf
    out = StringIO()
    call_command("bench_probe", stdout=out)
    return json.loads(out.getvalue())["pages"]


def deep_story():
    published = Article.objects.published().newest_first()
    return published[int(published.count() * 0.9)]


def test_probe_pushes_the_union_pages_before_link_deep_into_the_archive(archive, settings):
    from .bench_urls import Before

    pages = probe(settings, Before)
    deep_day = timezone.localdate(deep_story().published_at)
    assert pages["union_old"]["url"] == f"/unions/bench-bjzgh/?before={deep_day}&view=list"
    assert pages["union_old"]["status"] == 200 and "before" in pages["union_old"]["note"]
    newest = Article.objects.published().newest_first().first()
    yesterday = timezone.localdate(newest.published_at) - timedelta(days=1)
    assert pages["day"]["url"] == f"/archive/{yesterday:%Y/%m/%d}/"
    assert pages["day"]["status"] == 200


def test_probe_pushes_a_page_link_to_a_deep_page(archive, settings):
    from .bench_urls import Page

    pages = probe(settings, Page)
    deep_page = int(Article.objects.published().count() * 0.9 / 20)
    assert pages["union_old"]["url"] == f"/unions/bench-bjzgh/?page={deep_page}"


def test_probe_falls_back_to_a_deep_day_archive(archive, settings):
    from .bench_urls import NoOlderLink

    pages = probe(settings, NoOlderLink)
    deep_day = timezone.localdate(deep_story().published_at)
    assert pages["union_old"]["url"] == f"/archive/{deep_day:%Y/%m/%d}/"


def test_per_day_packs_the_archive_into_fewer_days():
    bench_data(articles=N, per_day=100)
    published = Article.objects.published()
    span = (published.order_by("-published_at").first().published_at
            - published.order_by("published_at").first().published_at)
    assert timedelta(days=N / 100 - 1) < span < timedelta(days=N / 100 + 1)

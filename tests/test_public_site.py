"""The public website: every URL, only published stories, constant queries, trustworthy caching."""

import json
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import jinja2
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import articles.search.index  # noqa: F401
from articles import search
from articles.models import Article, SearchEntry
from articles.public import cache as public_cache

from .factories import make_article, make_photo, make_reporter, make_union

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def local(*args):
    """An aware datetime in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(*args))


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Front page -------------------------------------------------------------------


class TestFrontPage:
    def test_lists_latest_stories_grouped_by_day(self, client):
        make_article("今天的稿件", published_at=NOW - timedelta(minutes=5))
        make_article("上周的稿件", published_at=NOW - timedelta(days=7))
        page = text(client.get("/"))
        assert page.index("今天的稿件") < page.index("上周的稿件")
        assert page.count('class="day__date"') == 2

    def test_shows_union_bodies_with_recent_activity(self, client, tree):
        city, chaoyang, aoyuncun, changping = tree
        make_article(unions=[aoyuncun])
        make_article(unions=[changping], published_at=NOW - timedelta(days=90))
        page = text(client.get("/"))
        aside = page[page.index("近期活跃的工会"):]
        assert "奥运村街道总工会" in aside and "昌平区总工会" not in aside

    def test_query_count_is_the_same_for_5_and_25_stories(self, client, django_assert_num_queries):
        """Stories, their union bodies, photo news, both lists' lead photos in one query,
        active unions, next schedule: 6 (a list shows no byline: for_listings())."""
        body, reporter = make_union(), make_reporter()
        for count in (5, 20):
            for _ in range(count):
                make_article(unions=[body], reporters=[reporter], photos=[make_photo()])
            cache.clear()
            with django_assert_num_queries(6):
                assert client.get("/").status_code == 200

    def test_older_stories_page_by_keyset_not_offset(self, client):
        for i in range(25):
            make_article(f"稿件{i:02d}", published_at=NOW - timedelta(hours=i))
        first = text(client.get("/"))
        assert "稿件00" in first and "稿件19" in first and "稿件20" not in first
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', first).group(1)
        with CaptureQueriesContext(connection) as queries:
            second = text(client.get("/" + older.replace("&amp;", "&")))
        assert "稿件20" in second and "稿件24" in second and "稿件19" not in second
        assert 'rel="next"' not in second
        sql = [q["sql"] for q in queries.captured_queries]
        assert not [q for q in sql if re.search(r"\bOFFSET\b", q, re.I)]
        # The page of stories starts below the cursor: a bound on the publication time.
        assert [q for q in sql if re.search(r'"published_at" <=? ', q) and re.search(r"\bLIMIT 21\b", q)]

    def test_keyset_keeps_stories_that_share_a_publication_time(self, client):
        same_time = NOW - timedelta(hours=3)
        titles = {make_article(f"同一时刻{i:02d}", published_at=same_time).title for i in range(23)}
        first = text(client.get("/"))
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
        second = text(client.get("/" + older))
        shown = {t for t in titles if t in first} | {t for t in titles if t in second}
        assert shown == titles

    @pytest.mark.parametrize("before", ["yesterday", "2025-13-45T99:00", "", "' OR 1=1 --"])
    def test_bad_cursor_shows_the_first_page(self, client, before):
        make_article("最新的稿件")
        assert "最新的稿件" in text(client.get("/", {"before": before, "before_id": "x"}))


# --- Union bodies -----------------------------------------------------------------


class TestUnionPages:
    def test_tree_lists_bodies_under_their_parents(self, client, tree):
        make_union("已停用的工会", parent=tree[0], is_active=False)
        page = text(client.get("/unions/"))
        assert page.index("北京市总工会") < page.index("朝阳区总工会") < page.index("奥运村街道总工会")
        assert '--depth: 2"><a href="/unions/aoyuncun/"' in page
        assert "已停用的工会" not in page

    def test_body_page_includes_sub_bodies_stories(self, client, tree):
        city, chaoyang, aoyuncun, changping = tree
        make_article("朝阳的稿件", unions=[chaoyang])
        make_article("奥运村的稿件", unions=[aoyuncun])
        make_article("昌平的稿件", unions=[changping])
        make_article("朝阳的草稿", unions=[chaoyang], status=Article.Status.DRAFT)
        make_article("朝阳的定时稿件", unions=[chaoyang], published_at=NOW + timedelta(hours=2))
        page = text(client.get("/unions/chaoyang/"))
        assert "朝阳的稿件" in page and "奥运村的稿件" in page
        for hidden in ("昌平的稿件", "朝阳的草稿", "朝阳的定时稿件"):
            assert hidden not in page

    def test_story_in_two_bodies_of_the_subtree_is_listed_once(self, client, tree):
        city, chaoyang, aoyuncun, _ = tree
        make_article("两个工会的稿件", unions=[chaoyang, aoyuncun])
        assert text(client.get("/unions/bjzgh/")).count("两个工会的稿件") == 1

    def test_breadcrumbs_go_up_the_tree_and_sub_bodies_are_linked(self, client, tree):
        page = text(client.get("/unions/chaoyang/"))
        start = page.index('class="breadcrumbs"')
        crumbs = page[start:page.index("</nav>", start)]
        assert 'href="/unions/bjzgh/"' in crumbs and "朝阳区总工会" in crumbs
        assert 'href="/unions/aoyuncun/"' in page[page.index('class="sub-bodies"'):]

    def test_stories_are_grouped_by_day(self, client, tree):
        make_article(unions=[tree[1]], published_at=local(2025, 6, 3, 9))
        make_article(unions=[tree[1]], published_at=local(2025, 6, 3, 15))
        make_article(unions=[tree[1]], published_at=local(2025, 6, 1, 10))
        page = text(client.get("/unions/chaoyang/"))
        assert page.count('class="day__date"') == 2
        assert "2025年6月3日" in page and "2025年6月1日" in page

    def test_query_count_does_not_grow_with_stories_or_depth(self, client, tree, django_assert_num_queries):
        """Directory, page of link ids, stories + 2 prefetches, next schedule: 6 queries."""
        for count in (3, 25):
            for i in range(count):
                make_article(unions=[tree[2] if i % 2 else tree[1]], reporters=[make_reporter()])
            cache.clear()
            with django_assert_num_queries(6):
                assert client.get("/unions/bjzgh/").status_code == 200

    def test_older_stories_link_pages_through_the_body(self, client, tree):
        for i in range(23):
            make_article(f"朝阳稿件{i:02d}", unions=[tree[2]], published_at=NOW - timedelta(hours=i))
        first = text(client.get("/unions/chaoyang/"))
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
        second = text(client.get("/unions/chaoyang/" + older))
        assert "朝阳稿件19" in first and "朝阳稿件20" in second and "朝阳稿件19" not in second

    def test_unknown_body_is_not_found_in_chinese(self, client):
        response = client.get("/unions/no-such-body/")
        assert response.status_code == 404 and "页面不存在" in response.content.decode()


# --- Date archives ----------------------------------------------------------------


@pytest.fixture
def june():
    """Stories on 2025-06-02 and 06-05 (Beijing time); 06-03 has only a draft."""
    return {
        "early": make_article("六月二日早", published_at=local(2025, 6, 2, 0, 30)),
        "late": make_article("六月二日晚", published_at=local(2025, 6, 2, 23, 30)),
        "fifth": make_article("六月五日", published_at=local(2025, 6, 5, 9)),
        "draft": make_article("六月三日草稿", status=Article.Status.DRAFT,
                              published_at=local(2025, 6, 3, 9)),
        "may": make_article("五月的稿件", published_at=local(2025, 5, 20, 9)),
    }


class TestArchives:
    def test_index_lists_years_from_the_first_story(self, client, june):
        page = text(client.get("/archive/"))
        assert 'href="/archive/2025/"' in page and f'href="/archive/{timezone.localdate().year}/"' in page

    def test_year_lists_its_months_with_counts(self, client, june):
        page = text(client.get("/archive/2025/"))
        assert 'href="/archive/2025/06/"' in page and 'href="/archive/2025/05/"' in page
        assert re.search(r"6月</a> <span class=\"count\">3篇", page)

    def test_month_lists_its_days_with_headlines(self, client, june):
        page = text(client.get("/archive/2025/06/"))
        assert 'href="/archive/2025/06/02/"' in page and 'href="/archive/2025/06/05/"' in page
        assert "六月二日早" in page and "六月五日" in page
        assert "六月三日草稿" not in page and "/archive/2025/06/03/" not in page

    def test_day_uses_beijing_time(self, client, june):
        page = text(client.get("/archive/2025/06/02/"))
        assert "六月二日早" in page and "六月二日晚" in page and "六月五日" not in page

    def test_day_links_skip_empty_days(self, client, june):
        page = text(client.get("/archive/2025/06/02/"))
        assert 'href="/archive/2025/06/05/"' in page  # 06-03 holds only a draft
        assert 'href="/archive/2025/05/20/"' in page

    @pytest.mark.parametrize("url", ["/archive/2025/06/03/", "/archive/2025/07/", "/archive/1999/"])
    def test_empty_dates_are_not_found(self, client, june, url):
        assert client.get(url).status_code == 404

    def test_future_dated_story_does_not_make_a_day(self, client):
        make_article("明天见报", published_at=NOW + timedelta(days=1))
        tomorrow = timezone.localdate() + timedelta(days=1)
        assert client.get(f"/archive/{tomorrow:%Y/%m/%d}/").status_code == 404

    @pytest.mark.parametrize("url,queries", [
        # months + counts + previous/next year + next schedule
        ("/archive/2025/", 5),
        # days + stories + previous/next month + next schedule
        ("/archive/2025/06/", 5),
        # stories + 3 prefetches + previous/next day + next schedule
        ("/archive/2025/06/02/", 7),
    ])
    def test_query_count_does_not_grow_with_stories(self, client, june, url, queries,
                                                    django_assert_num_queries):
        for extra in (0, 15):
            for i in range(extra):
                make_article(published_at=local(2025, 6, 2, 12, i), reporters=[make_reporter()])
            cache.clear()
            with django_assert_num_queries(queries):
                assert client.get(url).status_code == 200


# --- Reporters ----------------------------------------------------------------------


def test_reporter_page_lists_published_work_only(client, django_assert_num_queries):
    reporter = make_reporter("周美玉", slug="zhou-meiyu")
    make_article("她的稿件", reporters=[reporter])
    make_article("她的定时稿件", reporters=[reporter], published_at=NOW + timedelta(hours=1))
    make_article("别人的稿件", reporters=[make_reporter()])
    with django_assert_num_queries(5):  # reporter, stories, 2 prefetches, next schedule
        page = text(client.get("/reporters/zhou-meiyu/"))
    assert "她的稿件" in page and "她的定时稿件" not in page and "别人的稿件" not in page


def test_unknown_reporter_is_not_found(client):
    assert client.get("/reporters/nobody/").status_code == 404


# --- A story ------------------------------------------------------------------------


class TestArticlePage:
    @pytest.fixture
    def story(self, tree):
        photographer = make_reporter("边磊", role="photographer")
        photo = make_photo(caption="职工在竞赛现场", credit_reporter=photographer, alt_text="竞赛现场")
        story = make_article(
            "石景山区总工会举办集体协商竞赛", kicker="以赛促学", subtitle="十支队伍同台比拼",
            lead="近日，竞赛在石景山举行。", body="<p>正文第一段</p>", unions=[tree[1]],
            reporters=[make_reporter("张晶", slug="zhang-jing")], photos=[photo],
        )
        return story

    def test_shows_kicker_headline_subtitle_and_the_printed_byline(self, client, story):
        page = text(client.get(story.get_absolute_url()))
        assert '<p class="story__kicker">以赛促学</p>' in page
        assert '<h1 class="story__title">石景山区总工会举办集体协商竞赛</h1>' in page
        assert "十支队伍同台比拼" in page and "正文第一段" in page
        assert '<strong>本报讯</strong>（记者 张晶）</span>近日，竞赛在石景山举行。' in page

    def test_shows_union_links_photo_caption_and_credit(self, client, story):
        page = text(client.get(story.get_absolute_url()))
        assert 'href="/unions/chaoyang/"' in page and 'href="/reporters/zhang-jing/"' in page
        assert 'alt="竞赛现场"' in page and 'loading="lazy"' in page
        assert "职工在竞赛现场" in page and "边磊 摄" in page

    def test_lists_related_stories_of_the_same_union_bodies(self, client, story, tree):
        make_article("朝阳的另一篇", unions=[tree[1]])
        make_article("昌平的稿件", unions=[tree[3]])
        make_article("朝阳的草稿", unions=[tree[1]], status=Article.Status.DRAFT)
        related = text(client.get(story.get_absolute_url())).split("相关报道")[1]
        assert "朝阳的另一篇" in related and "昌平的稿件" not in related and "朝阳的草稿" not in related

    def test_has_canonical_open_graph_and_news_article_json_ld(self, client, story):
        page = text(client.get(story.get_absolute_url()))
        url = f"http://testserver/articles/{story.pk}/"
        assert f'<link rel="canonical" href="{url}">' in page
        assert '<meta property="og:title" content="石景山区总工会举办集体协商竞赛">' in page
        assert '<meta property="og:image" content="http://testserver/media/photos/' in page
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
        assert data["@type"] == "NewsArticle" and data["headline"] == story.title
        assert data["author"][0]["name"] == "张晶" and data["mainEntityOfPage"] == url

    def test_json_ld_cannot_close_its_script_tag(self, client):
        story = make_article("标题</script><script>alert(1)</script>")
        page = text(client.get(story.get_absolute_url()))
        assert "<script>alert(1)" not in page

    def test_query_count(self, client, story, tree, django_assert_num_queries):
        """Story, union bodies, bylines, photos, public corrections, sign-offs and corrections
        (责任编辑, 更新), the newest links of its union bodies and those stories (related),
        next schedule: 9, however many."""
        for i in range(12):
            make_article(f"朝阳的稿件{i}", unions=[tree[1]])
        with django_assert_num_queries(9):
            page = text(client.get(story.get_absolute_url()))
        assert page.split("相关报道")[1].count("朝阳的稿件") == 5


# --- Search -------------------------------------------------------------------------


class TestSearch:
    @pytest.fixture
    def stories(self):
        return {
            "xieshang": make_article(
                "朝阳区总工会开展集体协商培训", lead="工会干部学习工资集体协商。",
                published_at=NOW - timedelta(days=3)),
            "mention": make_article(
                "职工技能竞赛举行", body="<p>竞赛之后，工会还将开展集体协商。</p>",
                published_at=NOW - timedelta(hours=1)),
            "jijiu": make_article(
                "朝外街道举办职工急救技能培训", body="<p>学员练习心肺复苏。</p>"),
            "draft": make_article("集体协商草稿", status=Article.Status.DRAFT),
            "future": make_article("集体协商定时稿", published_at=NOW + timedelta(hours=1)),
        }

    def results(self, client, query):
        page = text(client.get("/search/", {"q": query}))
        return re.findall(r'<h2 class="item__title"><a href="/articles/(\d+)/">', page), page

    def test_title_hit_ranks_first_and_body_hit_follows(self, client, stories):
        ids, _ = self.results(client, "集体协商")
        assert ids == [str(stories["xieshang"].pk), str(stories["mention"].pk)]

    def test_finds_words_not_substrings(self, client, stories):
        ids, _ = self.results(client, "急救培训")
        assert ids[0] == str(stories["jijiu"].pk)
        assert str(stories["xieshang"].pk) not in ids  # 培训 alone is not enough: every word must match

    def test_two_character_words_are_found(self, client, stories):
        ids, _ = self.results(client, "职工")
        assert set(ids) == {str(stories["mention"].pk), str(stories["jijiu"].pk)}

    def test_query_is_highlighted(self, client, stories):
        _, page = self.results(client, "集体协商")
        assert "<mark>集体协商</mark>培训" in page

    def test_unpublished_stories_are_never_found(self, client, stories):
        _, page = self.results(client, "集体协商")
        assert "草稿" not in page and "定时稿" not in page

    @pytest.mark.parametrize("query", ["", "   ", "。，！", "' & | ! :* ()", "a" * 500, "<script>"])
    def test_odd_queries_do_not_crash(self, client, stories, query):
        assert client.get("/search/", {"q": query}).status_code == 200

    def test_no_results_says_so_in_chinese(self, client, stories):
        assert "没有找到" in text(client.get("/search/", {"q": "航天飞机"}))

    def test_index_follows_every_save(self, client, stories):
        story = stories["jijiu"]
        story.title = "朝外街道举办消防演练"
        story.save()
        assert self.results(client, "急救培训")[0] == []
        assert self.results(client, "消防演练")[0] == [str(story.pk)]

    def test_rebuild_command_restores_the_index(self, client, stories):
        SearchEntry.objects.all().delete()
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
        assert self.results(client, "急救")[0] == [str(stories["jijiu"].pk)]

    def test_tokenizer_loads_once(self):
        assert search.index.tokenizer() is search.index.tokenizer()

    def test_query_count(self, client, stories, django_assert_num_queries):
        """A fixed number, however many stories match: the union directory (the form's
        choices, short names, facets), the two words' capped counts (which drives), the
        heading hits' and the text hits' index scans, the page's stories and their union
        bodies, the facets' sample (the index scan as a subquery, checked against
        published(), with their union links; the count from the index alone rides along
        as a scalar subquery), the next schedule: 8."""
        with django_assert_num_queries(8):
            client.get("/search/", {"q": "集体协商"})


# --- Feeds, sitemap, robots -------------------------------------------------------------


class TestFeedsAndSitemaps:
    def test_latest_feed_holds_published_stories_only(self, client):
        make_article("已发布")
        make_article("定时", published_at=NOW + timedelta(hours=1))
        make_article("草稿", status=Article.Status.DRAFT)
        titles = [i.findtext("title") for i in ElementTree.fromstring(client.get("/feeds/latest/").content).iter("item")]
        assert titles == ["已发布"]

    def test_atom_feed(self, client):
        make_article("原子稿件")
        assert "原子稿件" in text(client.get("/feeds/latest/atom/"))

    def test_union_feed_includes_sub_bodies(self, client, tree):
        make_article("奥运村", unions=[tree[2]])
        make_article("昌平", unions=[tree[3]])
        feed = text(client.get("/feeds/unions/chaoyang/"))
        assert "奥运村" in feed and "<title>昌平</title>" not in feed
        assert client.get("/feeds/unions/nope/").status_code == 404

    def test_sitemap_index_and_sections(self, client, tree):
        recent = make_article("最近的稿件")
        old = make_article("旧稿件", published_at=NOW - timedelta(days=10))
        hidden = make_article("定时", published_at=NOW + timedelta(hours=1))
        index = text(client.get("/sitemap.xml"))
        assert "http://testserver/sitemap-articles.xml" in index
        articles = text(client.get("/sitemap-articles.xml"))
        assert f"/articles/{old.pk}/" in articles and f"/articles/{hidden.pk}/" not in articles
        news = text(client.get("/sitemap-news.xml"))
        assert f"/articles/{recent.pk}/" in news and "<news:title>最近的稿件</news:title>" in news
        assert f"/articles/{old.pk}/" not in news
        assert "/unions/chaoyang/" in text(client.get("/sitemap-unions.xml"))

    def test_sitemap_index_dates_come_from_one_aggregate_not_every_story(
            self, client, django_assert_max_num_queries):
        for _ in range(30):
            make_article()
        with django_assert_max_num_queries(8) as captured:  # per section: count, latest; schedule
            index = text(client.get("/sitemap.xml"))
        article_selects = [q["sql"] for q in captured.captured_queries
                           if q["sql"].startswith('SELECT "articles_article"."id"')]
        assert article_selects == []  # Django's default would load every story for <lastmod>
        assert "<lastmod>" in index

    def test_robots_txt_points_to_the_sitemap(self, client):
        body = text(client.get("/robots.txt"))
        assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


# --- Caching -------------------------------------------------------------------------


class TestCaching:
    def test_second_view_is_served_from_the_cache(self, client, django_assert_num_queries):
        make_article("缓存的稿件")
        first = client.get("/")
        with django_assert_num_queries(0):
            second = client.get("/")
        assert second.content == first.content and second["ETag"] == first["ETag"]
        assert second["Cache-Control"] == "public, max-age=0, must-revalidate"

    def test_conditional_request_gets_304(self, client):
        make_article()
        etag = client.get("/")["ETag"]
        assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get("/", HTTP_IF_NONE_MATCH='"other"').status_code == 200

    @pytest.mark.parametrize("url", ["/", "/unions/chaoyang/", "/feeds/latest/", "/sitemap-articles.xml",
                                     "/search/?q=协商", "ARTICLE"])
    def test_withdrawing_a_story_removes_it_everywhere_at_once(self, client, tree, url):
        story = make_article("协商稿件", unions=[tree[1]])
        url = story.get_absolute_url() if url == "ARTICLE" else url
        needle = f"/articles/{story.pk}/" if "sitemap" in url or "search" in url else "协商稿件"
        assert needle in text(client.get(url))
        story.status = Article.Status.DRAFT  # withdrawn: a plain save, no workflow
        story.save()
        response = client.get(url)
        assert response.status_code == 404 or needle not in response.content.decode()

    def test_publishing_a_story_shows_it_at_once(self, client, tree):
        story = make_article("待发布的稿件", unions=[tree[1]], status=Article.Status.REVIEW)
        assert "待发布的稿件" not in text(client.get("/unions/bjzgh/"))
        story.status, story.published_at = Article.Status.PUBLISHED, NOW - timedelta(minutes=1)
        story.review_level = None
        story.save()
        assert "待发布的稿件" in text(client.get("/unions/bjzgh/"))

    def test_a_correction_shows_at_once(self, client):
        story = make_article("错字标题")
        assert "错字标题" in text(client.get(story.get_absolute_url()))
        story.title = "更正后的标题"
        story.save()
        assert "更正后的标题" in text(client.get(story.get_absolute_url()))

    def test_renaming_a_union_body_refreshes_pages(self, client, tree):
        make_article(unions=[tree[1]])
        assert "朝阳区总工会" in text(client.get("/unions/"))
        tree[1].name = "朝阳区工会联合会"
        tree[1].save()
        assert "朝阳区工会联合会" in text(client.get("/unions/"))

    def test_adding_a_byline_after_saving_refreshes_the_page(self, client):
        story = make_article()
        text(client.get(story.get_absolute_url()))
        make_reporter("马超").bylines.create(article=story)
        assert "记者 马超" in text(client.get(story.get_absolute_url()))

    def test_cache_lifetime_ends_when_the_next_scheduled_story_is_due(self, settings):
        settings.PUBLIC_CACHE_TIMEOUT = 600
        assert public_cache.cache_timeout() == 600
        make_article("两分钟后", published_at=timezone.now() + timedelta(minutes=2))
        public_cache.bump_generation()  # the factory saved it; explicit for clarity
        assert 100 < public_cache.cache_timeout() <= 120

    def test_caching_resumes_after_a_scheduled_story_is_due(self, monkeypatch, settings):
        now = timezone.now()
        make_article("定时稿件", published_at=now + timedelta(seconds=30))
        make_article("明天的稿件", published_at=now + timedelta(days=1))
        assert public_cache.cache_timeout() <= 30
        monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=1))
        assert public_cache.cache_timeout() == settings.PUBLIC_CACHE_TIMEOUT

    def test_a_scheduled_story_appears_when_due_without_a_save(self, client, monkeypatch,
                                                               django_assert_num_queries):
        now = timezone.now()
        story = make_article("定时稿件", published_at=now + timedelta(seconds=30))
        assert "定时稿件" not in text(client.get("/"))
        with django_assert_num_queries(0):  # the page is in the cache
            assert "定时稿件" not in text(client.get("/"))
        # Time passes on Django's clock; nothing is saved and the cache is left alone.
        monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=1))
        assert "定时稿件" in text(client.get("/"))
        assert story.is_published()

    def test_staff_are_never_served_from_or_stored_in_the_cache(self, client, editor):
        reader = Client()
        make_article("旧标题的稿件")
        assert "旧标题的稿件" in text(reader.get("/"))  # cached for readers
        client.force_login(editor)
        generation = public_cache.generation()
        Article.objects.update(title="只改数据库的标题")  # bypasses save(): readers keep the cached page
        assert public_cache.generation() == generation

        # Not served from the cache: staff see the database as it is, marked private.
        response = client.get("/")
        assert "只改数据库的标题" in text(response)
        assert response["Cache-Control"] == "private, no-store"
        # Not stored: readers are still answered from the entry cached before.
        assert "旧标题的稿件" in text(reader.get("/"))

        # With no entry at all, a staff visit leaves none behind for readers.
        public_cache.bump_generation()
        assert "只改数据库的标题" in text(client.get("/"))
        Article.objects.update(title="再改一次的标题")
        assert "再改一次的标题" in text(reader.get("/"))


    @pytest.mark.parametrize("stray", ["?utm_source=wx&x=8c1f2e", "?before_id=&zz=1"])
    def test_a_stray_query_string_is_served_from_the_cache(self, client, stray,
                                                          django_assert_num_queries):
        """Only the parameters a page reads make a different page (issue 16, point 11)."""
        make_article("查询串的稿件")
        first = client.get("/")
        with django_assert_num_queries(0):
            hit = client.get("/" + stray)
        assert hit.content == first.content
        # The search page keys on its own parameters, in any order, and nothing else.
        found = client.get("/search/?q=查询串&page=1")
        with django_assert_num_queries(0):
            assert client.get("/search/?page=1&q=查询串&utm_source=share").content == found.content
        sitemap = client.get("/sitemap-articles.xml").content
        with django_assert_num_queries(0):
            assert client.get("/sitemap-articles.xml?x=1").content == sitemap

    def test_a_view_never_sees_parameters_the_key_does_not_hold(self, rf):
        """What the view cannot see cannot leak into the cached page (no cache poisoning)."""
        def echo(request):
            return HttpResponse(f"{request.GET.urlencode()}|{request.get_full_path()}")

        view = public_cache.cached_public(echo, params=("a", "b"))
        response = view(rf.get("/echo/?evil=%3Cb%3E&b=2&a=1&a=&b=3"))
        assert response.content.decode() == "a=1&b=2&b=3|/echo/?a=1&b=2&b=3"

    def test_a_stray_cookie_never_skips_the_cache(self, client, django_assert_max_num_queries):
        """A reader with a made-up or stale session cookie, or any other cookie, gets the
        cached page: at most one session read, never a render (issue 16, point 11)."""
        make_article("带饼干的稿件")
        first = client.get("/")
        reader = Client()
        reader.cookies["sessionid"] = "x" * 32  # no such session
        reader.cookies["_ga"] = "GA1.2.3"
        with django_assert_max_num_queries(1):
            hit = reader.get("/")
        assert hit.content == first.content and hit["Cache-Control"] == first["Cache-Control"]

    def test_a_signed_out_session_is_a_reader(self, client, editor, django_assert_max_num_queries):
        make_article("登出后的稿件")
        cached = client.get("/").content
        staff = Client()
        staff.force_login(editor)
        cookie = staff.cookies["sessionid"].value
        staff.logout()
        reader = Client()
        reader.cookies["sessionid"] = cookie
        with django_assert_max_num_queries(1):
            assert reader.get("/").content == cached


    def test_a_hit_is_one_cache_round_trip(self, client, monkeypatch):
        """The generation and the page come back together (one MGET on Redis)."""
        make_article("一次往返的稿件")
        first = client.get("/")
        calls, depth = [], [0]

        def counted(name, real):
            def call(*args, **kwargs):  # outermost calls only (local memory's get_many calls get)
                if not depth[0]:
                    calls.append(name)
                depth[0] += 1
                try:
                    return real(*args, **kwargs)
                finally:
                    depth[0] -= 1
            return call

        for name in ("get", "get_many", "set", "add", "incr"):
            monkeypatch.setattr(public_cache.cache, name, counted(name, getattr(public_cache.cache, name)))
        assert client.get("/").content == first.content
        assert calls == ["get_many"]

    def test_a_stale_entry_is_never_served_after_a_bump(self, client, django_assert_num_queries):
        story = make_article("会被撤回的稿件")
        assert "会被撤回的稿件" in text(client.get("/"))
        Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
        public_cache.bump_generation()
        assert "会被撤回的稿件" not in text(client.get("/"))
        with django_assert_num_queries(0):  # the fresh page replaced the stale entry
            assert "会被撤回的稿件" not in text(client.get("/"))


@pytest.fixture
def item_renders(monkeypatch):
    """How many list items were rendered since the last call (fragments.attach_items
    renders each missing item on its own; the Jinja2 template's render counts them)."""
    names = []
    real = jinja2.Template.render

    def render(self, *args, **kwargs):
        names.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)

    def renders_since():
        count = names.count("articles/_article_item.html")
        names.clear()
        return count
    return renders_since


class TestStoryItemFragments:
    """After a publish only the new story's list item is rendered (articles/public/fragments.py)."""

    def test_a_publish_renders_only_the_new_story_again(self, client, tree, item_renders):
        for i in range(6):
            make_article(f"旧稿件{i}", unions=[tree[1]], photos=[make_photo()])
        item_renders()
        client.get("/unions/bjzgh/")
        assert item_renders() == 6
        make_article("新发布的稿件", unions=[tree[1]])  # a save: the generation moves
        after = client.get("/unions/bjzgh/")
        assert "新发布的稿件" in text(after) and item_renders() == 1
        client.get("/")
        assert item_renders() == 0  # the front page's items are the same ones

    def test_pages_are_the_same_with_and_without_item_fragments(self, client, tree, settings):
        for i in range(4):
            make_article(f"稿件{i}", kicker="引题", subtitle="副题", unions=[tree[1]], photos=[make_photo()])
        client.get("/")
        cached_items = client.get("/?before_id=")  # served from items (and the page cache)
        settings.PAGE_CACHE_ENABLED = False
        assert client.get("/").content == cached_items.content

    @pytest.mark.parametrize("change", ["title", "lead", "union", "photo", "time"])
    def test_an_item_shows_every_change_at_once(self, client, tree, change):
        story = make_article("原来的标题", lead="原来的导语", unions=[tree[1]],
                             photos=[make_photo(caption="原来的图说")])
        page = text(client.get("/"))
        assert "原来的标题" in page and "原来的导语" in page
        if change == "title":
            Article.objects.filter(pk=story.pk).update(title="改过的标题")
            expected = "改过的标题"
        elif change == "lead":
            Article.objects.filter(pk=story.pk).update(lead="改过的导语")
            expected = "改过的导语"
        elif change == "union":
            type(tree[1]).objects.filter(pk=tree[1].pk).update(short_name="改名工会")
            expected = "改名工会"
        elif change == "photo":
            story.photos.update(caption="改过的图说", alt_text="")
            expected = 'alt="改过的图说"'
        else:
            Article.objects.filter(pk=story.pk).update(published_at=local(2025, 1, 2, 3, 4))
            expected = "2025-01-02T03:04:00+08:00"
        public_cache.bump_generation()  # bulk updates bump it themselves (README)
        assert expected in text(client.get("/"))


def test_readers_skip_sessions_auth_and_messages_but_keep_the_safety_headers(client, settings):
    """An anonymous reader's public page runs no session, user or messages middleware;
    the security, clickjacking, CSP and CSRF middleware still answer for it."""
    settings.PAGE_CACHE_ENABLED = False  # every request renders
    make_article("读者的稿件")
    response = client.get("/")
    request = response.wsgi_request
    assert request.public_reader is True
    assert not hasattr(request, "session") and not hasattr(request, "_messages")
    assert request.user.is_anonymous
    for header in ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options",
                   "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert header in response, header
    assert "Cookie" not in response.get("Vary", "")  # a reader's page never touched the session
    # Not for the admin, the API, or a signed-in editor on the same page.
    assert client.get("/admin/login/").wsgi_request.session is not None
    assert client.get("/api/v1/stories").wsgi_request.public_reader is False


def test_healthz_needs_no_session_even_with_a_signed_in_cookie(client, editor, django_assert_num_queries):
    client.force_login(editor)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok" and not hasattr(response.wsgi_request, "session")
    assert "X-Frame-Options" in response and "Content-Security-Policy" in response


def test_a_signed_in_editor_on_a_public_page_has_a_session(client, editor):
    client.force_login(editor)
    request = client.get("/").wsgi_request
    assert request.public_reader is False and request.user == editor


# --- Error pages -----------------------------------------------------------------------


def test_not_found_page_is_in_chinese(client):
    response = client.get("/articles/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="zh-CN">' in page and "页面不存在" in page


def test_server_error_page_renders_without_context():
    page = render_to_string("500.html")
    assert "服务器出错了" in page and 'lang="zh-CN"' in page


def test_pages_load_no_asset_from_outside(client):
    make_article()
    page = text(client.get("/"))
    assert not re.search(r'(src|href)="(https?:)?//', page)


@pytest.mark.django_db
def test_page_cache_switched_off_renders_every_request(client, settings, django_assert_max_num_queries):
    """NEWSROOM_PAGE_CACHE=0: the benchmark's "cache off" runs must reach the database."""
    settings.PAGE_CACHE_ENABLED = False
    make_article("不缓存的稿件")
    assert "不缓存的稿件" in client.get("/").content.decode()
    with django_assert_max_num_queries(20) as queries:
        client.get("/")
    assert len(queries.captured_queries) > 0


@pytest.mark.django_db
def test_a_cache_hit_is_answered_before_sessions_with_the_full_headers(client, django_assert_num_queries):
    """The middleware serves hits without a query and with the headers the full stack set."""
    make_article("缓存命中的稿件")
    first = client.get("/")
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert hit.content == first.content
    for header in ("ETag", "Cache-Control", "X-Frame-Options", "Content-Type"):
        assert hit[header] == first[header], header
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_story_lists_read_only_the_columns_a_list_shows(client):
    """for_listings() reads LISTED_FIELDS, not a story's six times, its body or its review
    state: fewer columns to read and convert on every list page."""
    make_article("列表里的稿件", lead="导语")
    with CaptureQueriesContext(connection) as queries:
        assert "列表里的稿件" in text(client.get("/"))
    listed = [q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id"')][0]
    assert '"articles_article"."lead"' in listed and '"articles_article"."published_at"' in listed
    for unread in ("body", "updated_at", "created_at", "review_level_id", "deleted_by_id"):
        assert f'"articles_article"."{unread}"' not in listed.split(" FROM ")[0], unread


def test_listed_stories_show_their_union_bodies_in_order_from_one_narrow_query(client):
    """A list's union tags come from the union links with the body joined (LISTED_UNION_FIELDS,
    not a body's description or aliases), in the directory's order (sort_order, then name),
    each as its short name or name, linking to its page."""
    later = make_union("石景山区总工会", short_name="石景山工会", sort_order=2, description="长长的介绍")
    first = make_union("北京市总工会", short_name="", sort_order=1, aliases="北京总工会")
    make_article("两个工会的稿件", unions=[later, first])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    item = page[page.index("两个工会的稿件"):]
    assert item.index(f'href="{first.get_absolute_url()}">北京市总工会<') < item.index(
        f'href="{later.get_absolute_url()}">石景山工会<')
    reads_bodies = [q["sql"] for q in queries if '"articles_unionbody"."name"' in q["sql"]]
    assert len(reads_bodies) == 2  # the tags, and the front page's active bodies
    tags = next(sql for sql in reads_bodies if "articles_articleunionbody" in sql.split(" FROM ")[1])
    for unread in ("description", "aliases", "kind", "parent_id"):
        assert f'"articles_unionbody"."{unread}"' not in tags.split(" FROM ")[0], unread


def test_listed_union_bodies_without_the_prefetch_are_read_all_the_same():
    body = make_union("海淀区总工会")
    story = make_article("未预取的稿件", unions=[body])
    assert Article.objects.get(pk=story.pk).listed_union_bodies() == [body]

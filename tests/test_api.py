"""The read API: what each endpoint answers, its filters, paging, fields, caching and errors."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, Correction, Issue, Page, Placement
from articles.services import workflow

from .factories import make_article, make_photo, make_reporter, make_union

pytestmark = pytest.mark.django_db

NOW = timezone.now()
API = "/api/v1"


def get(client, path, status=200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def place(article, day, number, name="要闻", published=True, order=0):
    """Put `article` on page `number` of the issue of `day` (made if needed)."""
    issue, _ = Issue.objects.get_or_create(date=day, defaults={"is_published": published})
    page, _ = Page.objects.get_or_create(issue=issue, number=number, defaults={"name": name})
    return Placement.objects.create(page=page, article=article, order=order,
                                    regions=[[[0.1, 0.1], [0.9, 0.1], [0.9, 0.5], [0.1, 0.5]]])


def titles(data):
    return [item["title"] for item in data["items"]]


def follow(client, url):
    """GET an absolute `next` URL the API handed out."""
    return client.get(url.removeprefix("http://testserver")).json()


# --- Stories --------------------------------------------------------------------


class TestStoryList:
    def test_newest_first_with_the_list_fields(self, client):
        body, reporter = make_union("朝阳区总工会", slug="chaoyang"), make_reporter("张晶", slug="zhang-jing")
        make_article("昨天的稿件", published_at=NOW - timedelta(days=1))
        story = make_article("今天的稿件", kicker="引题", unions=[body], reporters=[reporter],
                             photos=[make_photo()], body="<p>正文</p>")
        place(story, NOW.date(), 3, name="工会新闻")
        data = get(client, "/stories")
        assert titles(data) == ["今天的稿件", "昨天的稿件"]
        story = data["items"][0]
        assert set(story) == {
            "id", "url", "kicker", "title", "subtitle", "lead", "byline", "credit_line", "union_bodies",
            "lead_photo", "published_at", "updated_at", "print",
        }
        assert story["print"] == {
            "date": NOW.date().isoformat(), "page": 3, "page_name": "工会新闻",
            "url": f"http://testserver/epaper/{NOW.date():%Y/%m/%d}/3/",
            "issue": f"http://testserver/api/v1/epaper/issues/{NOW.date().isoformat()}"}
        assert data["items"][1]["print"] is None
        assert story["url"] == f"http://testserver/articles/{story['id']}/"
        assert story["credit_line"] == "记者 张晶"
        assert story["byline"][0] | {"url": ""} == {
            "name": "张晶", "slug": "zhang-jing", "role": "reporter", "role_label": "记者", "url": ""}
        assert story["union_bodies"][0]["slug"] == "chaoyang"
        assert story["lead_photo"]["renditions"]["list"]["sources"][0]["webp"].startswith("http://testserver/media/")
        assert story["published_at"].endswith("+08:00")
        assert data["next"] is None

    def test_fields_chooses_what_is_sent(self, client):
        make_article("稿件", body="<p>第一段</p><p>第二段 &amp; 更多</p>")
        data = get(client, "/stories", fields="title,body_text")
        assert data["items"][0].keys() == {"id", "title", "body_text"}
        assert data["items"][0]["body_text"] == "第一段\n第二段 & 更多"

    def test_pages_by_keyset_through_next_without_offset(self, client):
        same_time = NOW - timedelta(hours=2)
        for i in range(12):
            make_article(f"同时{i:02d}", published_at=same_time)
        for i in range(13):
            make_article(f"稿件{i:02d}", published_at=NOW - timedelta(minutes=i + 1))
        seen, url, pages = [], None, 0
        with CaptureQueriesContext(connection) as queries:
            data = get(client, "/stories", limit=10)
            while True:
                pages += 1
                seen += titles(data)
                url = data["next"]
                if url is None:
                    break
                data = follow(client, url)
        assert pages == 3 and len(seen) == 25 == len(set(seen))
        assert seen[:13] == [f"稿件{i:02d}" for i in range(13)]
        assert not [q for q in queries.captured_queries if re.search(r"\bOFFSET\b", q["sql"], re.I)]

    def test_union_filter_includes_sub_bodies_unless_asked_not_to(self, client, tree):
        city, chaoyang, aoyuncun, changping = tree
        make_article("朝阳的", unions=[chaoyang])
        make_article("奥运村的", unions=[aoyuncun])
        make_article("昌平的", unions=[changping])
        assert set(titles(get(client, "/stories", union="chaoyang"))) == {"朝阳的", "奥运村的"}
        assert titles(get(client, "/stories", union="chaoyang", include_sub_bodies="false")) == ["朝阳的"]
        assert len(get(client, "/stories", union="bjzgh")["items"]) == 3

    def test_union_filter_pages_through_the_links(self, client, tree):
        city, chaoyang, *_ = tree
        for i in range(7):
            make_article(f"朝阳{i}", unions=[chaoyang, city], published_at=NOW - timedelta(minutes=i + 1))
        first = get(client, "/stories", union="bjzgh", limit=4)
        second = follow(client, first["next"])
        assert titles(first) + titles(second) == [f"朝阳{i}" for i in range(7)]

    def test_reporter_day_range_and_print_page_filters(self, client, tree):
        reporter = make_reporter("张晶", slug="zhang-jing")
        day = timezone.localdate() - timedelta(days=3)
        at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=9)
        place(make_article("三天前张晶的", reporters=[reporter], published_at=at), day, 2)
        place(make_article("三天前的", published_at=at - timedelta(hours=1)), day, 1)
        place(make_article("今天的"), day - timedelta(days=1), 2, published=False)
        assert titles(get(client, "/stories", reporter="zhang-jing")) == ["三天前张晶的"]
        assert titles(get(client, "/stories", day=day.isoformat())) == ["三天前张晶的", "三天前的"]
        assert titles(get(client, "/stories", date_from=day.isoformat(), date_to=day.isoformat())) == [
            "三天前张晶的", "三天前的"]
        assert titles(get(client, "/stories", date_from=(day + timedelta(days=1)).isoformat())) == ["今天的"]
        assert titles(get(client, "/stories", print_date=day.isoformat(), print_page=1)) == ["三天前的"]
        assert titles(get(client, "/stories", print_page=2)) == ["三天前张晶的"]  # not the unpublished issue's
        assert titles(get(client, "/stories", union="bjzgh", reporter="zhang-jing")) == []

    def test_updated_since_finds_changed_and_newly_due_stories(self, client):
        old = make_article("旧稿", published_at=NOW - timedelta(days=3))
        Article.objects.filter(pk=old.pk).update(updated_at=NOW - timedelta(days=3))
        due = make_article("刚到时间的定时稿", published_at=NOW - timedelta(minutes=1))
        Article.objects.filter(pk=due.pk).update(updated_at=NOW - timedelta(days=1))
        make_article("新改的稿")
        since = (NOW - timedelta(hours=2)).isoformat()
        assert set(titles(get(client, "/stories", updated_since=since))) == {"刚到时间的定时稿", "新改的稿"}


class TestStoryDetail:
    def test_every_public_field_and_no_internal_one(self, client, editor):
        photo = make_photo(caption="现场", credit_text="通讯员 王立新 摄")
        article = make_article("全文稿件", kicker="引题", subtitle="副题", lead="导语",
                               body='<p>正文<img src="/media/photos/x.jpg" alt="图"></p><h2>小标题</h2>',
                               photos=[photo])
        Correction.objects.create(article=article, note="公开更正", created_by=editor)
        Correction.objects.create(article=article, note="内部说明", public=False, created_by=editor)
        data = get(client, f"/stories/{article.pk}")
        assert set(data) == set(("id url kicker title subtitle source_label lead body_html body_text byline "
                                 "credit_line union_bodies lead_photo photos published_at updated_at "
                                 "print corrections").split())
        assert 'src="http://testserver/media/photos/x.jpg"' in data["body_html"]
        assert data["body_text"] == "正文\n小标题"
        assert [c["note"] for c in data["corrections"]] == ["公开更正"]
        assert data["photos"][0]["is_lead"] is True and data["lead_photo"]["id"] == photo.pk
        assert data["photos"][0]["credit"] == "通讯员 王立新 摄"
        assert set(data["photos"][0]) == {"id", "caption", "alt", "credit", "photographer", "width", "height",
                                          "taken_on", "image", "renditions", "is_lead"}
        text = str(data)
        for internal in ("内部说明", "original", "created_by", "uploaded_by", editor.username):
            assert internal not in text

    def test_fields_on_a_story(self, client):
        article = make_article("稿件")
        assert get(client, f"/stories/{article.pk}", fields="title").keys() == {"id", "title"}


class TestSearch:
    def test_same_words_and_ranking_as_the_site(self, client):
        make_article("职工运动会开幕", published_at=NOW - timedelta(hours=3))
        make_article("新闻", lead="职工运动会今天举行", published_at=NOW - timedelta(hours=1))
        make_article("无关的稿件")
        data = get(client, "/search", q="职工运动会")
        found = search.search_articles("职工运动会")
        assert [item["id"] for item in data["items"]] == [a.pk for a in found.articles(20)]
        assert titles(data) == ["职工运动会开幕", "新闻"]
        assert "<mark>" in data["items"][1]["excerpt_html"]

    def test_pages_by_score_time_and_id(self, client):
        for i in range(5):
            make_article(f"运动会{i}", published_at=NOW - timedelta(hours=i + 1))
        for i in range(4):
            make_article("新闻", lead=f"运动会第{i}天", published_at=NOW - timedelta(minutes=i + 1))
        seen, data = [], get(client, "/search", q="运动会", limit=4)
        while True:
            seen += [item["id"] for item in data["items"]]
            if not data["next"]:
                break
            data = follow(client, data["next"])
        found = search.search_articles("运动会")
        assert seen == [a.pk for a in found.articles(20)] and len(seen) == 9


# --- Union bodies, reporters, photos ------------------------------------------------------


class TestDirectory:
    def test_union_tree_in_order_with_parents(self, client, tree):
        make_union("停用的工会", parent=tree[0], is_active=False, slug="gone")
        items = get(client, "/unions")["items"]
        assert [(u["slug"], u["parent"], u["depth"]) for u in items] == [
            ("bjzgh", None, 0), ("changping", "bjzgh", 1), ("chaoyang", "bjzgh", 1), ("aoyuncun", "chaoyang", 2)]
        assert items[2]["stories"] == "http://testserver/api/v1/stories?union=chaoyang"

    def test_union_detail_has_ancestors_and_children(self, client, tree):
        data = get(client, "/unions/chaoyang")
        assert [u["slug"] for u in data["ancestors"]] == ["bjzgh"]
        assert [u["slug"] for u in data["children"]] == ["aoyuncun"]
        assert get(client, "/unions/nope", status=404)["code"] == "not_found"

    def test_reporters_roster_without_unchecked_names(self, client):
        for i, slug in enumerate(["bian-lei", "zhang-jing", "chen-si", "li-ming"]):
            make_reporter(f"记者{i}", slug=slug)
        make_reporter("导入的", slug="dao-ru", is_active=False, needs_review=True)
        first = get(client, "/reporters", limit=3)
        second = follow(client, first["next"])
        assert [r["slug"] for r in first["items"] + second["items"]] == [
            "bian-lei", "chen-si", "li-ming", "zhang-jing"]
        assert get(client, "/reporters/zhang-jing")["stories"].endswith("/api/v1/stories?reporter=zhang-jing")
        assert get(client, "/reporters/nobody", status=404)["code"] == "not_found"

    def test_photos_of_published_stories_only(self, client):
        shown, draft_only, unused = make_photo(caption="公开"), make_photo(caption="草稿里的"), make_photo()
        story = make_article("有图的稿件", photos=[shown])
        make_article("草稿", status=Article.Status.DRAFT, photos=[draft_only])
        data = get(client, "/photos")
        assert [p["id"] for p in data["items"]] == [shown.pk]
        assert data["items"][0]["stories"][0]["id"] == story.pk
        assert get(client, f"/photos/{shown.pk}")["caption"] == "公开"
        for hidden in (draft_only, unused):
            get(client, f"/photos/{hidden.pk}", status=404)


# --- Caching ------------------------------------------------------------------------------


class TestCaching:
    def test_etag_gives_304_without_a_query(self, client, django_assert_num_queries):
        make_article("稿件")
        first = client.get(API + "/stories")
        etag = first["ETag"]
        assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
        with django_assert_num_queries(0):
            again = client.get(API + "/stories", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag

    def test_a_second_reader_costs_no_query(self, client, django_assert_num_queries):
        make_article("稿件")
        first = client.get(API + "/stories")
        with django_assert_num_queries(0):
            second = client.get(API + "/stories")
        assert second.content == first.content

    def test_withdrawn_story_is_gone_from_every_answer_at_once(self, client, editor):
        story = make_article("要撤回的稿件", photos=[make_photo()])
        urls = ["/stories", f"/stories/{story.pk}", "/photos", "/search?q=撤回"]
        before = {url: client.get(API + url) for url in urls}
        assert all("要撤回的稿件" in r.content.decode() for r in before.values())
        workflow.withdraw(article=story, user=editor, reason="事实有误")
        for url, old in before.items():
            response = client.get(API + url, HTTP_IF_NONE_MATCH=old["ETag"])
            assert response.status_code in (200, 404) and response.get("ETag") != old["ETag"]
            assert "要撤回的稿件" not in response.content.decode()
        assert [item["id"] for item in get(client, "/stories/removed")["items"]] == [story.pk]

    def test_scheduled_story_appears_when_due_and_changes_the_etag(self, client, monkeypatch):
        make_article("定时稿", published_at=NOW + timedelta(minutes=5))
        first = client.get(API + "/stories")
        assert "定时稿" not in first.content.decode()
        later = NOW + timedelta(minutes=6)
        monkeypatch.setattr(timezone, "now", lambda: later)
        second = client.get(API + "/stories", HTTP_IF_NONE_MATCH=first["ETag"])
        assert second.status_code == 200 and "定时稿" in second.content.decode()


# --- Query counts -------------------------------------------------------------------------


def _fill(count, body, reporter):
    for _ in range(count):
        article = make_article(unions=[body], reporters=[reporter], photos=[make_photo()], body="<p>工会</p>")
        Correction.objects.create(article=article, note="更正")


@pytest.mark.parametrize("path, queries", [
    # stories, union bodies, bylines, lead photos; next scheduled story (ETag)
    ("/stories", 5),
    # + every photo and the public corrections instead of the lead photos
    ("/stories?fields=photos,corrections,byline", 6),
    # columns only: the stories and the next scheduled story
    ("/stories?fields=title,lead", 2),
    # the directory, the union links' page of ids, then as /stories
    ("/stories?union=top", 7),
    # the reporter, then as /stories
    ("/stories?reporter=star", 6),
    # the union directory (short names), the index's heading hits and text hits, then as /stories
    ("/search?q=工会", 8),
    # photos, their published stories, next scheduled story
    ("/photos", 3),
    ("/stories/removed", 2),
    ("/unions", 2),
    ("/reporters", 2),
])
def test_query_count_does_not_grow_with_the_page(client, django_assert_num_queries, path, queries):
    """A fixed number of queries for 3 and for 15 items: prefetches, never one per row."""
    from django.core.cache import cache

    body, reporter = make_union(slug="top"), make_reporter(slug="star")
    for count in (3, 12):
        _fill(count, body, reporter)
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(API + path).status_code == 200


@pytest.mark.parametrize("path, queries", [
    ("/stories/{story}", 6),  # story, union bodies, bylines, photos, corrections, next scheduled
    ("/photos/{photo}", 3),
    ("/unions/top", 2),
    ("/reporters/star", 2),
])
def test_query_count_of_one_object(client, django_assert_num_queries, path, queries):
    body, reporter = make_union(slug="top"), make_reporter(slug="star")
    photo = make_photo()
    story = make_article(unions=[body], reporters=[reporter], photos=[photo, make_photo()])
    with django_assert_num_queries(queries):
        assert client.get(API + path.format(story=story.pk, photo=photo.pk)).status_code == 200


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("path, status, code", [
    ("/stories?limit=100000", 400, "invalid_parameter"),
    ("/stories?limit=0", 400, "invalid_parameter"),
    ("/stories?limit=abc", 400, "invalid_parameter"),
    ("/stories?fields=title,secret_notes", 400, "unknown_field"),
    ("/stories?fields=,", 400, "unknown_field"),
    ("/stories?unoin=chaoyang", 400, "unknown_parameter"),
    ("/stories?day=2025-02-30", 400, "invalid_parameter"),
    ("/stories?date_from=2025-06-12&date_to=2025-06-01", 400, "invalid_parameter"),
    ("/stories?before=yesterday", 400, "invalid_parameter"),
    ("/stories?before_id=5", 400, "invalid_parameter"),
    ("/stories?before=2025-06-12T08:00:00%2B08:00&before_id=-1", 400, "invalid_parameter"),
    ("/stories?updated_since=2025-13-45", 400, "invalid_parameter"),
    ("/stories?union=no-such-body", 400, "invalid_parameter"),
    ("/stories?union=' OR 1=1 --", 400, "invalid_parameter"),
    ("/stories?reporter=nobody", 400, "invalid_parameter"),
    ("/stories?include_sub_bodies=perhaps", 400, "invalid_parameter"),
    ("/stories?print_page=99999", 400, "invalid_parameter"),
    ("/stories/0", 404, "not_found"),
    ("/stories/99999999999999999999999999", 404, "not_found"),
    ("/stories/abc", 404, "not_found"),
    ("/search", 400, "invalid_parameter"),
    ("/search?q=" + "工" * 101, 400, "invalid_parameter"),
    ("/search?q=工会&before_score=3", 400, "invalid_parameter"),
    ("/stories/removed?since=never", 400, "invalid_parameter"),
    ("/reporters?after=%00", 400, "invalid_parameter"),
    ("/photos/12345", 404, "not_found"),
    ("/no-such-endpoint", 404, "not_found"),
    ("/stories/", 404, "not_found"),
])
def test_bad_input_is_a_4xx_in_chinese_and_english(client, path, status, code):
    response = client.get(API + path)
    assert response.status_code == status
    data = response.json()
    assert data["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", data["message"]) and data["message_en"].isascii()


@pytest.mark.parametrize("query", [
    "date_from=0001-01-01&date_to=9999-12-31", "before=0001-01-01T00:00:00%2B14:00",
    "updated_since=9999-12-31T23:59:59-12:00", "day=9999-12-31", "before=9999-12-31T23:59:59",
])
def test_far_dates_are_bounds_not_errors(client, query):
    make_article("稿件")
    assert client.get(f"{API}/stories?{query}").status_code == 200


def test_docs_and_schema_are_served(client):
    schema = client.get(API + "/openapi.json").json()
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/unions", "/api/v1/search"} <= set(
        schema["paths"])
    assert schema["security"] == [{}, {"ApiKey": []}]
    docs = client.get(API + "/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_head_answers_like_get_and_other_methods_are_a_json_405(client):
    make_article("稿件")
    get_response, head = client.get(API + "/stories"), client.head(API + "/stories")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == get_response["ETag"]
    strict = client.__class__(enforce_csrf_checks=True)
    for method in ("post", "put", "delete"):
        response = getattr(strict, method)(API + "/stories")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", [
    "/reporters/a%00b", "/unions/a%00b", "/stories?union=a%00",
    "/stories?fields=title%00", "/stories?before=2025-06-12%00", "/reporters?after=a%00",
])
def test_nul_characters_are_refused_not_sent_to_the_database(client, path):
    """PostgreSQL refuses NUL in text; SQLite takes it: both must answer a 4xx."""
    make_reporter("张晶", slug="zhang-jing")
    assert 400 <= client.get(API + path).status_code < 500


# --- The e-paper ----------------------------------------------------------------------------


class TestEpaper:
    def test_an_issue_with_its_pages_images_and_regions(self, client):
        from .epaper_data import make_issue

        issue, stories = make_issue()
        day = issue.date.isoformat()
        data = get(client, f"/epaper/issues/{day}")
        assert data["date"] == day and [p["number"] for p in data["pages"]] == [1, 2, 3]
        first = data["pages"][0]
        assert first["name"] == "要闻" and first["pdf"].startswith("http://testserver/media/")
        assert first["image"]["renditions"][0]["webp"].startswith("http://testserver/media/")
        placed = {s["id"]: s for page in data["pages"] for s in page["stories"]}
        assert set(placed) == {story.pk for story in stories}
        assert all(0 <= x <= 1 and 0 <= y <= 1 for s in placed.values() for poly in s["regions"] for x, y in poly)
        assert get(client, "/epaper/latest") == data
        listed = get(client, "/epaper/issues")
        assert listed["items"][0]["api_url"] == f"http://testserver/api/v1/epaper/issues/{day}"
        story = get(client, f"/stories/{stories[0].pk}", fields="print")["print"]
        assert story["page"] == 1 and story["page_name"] == "要闻"

    def test_issues_page_by_date(self, client):
        for days in range(5):
            Issue.objects.create(date=NOW.date() - timedelta(days=days), is_published=True)
        first = get(client, "/epaper/issues", limit=3)
        second = follow(client, first["next"])
        dates = [i["date"] for i in first["items"] + second["items"]]
        assert dates == sorted(dates, reverse=True) and len(set(dates)) == 5 and second["next"] is None

    @pytest.mark.parametrize("path", ["/epaper/issues/2025-02-30", "/epaper/issues/yesterday",
                                      "/epaper/issues/1999-01-01", "/epaper/latest"])
    def test_no_issue_is_a_404(self, client, path):
        assert get(client, path, status=404)["code"] == "not_found"

    def test_bad_cursor_is_a_400(self, client):
        assert get(client, "/epaper/issues", status=400, before_date="2025-13-01")["param"] == "before_date"


@pytest.mark.parametrize("path, queries", [
    ("/epaper/issues", 2),  # issues, next scheduled story
    ("/epaper/issues/{day}", 4),  # the issue, its placements, its pages, next scheduled story
    ("/stories?fields=title,print", 2),  # the print placement is a subquery of the stories' query
])
def test_query_count_of_the_e_paper(client, django_assert_num_queries, path, queries):
    from django.core.cache import cache

    for count in (2, 8):
        day = NOW.date() - timedelta(days=count)
        for number in range(1, count + 1):
            place(make_article(), day, number)
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(API + path.format(day=day.isoformat())).status_code == 200

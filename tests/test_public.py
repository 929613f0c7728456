"""Public pages show only published stories whose time has come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_reporter, make_union

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    now = timezone.now()
    body = make_union("朝阳区总工会", slug="chaoyang")
    return {
        "live": make_article("已发布的稿件", unions=[body], published_at=now - timedelta(hours=1)),
        "draft": make_article("草稿稿件", status=Article.Status.DRAFT, unions=[body]),
        "review": make_article("待审稿件", status=Article.Status.REVIEW, unions=[body]),
        "future": make_article("定时稿件", unions=[body], published_at=now + timedelta(hours=1)),
    }


def test_front_page_lists_only_published_stories(client, stories):
    page = client.get("/").content.decode()
    assert "已发布的稿件" in page
    for hidden in ("草稿稿件", "待审稿件", "定时稿件"):
        assert hidden not in page


def test_front_page_is_in_chinese(client, stories):
    response = client.get("/")
    assert '<html lang="zh-CN">' in response.content.decode()


def test_front_page_query_count_does_not_grow_with_the_list(client, django_assert_num_queries):
    """Stories, union bodies, lead photos, active unions, photo news (none here, so no photo
    prefetch), next schedule: six, for any number (a list shows no byline)."""
    body, reporter = make_union(), make_reporter()
    for _ in range(25):
        make_article(unions=[body], reporters=[reporter])
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("hidden", ["draft", "review", "future"])
def test_unpublished_article_pages_are_not_found(client, stories, hidden):
    assert client.get(stories[hidden].get_absolute_url()).status_code == 404


def test_published_article_page_shows_the_story(client, stories):
    story = stories["live"]
    story.kicker, story.body = "引题文字", "<p>正文第一段</p>"
    story.save()
    make_reporter("张晶").bylines.create(article=story)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "引题文字" in page and "正文第一段" in page and "记者 张晶" in page


def test_union_page_includes_sub_bodies_stories(client, stories):
    street = make_union("奥运村街道总工会", parent=stories["live"].union_bodies.get())
    make_article("街道的稿件", unions=[street])
    page = client.get("/unions/chaoyang/").content.decode()
    assert "已发布的稿件" in page and "街道的稿件" in page and "草稿稿件" not in page


def test_unknown_union_is_not_found(client):
    assert client.get("/unions/no-such-body/").status_code == 404


def test_reporter_page_lists_their_published_work(client, stories):
    reporter = make_reporter("周美玉", slug="zhou-meiyu")
    reporter.bylines.create(article=stories["live"])
    reporter.bylines.create(article=stories["draft"])
    page = client.get("/reporters/zhou-meiyu/").content.decode()
    assert "已发布的稿件" in page and "草稿稿件" not in page

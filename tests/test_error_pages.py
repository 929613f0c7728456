"""With DEBUG off no trace or setting reaches the public: Chinese 404/500/503 pages.

A database outage is a 503 with Retry-After (newsroom/resilience.py), public
pages already cached are still served, and anonymous readers reach the cache
without a single query.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from articles.public import views
from newsroom import resilience

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

SECRETS = ("Traceback", "SECRET_KEY", "DATABASES", "settings", "File \"", "django.db")


@pytest.fixture
def public(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def database_down(error=OperationalError):
    """Every new query fails as if PostgreSQL were unreachable."""
    return mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection",
        side_effect=error("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"),
    )


def assert_nothing_leaks(page):
    for secret in SECRETS:
        assert secret not in page, secret


def test_404_is_chinese_and_plain(public):
    response = public.get("/articles/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "回到首页" in page
    assert_nothing_leaks(page)


def test_500_is_chinese_without_a_trace(public):
    with mock.patch.object(views.FrontPageView, "get", side_effect=RuntimeError("SECRET_KEY=abc")):
        response = public.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert_nothing_leaks(page)
    assert "abc" not in page


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_is_503_with_retry_after(public, error):
    with database_down(error):
        response = public.get("/search/?q=工会")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "网站正在维护" in page and "半分钟后" in page
    assert_nothing_leaks(page)
    assert "5432" not in page


def test_database_down_in_the_admin_is_503_too(public):
    public.force_login(make_user(group="编辑"))
    with database_down():
        response = public.get("/admin/articles/article/")
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_a_database_error_outside_a_view_is_503_not_500(rf):
    """handler500 catches what the middleware cannot see (a session save, a middleware)."""
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = resilience.server_error(rf.get("/"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    try:
        raise ValueError("other")
    except ValueError:
        assert resilience.server_error(rf.get("/")).status_code == 500


def test_cached_public_pages_are_served_while_the_database_is_down(public):
    make_article(title="停电前的头条")
    assert public.get("/").status_code == 200  # cached now
    with database_down():
        front = public.get("/")
        other = public.get("/unions/")
    assert front.status_code == 200 and "停电前的头条" in front.content.decode()
    assert other.status_code == 503


def test_anonymous_readers_reach_the_cache_without_a_query(public, django_assert_num_queries):
    """No session, no user, no permission lookup for a reader without a cookie."""
    article = make_article(title="缓存的稿件")
    for url in ("/", article.get_absolute_url(), "/feeds/latest/", "/search/?q=缓存"):
        assert public.get(url).status_code == 200
        with django_assert_num_queries(0):
            assert public.get(url).status_code == 200


def test_the_site_recovers_when_the_database_returns(public):
    with database_down():
        assert public.get("/unions/").status_code == 503
    assert public.get("/unions/").status_code == 200


def test_health_checks_drop_dead_persistent_connections(settings):
    """CONN_HEALTH_CHECKS: a connection that died while idle is replaced, not reused."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

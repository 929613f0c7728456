"""Cached public pages answered before Django (articles/public/cache.py, ReaderPagesFirst),
and the fixed CSP header built once (newsroom/security.py)."""

import pytest
from csp.utils import build_policy
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from articles.public import cache as public_cache
from articles.public.cache import ReaderPagesFirst

from .factories import make_article

pytestmark = pytest.mark.django_db


class Django:
    """Stands in for Django behind the wrapper: records what reached it."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from django"]


def answer(app, environ):
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return got["status"], dict(got["headers"]), body


@pytest.fixture
def stored(client):
    """The front page, rendered once through Django's full stack (which stores it)."""
    make_article("先存起来的稿件")
    response = client.get("/")
    assert response.status_code == 200 and "先存起来的稿件" in response.content.decode()
    return response


def test_a_stored_page_is_answered_without_django_exactly_as_django_answered(
        stored, rf, django_assert_num_queries):
    django = Django()
    with django_assert_num_queries(0):
        status, headers, body = answer(ReaderPagesFirst(django), rf.get("/").environ)
    assert django.calls == []
    assert status == "200 OK" and body == stored.content
    # Every header the reader got from Django, security headers included, and no other.
    assert headers == dict(stored.items())
    for name in ("ETag", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                 "X-Frame-Options", "Cross-Origin-Opener-Policy", "Content-Length"):
        assert name in headers, name


def test_head_gets_the_headers_without_the_body(stored, rf):
    status, headers, body = answer(ReaderPagesFirst(Django()), rf.head("/").environ)
    assert status == "200 OK" and body == b"" and headers["ETag"] == stored["ETag"]


def test_a_reader_holding_the_page_gets_304(stored, rf):
    environ = rf.get("/", HTTP_IF_NONE_MATCH=stored["ETag"]).environ
    status, headers, body = answer(ReaderPagesFirst(Django()), environ)
    assert status == "304 Not Modified" and body == b""
    assert headers == {"ETag": stored["ETag"], "Cache-Control": public_cache.CACHE_CONTROL}
    other = rf.get("/", HTTP_IF_NONE_MATCH='"something-else"').environ
    assert answer(ReaderPagesFirst(Django()), other)[0] == "200 OK"


def test_a_stray_query_string_is_the_same_page(stored, rf):
    status, _, body = answer(ReaderPagesFirst(Django()), rf.get("/?utm_source=wx&x=1").environ)
    assert status == "200 OK" and body == stored.content


@pytest.mark.parametrize("case", ["post", "session cookie", "other page", "older page", "bumped",
                                  "cache off", "host refused", "healthz", "admin", "static"])
def test_everything_else_goes_to_django(stored, rf, settings, case):
    environ = {
        "post": lambda: rf.post("/").environ,
        "session cookie": lambda: rf.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc").environ,
        "other page": lambda: rf.get("/unions/").environ,
        "older page": lambda: rf.get("/?before_id=5").environ,
        "bumped": lambda: rf.get("/").environ,
        "cache off": lambda: rf.get("/").environ,
        "host refused": lambda: rf.get("/", HTTP_HOST="evil.example").environ,
        "healthz": lambda: rf.get("/healthz").environ,
        "admin": lambda: rf.get("/admin/").environ,
        "static": lambda: rf.get("/static/css/site.css").environ,
    }[case]()
    if case == "bumped":
        public_cache.bump_generation()
    if case == "cache off":
        settings.PAGE_CACHE_ENABLED = False
    django = Django()
    assert answer(ReaderPagesFirst(django), environ) == ("200 OK", {"Content-Type": "text/plain"},
                                                         b"from django")
    assert django.calls == [environ["PATH_INFO"]]


def test_an_unreachable_cache_leaves_the_answer_to_django(stored, rf, monkeypatch):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(public_cache.cache, "get_many", down)
    django = Django()
    assert answer(ReaderPagesFirst(django), rf.get("/").environ)[2] == b"from django"


def withdrawn_at_once(client, rf):
    """A story on the stored front page is withdrawn: the wrapper's very next answer is
    Django's, not the stored page. Returns the wrapper (tests/test_pages_here.py goes on)."""
    story = make_article("马上撤回的稿件")
    client.get("/")
    app = ReaderPagesFirst(Django())
    assert "马上撤回的稿件" in answer(app, rf.get("/").environ)[2].decode()
    story.status = story.Status.DRAFT
    story.save()
    assert answer(app, rf.get("/").environ)[2] == b"from django"
    return app


def test_a_withdrawn_story_is_gone_from_the_wrapper_at_once(client, rf):
    withdrawn_at_once(client, rf)


def test_the_server_entry_point_is_wrapped():
    from newsroom import wsgi

    assert isinstance(wsgi.application, ReaderPagesFirst)
    assert wsgi.application.application is wsgi.django_application


# --- The fixed CSP header ----------------------------------------------------------------


def test_a_plain_response_gets_django_csps_own_policy(client, settings):
    assert Client().get("/healthz")["Content-Security-Policy"] == build_policy()
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "https://img.example"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    changed = Client().get("/healthz")["Content-Security-Policy"]
    assert "img-src 'self' https://img.example" in changed and changed == build_policy()


def test_healthz_is_never_cached_as_never_cache_would_say(rf):
    """/healthz writes never_cache's Cache-Control itself (cheaper, same words)."""
    from django.http import HttpResponse
    from django.views.decorators.cache import never_cache

    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    expected = never_cache(lambda request: HttpResponse())(rf.get("/"))["Cache-Control"]
    assert set(response["Cache-Control"].split(", ")) == set(expected.split(", "))

"""Cached public pages answered from the server process itself while Redis reports no
content change (newsroom.cache.TrackedValue, articles.public.cache._PagesHere), on a
real Redis: a hit never leaves the process, and a change from any process is seen on
the very next request."""

import contextlib
from uuid import uuid4

import pytest
import redis
from django.test import override_settings
from redis.connection import Connection
from redis.exceptions import RedisError

from articles.public import cache as public_cache
from articles.public.cache import GENERATION_KEY, ReaderPagesFirst, _PagesHere
from newsroom.cache import TrackedValue

from .factories import make_article
from .test_reader_pages_first import Django, answer, withdrawn_at_once

# Database 13 is this file's alone (tests/test_settings.py uses 14).
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def other():
    """Another process's connection to the same Redis (another worker, the editor's)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    yield client
    client.close()


@pytest.fixture
def sent(monkeypatch):
    """Commands this process sends to Redis, as they go out on a socket."""
    commands = []
    send = Connection.send_packed_command

    def counting(self, command, check_health=True):
        commands.append(b"".join(command) if isinstance(command, (list, tuple)) else command)
        return send(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return commands


def changed_by(other, *commands):
    """Run `commands` on the other connection as a writer would, then one more round trip:
    Redis has written its invalidation messages before it answers the writer's next
    command, as an editor's save is answered before any reader can ask again."""
    for command in commands:
        other.execute_command(*command)
    other.ping()


# --- One tracked key -----------------------------------------------------------------------


@pytest.fixture
def key(other):
    name = f"tracked-{uuid4().hex}"
    other.set(name, 1)
    yield name
    other.delete(name)


def test_a_tracked_value_is_read_once_while_nothing_changes(key, sent):
    tracked = TrackedValue(REDIS_URL, key)
    assert tracked.value() == b"1"
    sent.clear()
    assert [tracked.value() for _ in range(50)] == [b"1"] * 50
    assert sent == []


def test_the_value_is_read_again_at_least_every_max_age(key, other, sent):
    """A connection that went silent without closing (a partition) cannot keep a value longer."""
    tracked = TrackedValue(REDIS_URL, key, max_age=0)
    assert tracked.value() == b"1"
    sent.clear()
    for _ in range(3):
        assert tracked.value() == b"1"
    assert [command for command in sent if b"GET" in command] and len(sent) == 3
    silent = TrackedValue(REDIS_URL, key, max_age=60)
    silent.value()
    # What a silent connection would hide: the value changes and no message arrives.
    silent._connection._parser.set_invalidation_push_handler(lambda message: None)
    changed_by(other, ("SET", key, "2"))
    assert silent.value() == b"1"  # within max_age: trusted
    silent._read_at -= 60
    assert silent.value() == b"2"  # past it: read again


def test_a_change_from_another_connection_is_seen_on_the_next_read(key, other, sent):
    tracked = TrackedValue(REDIS_URL, key)
    assert tracked.value() == b"1"
    changed_by(other, ("INCR", key))
    assert tracked.value() == b"2"
    changed_by(other, ("SET", key, "7"), ("EXPIRE", key, 100))
    assert tracked.value() == b"7"
    changed_by(other, ("DEL", key))
    assert tracked.value() is None
    changed_by(other, ("SET", key, "8"))
    assert tracked.value() == b"8"


def test_a_flushed_database_forgets_the_value(key, other):
    tracked = TrackedValue(REDIS_URL, key)
    assert tracked.value() == b"1"
    changed_by(other, ("FLUSHDB",))
    assert tracked.value() is None


def test_nothing_is_trusted_across_a_lost_connection(key, other):
    """Changes made while the connection was down sent no message to it."""
    tracked = TrackedValue(REDIS_URL, key, retry_after=0)
    assert tracked.value() == b"1"
    for client in other.client_list():
        if "t" in client["flags"]:  # the tracking connection
            other.client_kill_filter(_id=client["id"])
    other.set(key, 3)
    with contextlib.suppress(RedisError):  # the first read may find the socket closed
        tracked.value()
    assert tracked.value() == b"3"


def test_a_connection_that_cannot_be_told_of_changes_is_an_error(key):
    """Over RESP2 (a URL asking for it) Redis accepts tracking but cannot send its messages."""
    tracked = TrackedValue(f"{REDIS_URL}?protocol=2", key)
    with pytest.raises(RedisError):
        tracked.value()


def test_an_unreachable_redis_is_an_error_for_the_caller_and_not_asked_again_at_once(monkeypatch):
    attempts = []
    connect = Connection.connect
    monkeypatch.setattr(Connection, "connect", lambda self: attempts.append(1) or connect(self))
    tracked = TrackedValue("redis://127.0.0.1:1/0", "anything", retry_after=60, socket_connect_timeout=1)
    for _ in range(3):
        with pytest.raises(RedisError):
            tracked.value()
    assert len(attempts) == 1
    tracked = TrackedValue("redis://127.0.0.1:1/0", "anything", retry_after=0, socket_connect_timeout=1)
    for _ in range(3):
        with pytest.raises(RedisError):
            tracked.value()
    assert len(attempts) == 4


# --- Pages kept in the process ------------------------------------------------------------


def test_the_pages_kept_here_are_bounded_by_their_bytes():
    pages = _PagesHere(max_bytes=100)
    for name in "abc":
        pages.put(name, (1, 2.0, 200, [], b"x" * 40))
    assert pages.get("a") is None and pages.get("b") and pages.get("c")
    pages.get("b")  # used lately: "c" is now the oldest
    pages.put("d", (1, 2.0, 200, [], b"x" * 40))
    assert pages.get("c") is None and pages.get("b") and pages.get("d")
    pages.put("huge", (1, 2.0, 200, [], b"x" * 101))
    assert pages.get("huge") is None and pages.get("b")


@pytest.fixture
def redis_pages(other, settings):
    """The site's page cache on the real Redis, under a key prefix of its own."""
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": f"pages-{uuid4().hex}"}}
    public_cache._PAGES_HERE.clear()
    yield public_cache.cache.make_and_validate_key(GENERATION_KEY)
    public_cache._PAGES_HERE.clear()


@pytest.mark.django_db
def test_a_hit_never_leaves_the_process(redis_pages, client, rf, sent):
    make_article("进程里就有的稿件")
    stored = client.get("/")
    app = ReaderPagesFirst(Django())
    assert answer(app, rf.get("/").environ)[2] == stored.content
    # (Within max_age, whatever a slow machine makes of the loop; that re-read is tested above.)
    public_cache.cache._tracked[redis_pages]._max_age = 600
    sent.clear()
    for _ in range(20):
        assert answer(app, rf.get("/").environ)[2] == stored.content
    assert sent == []
    assert app.application.calls == []


@pytest.mark.django_db
def test_a_change_anywhere_is_seen_by_the_next_request(redis_pages, client, rf, other):
    # Withdrawn in this process (the save bumps the generation)…
    app = withdrawn_at_once(client, rf)
    # …or in another one: the page rendered again is not served after its bump.
    assert "马上撤回的稿件" not in client.get("/").content.decode()
    assert answer(app, rf.get("/").environ)[2] != b"from django"
    changed_by(other, ("INCR", redis_pages))
    assert answer(app, rf.get("/").environ)[2] == b"from django"


@pytest.mark.django_db
def test_a_redis_that_cannot_track_still_serves_stored_pages(redis_pages, client, rf, settings):
    """Tracking refused (here a RESP2 connection; a proxy that does not pass it through):
    hits take the ordinary round trip instead, as before."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{REDIS_URL}?protocol=2"}}
    make_article("不能跟踪时的稿件")
    stored = client.get("/")
    app = ReaderPagesFirst(Django())
    for _ in range(3):
        assert answer(app, rf.get("/").environ)[2] == stored.content
    assert app.application.calls == []


@pytest.mark.django_db
def test_an_unreachable_redis_leaves_the_answer_to_django(client, rf):
    make_article("缓存连不上时的稿件")
    stored = client.get("/")  # stored in the local-memory cache of the test settings
    assert stored.status_code == 200
    unreachable = {"default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                               "OPTIONS": {"socket_connect_timeout": 1}}}
    with override_settings(CACHES=unreachable):
        assert answer(ReaderPagesFirst(Django()), rf.get("/").environ)[2] == b"from django"


@pytest.mark.django_db
def test_a_cache_that_cannot_track_keeps_no_pages_in_the_process(client):
    """With the local-memory cache (no get_tracked) a process's own copy would never be
    read: stored pages go to the cache alone."""
    public_cache._PAGES_HERE.clear()
    make_article("只在缓存里的稿件")
    client.get("/")
    assert "只在缓存里的稿件" in client.get("/").content.decode()
    assert not public_cache._PAGES_HERE._pages

"""Django's Redis cache backend, keeping one redis-py client per connection pool,
and able to keep a key's value in process until Redis says it changed (`get_tracked`).

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call
(`Redis(connection_pool=pool)`), which sets up some 170 response callbacks each
time: about as long as the round trip to Redis itself on a public page's cache hit.
A `redis.Redis` is safe to share between threads (connections come from its pool,
which redis-py resets after a fork), so this client keeps one per pool. Everything
else is Django's own backend.
"""

import os
import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.connection import ConnectionPool
from redis.exceptions import ConnectionError


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TrackedValue:
    """One Redis key's raw value, kept in this process until Redis says it changed.

    Redis's server-assisted client-side caching: after a connection with
    `CLIENT TRACKING ON` (RESP3) reads a key, Redis pushes an `invalidate` message on
    that connection the moment any client changes, deletes, expires or evicts the key,
    or flushes the database. While nothing changed, `value()` is a poll of the socket
    for such a message, not a round trip. redis-py's own client-side cache speaks the
    same protocol for every read command, but refuses servers older than Redis 7.4;
    this is that protocol for one key, on any Redis from 6.

    Nothing is trusted across a reconnect (a lost connection may have lost messages):
    every connect turns tracking on again and forgets the value. A connection can
    also go silent without closing (a network partition between this server and
    Redis, while other servers still reach it), so the value is read again at least
    every `max_age` seconds, with a `socket_timeout` of its own: a silent connection
    then fails within that time instead of keeping a stale value. Errors (RedisError,
    OSError) reach the caller, who should then ask Redis the ordinary way; for
    `retry_after` seconds after one, calls fail at once rather than each waiting on
    a Redis that is down before the caller's own attempt waits again.
    """

    def __init__(self, url, key, retry_after=1.0, max_age=1.0, **options):
        self._url, self._key = url, key
        self._options = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0, **options}
        self._retry_after, self._max_age = retry_after, max_age
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._value = None
        self._read_at = None
        self._failed_at = None

    def value(self):
        """The key's raw value (bytes), or None if the key does not exist."""
        with self._lock:
            if self._failed_at is not None and time.monotonic() - self._failed_at < self._retry_after:
                raise ConnectionError(f"{self._key}: Redis failed less than {self._retry_after} s ago")
            try:
                value = self._read()
            except BaseException:
                self._value = None
                self._failed_at = time.monotonic()
                if self._connection is not None:
                    self._connection.disconnect()
                raise
            self._failed_at = None
            return value

    def _read(self):
        if self._pid != os.getpid():  # a new process (a forked worker) needs its own socket
            self._connection = self._connect()
            self._pid = os.getpid()
        connection = self._connection
        # Pending invalidations reach _forget; a closed socket raises ConnectionError.
        while connection.can_read():
            connection.read_response(push_request=True)
        if self._value is None or time.monotonic() - self._read_at >= self._max_age:
            connection.send_command("GET", self._key)
            self._value = connection.read_response()  # None: no such key, asked again next time
            self._read_at = time.monotonic()
        return self._value

    def _connect(self):
        pool = ConnectionPool.from_url(self._url, **{**self._options, "protocol": 3})
        connection = pool.make_connection()
        connection.register_connect_callback(self._track)
        return connection

    def _track(self, connection):
        """On every (re)connect: forget the value and ask Redis to report changes."""
        self._value = None
        if str(connection.get_protocol()) != "3":  # a URL's ?protocol=2 wins over ours
            # Over RESP2, Redis accepts CLIENT TRACKING ON but has no way to send the
            # messages: the value would never be forgotten.
            raise ConnectionError("CLIENT TRACKING needs RESP3 (protocol=3)")
        connection._parser.set_invalidation_push_handler(self._forget)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()

    def _forget(self, message):
        # ["invalidate", [keys]], or ["invalidate", None] when the database was flushed;
        # the connection tracks nothing but this key.
        self._value = None


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._tracked = {}
        self._tracked_lock = threading.Lock()

    def get_tracked(self, key, default=None, version=None):
        """`get(key)`, answered from this process while Redis has not said the key changed.

        For a small, hot key that changes rarely (the public pages' content
        generation). Raises RedisError or OSError if Redis cannot be asked.
        """
        key = self.make_and_validate_key(key, version=version)
        tracked = self._tracked.get(key)
        if tracked is None:
            with self._tracked_lock:
                tracked = self._tracked.setdefault(
                    # The pool options Django's own client connects with (OPTIONS, the parser).
                    key, TrackedValue(self._servers[0], key, **self._cache._pool_options))
        raw = tracked.value()
        return default if raw is None else self._cache._serializer.loads(raw)

"""Caching of public pages that a newsroom can trust.

- Every public response is cached together with the *content generation* it was
  rendered under: one number in the cache, bumped whenever an Article, UnionBody,
  Reporter, Photo, Correction, an e-paper Issue, Page or Placement, or one of the
  links between them is saved or deleted (the
  receivers below, connected in ArticlesConfig.ready()). A bump makes every
  cached page, feed, sitemap and search result unreachable at once, so a
  withdrawn or corrected story disappears everywhere immediately.
- Scheduled stories become due without anything being saved, so no response is
  kept longer than until the next scheduled publication time.
- Responses carry an ETag (generation-independent content hash) and
  `Cache-Control: public, max-age=0, must-revalidate`: browsers and proxies ask
  again every time and get a cheap 304 while nothing changed, and never show a
  withdrawn story from their own cache.
- Logged-in staff are never served from or stored in the cache.

Bulk `QuerySet.update()` / `bulk_create()` bypass model signals: code that uses
them on public content must call `bump_generation()` itself.
"""

import hashlib
import math
import threading
import time
from collections import OrderedDict
from functools import lru_cache, wraps
from http import HTTPStatus
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, get_resolver
from django.utils import timezone
from django.utils.http import parse_etags, quote_etag, urlencode
from redis.exceptions import RedisError

GENERATION_KEY = "public:generation"
CACHE_CONTROL = "public, max-age=0, must-revalidate"


def generation():
    """The current content generation (starts from the clock if the cache lost it).

    Starting from the clock rather than from 1 means a cache that evicted the
    counter can never hand out pages stored under an older, reused number.
    """
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation():
    """Invalidate every cached public response."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing: start again from the clock
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def content_changed(**kwargs):
    """Signal receiver: bump now, and again once the transaction commits.

    The second bump closes the window in which a reader could cache the old
    rows under the new generation while the writer's transaction is still open.
    """
    bump_generation()
    transaction.on_commit(bump_generation)


def connect_signals():
    from ..models import (
        Article,
        ArticlePhoto,
        ArticleUnionBody,
        Byline,
        Correction,
        Issue,
        Page,
        Photo,
        Placement,
        Reporter,
        UnionBody,
    )

    for model in (Article, ArticlePhoto, ArticleUnionBody, Byline, Correction, Photo, Reporter,
                  UnionBody, Issue, Page, Placement):
        uid = f"public_cache_{model.__name__}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}_delete")
    for through in (Article.union_bodies.through, Article.reporters.through, Article.photos.through):
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"public_cache_m2m_{through.__name__}")


def next_scheduled_time():
    """When (a timestamp) the next scheduled story becomes due; None if none is scheduled.

    Stored per generation: any change to the schedule is a save, which bumps it.
    Once that time has come it is looked up again, so the value changes the moment
    a scheduled story appears (the API's ETags hold it for that reason).
    """
    from ..models import Article

    key = f"public:next-due:{generation()}"
    due = cache.get(key)
    if due is None or 0 < due <= timezone.now().timestamp():  # unknown, or that story is due now
        first = Article.objects.scheduled().order_by("published_at").values_list(
            "published_at", flat=True
        ).first()
        due = first.timestamp() if first else 0
        cache.set(key, due, timeout=settings.PUBLIC_CACHE_TIMEOUT)
    return due or None


def seconds_until_next_scheduled():
    """Seconds until the next scheduled story becomes due; None if none is scheduled."""
    due = next_scheduled_time()
    if due is None:
        return None
    return max(0, due - timezone.now().timestamp())


def cache_timeout():
    """How long a response may be kept: the default, capped by the next scheduled story."""
    timeout = settings.PUBLIC_CACHE_TIMEOUT
    due = seconds_until_next_scheduled()
    if due is not None:
        timeout = min(timeout, math.ceil(due))
    return timeout


def _route(request):
    """The view at this path, or None (a 404)."""
    return _view_at(get_resolver(getattr(request, "urlconf", None)), request.path_info)


@lru_cache(maxsize=4096)
def _view_at(resolver, path_info):
    # Remembered per resolver (a new URLconf, as in tests, is a new resolver): every
    # GET asks this before Django resolves the path again for the view.
    try:
        return resolver.resolve(path_info).func
    except Resolver404:
        return None


def canonical_query(params, query):
    """The query string of `query` (a QueryDict) reduced to `params`, in their order.

    Empty values are dropped (`?before_id=` is no parameter): the view sees this
    same reduced query (see _only_params), so the page always matches its key.
    """
    return urlencode([(name, value) for name in params for value in query.getlist(name) if value])


def _page_key(request, params):
    # Only the parameters the page reads: ?utm_source=…, ?x=<random> or a reordered
    # query are the same page, so a stray query string cannot bypass the cache.
    query = canonical_query(params, request.GET)
    url = f"{request.scheme}://{request.get_host()}{request.path}" + (f"?{query}" if query else "")
    return f"public:page:{hashlib.sha256(url.encode()).hexdigest()}"


def _is_signed_in(request):
    """True if the request carries the session of a signed-in user.

    A stray or stale session cookie (a reader who logged out long ago, a bot's
    made-up value) is an anonymous reader: it costs one indexed session read, never
    a whole uncached render. If the session store cannot be read (the database is
    down) the request counts as a reader, so cached pages are still served.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    try:
        return SESSION_KEY in import_module(settings.SESSION_ENGINE).SessionStore(key)
    except (OperationalError, InterfaceError):
        return False


def _is_reader(request):
    """An anonymous reader (set by PublicPageCacheMiddleware; worked out here without it)."""
    reader = getattr(request, "public_reader", None)
    return not _is_signed_in(request) if reader is None else reader


def _only_params(request, params):
    """Let the view see only the query parameters the cache key holds."""
    query = QueryDict(canonical_query(params, request.GET))
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def _is_fresh(if_none_match, etag):
    """The reader already holds this page (If-None-Match names its ETag)."""
    return etag in parse_etags(if_none_match or "")


def _not_modified(request, etag):
    if _is_fresh(request.headers.get("If-None-Match"), etag):
        response = HttpResponseNotModified()
        for name, value in _not_modified_headers(etag):
            response[name] = value
        return response
    return None


def _not_modified_headers(etag):
    return [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]


def cached_public(view, params=None):
    """Mark a public view's responses for the page cache, with ETag and conditional GET.

    `params` are the query parameters the view reads (default: the class-based
    view's `cache_params`, else none); the page is cached per their values only,
    and the view never sees any other parameter.

    The view renders only on a miss: PublicPageCacheMiddleware answers hits
    before sessions, authentication or URL resolving run, and stores what this
    wrapper marks once the whole middleware stack has finished the response.
    Only successful GET/HEAD responses for anonymous readers are stored.
    """

    if params is None:
        params = getattr(getattr(view, "view_class", None), "cache_params", ())
    params = tuple(params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        _only_params(request, params)
        # PAGE_CACHE_ENABLED off (NEWSROOM_PAGE_CACHE=0): every request renders,
        # as the benchmark's "cache off" runs need.
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if not _is_reader(request):
            response["Cache-Control"] = "private, no-store"
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.status_code != 200 or response.streaming:
            return response
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        request.public_cache_timeout = cache_timeout()
        return _not_modified(request, etag) or response

    wrapper.public_cache_params = params
    return wrapper


class PublicPageCacheMiddleware:
    """Serve cached public pages first thing, and store the ones views marked.

    First of all the middleware, so what it stores is the response exactly as the
    reader got it (the security headers included) and `ReaderPagesFirst` can hand
    the same bytes out without Django (an http:// request that SecurityMiddleware
    would redirect is a different key, never stored). A hit costs one
    cache round trip (the generation and the page in one `get_many`, an MGET on
    Redis) and nothing else. A page is kept under its URL alone, with the
    generation it was rendered under inside the entry; it counts only while that
    is still the current generation, so a bump makes every page stale at once, as
    before, and the next render simply overwrites the stale entry. What is stored
    is the response as the full stack finished it (headers included), as plain
    data rather than a pickled response object.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = _route(request) if request.method in ("GET", "HEAD") else None
        # The query parameters the page reads; None if it is not a cached public page
        # (the admin, the API, /healthz: no cache lookup for them at all).
        params = getattr(view, "public_cache_params", None)
        if getattr(view, "sessionless", False):  # newsroom.readers.sessionless (/healthz)
            request.public_reader = True
        else:
            # Signed-in staff are never served from the cache; any other cookie is a reader's.
            request.public_reader = params is not None and not _is_signed_in(request)
        cacheable = settings.PAGE_CACHE_ENABLED and params is not None and request.public_reader
        if cacheable:
            key = _page_key(request, params)
            current, hit = self._lookup(key)
            if hit is not None:
                return _not_modified(request, hit["ETag"]) or hit
        response = self.get_response(request)
        timeout = getattr(request, "public_cache_timeout", 0)
        # A 304 to a reader who had the page is not stored: the next full answer is.
        if cacheable and timeout > 0 and response.status_code == 200 and not response.cookies:
            # Stored under the generation read *before* rendering: if a change landed
            # meanwhile, the entry is stale at once and never served.
            self._store(key, current, response, timeout)
        return response

    @staticmethod
    def _lookup(key):
        """(current generation, the cached response or None), in one round trip."""
        current, stored = _entry(key)
        if stored is None:
            return current, None
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return current, response

    @staticmethod
    def _store(key, current, response, timeout):
        deadline = timezone.now().timestamp() + timeout
        entry = (current, deadline, response.status_code, list(response.items()), response.content)
        cache.set(key, entry, timeout=timeout)
        _keep_here(key, entry)


def _entry(key):
    """(current generation, (status, headers, content) of the page stored under `key`
    while still current, or None): from this process's own pages when the generation
    can be had without a round trip (`_generation_here`), else the generation and the
    page in one round trip."""
    current = _generation_here()
    if current is not None:
        stored = _PAGES_HERE.get(key)
        if _is_current(stored, current):
            return current, stored[2:]
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    stored = found.get(key)
    if not _is_current(stored, current):
        return current, None
    _keep_here(key, stored)
    return current, stored[2:]


def _is_current(stored, current):
    # The entry carries its own deadline on Django's clock (the one
    # published() reads), so a scheduled story shows the moment it is due.
    return stored is not None and stored[0] == current and stored[1] > timezone.now().timestamp()


def _keep_here(key, stored):
    """Keep a stored page in this process too, where the cache can tell the generation
    without a round trip (get_tracked): with any other cache it would never be read."""
    if hasattr(cache, "get_tracked"):
        _PAGES_HERE.put(key, stored)


def _generation_here():
    """The current generation without a round trip (newsroom.cache.RedisCache.get_tracked:
    Redis tells this process the moment it changes), or None where the cache cannot
    (another backend, Redis unreachable: the caller asks the ordinary way)."""
    get_tracked = getattr(cache, "get_tracked", None)
    if get_tracked is None:
        return None
    try:
        return get_tracked(GENERATION_KEY)
    except (RedisError, OSError):
        return None


class _PagesHere:
    """The stored pages this process answered lately, most recent last, up to
    `max_bytes` of content: with the generation known without a round trip, a hit on
    one of them never leaves the process. An entry counts only under its own
    generation and deadline (`_is_current`), exactly as in the shared cache."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._pages = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            stored = self._pages.get(key)
            if stored is not None:
                self._pages.move_to_end(key)
            return stored

    def put(self, key, stored):
        size = len(stored[-1])
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes += size - (len(old[-1]) if old is not None else 0)
            self._pages[key] = stored
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped[-1])

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0


_PAGES_HERE = _PagesHere(settings.PUBLIC_CACHE_LOCAL_BYTES)


class ReaderPagesFirst:
    """WSGI: a reader's cached public page, answered before Django handles a request.

    On a hit, PublicPageCacheMiddleware's work is only the lookup, yet Django's
    handler around it (the request object, request signals, the middleware chain, a
    response object) costs more than the lookup itself. This wrapper (newsroom/wsgi.py)
    answers the stored page straight from the cache: the same key (`_page_key`, on
    Django's own request object, so host checks and proxy rules are Django's), the same
    generation check, the same bytes and headers the middleware stored, the same 304.
    Anything else goes to Django unchanged: other methods, the page cache off, a
    request carrying a session cookie (only Django can tell a signed-in editor from a
    stale cookie), a host Django would refuse, pages that are not cached public pages,
    misses, and any trouble reaching the cache.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = self._cached(environ) if environ.get("REQUEST_METHOD") in ("GET", "HEAD") else None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _cached(self, environ):
        if not settings.PAGE_CACHE_ENABLED or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
            return None
        # The route first (remembered per path), so other URLs cost no request object.
        params = getattr(_view_at(get_resolver(), get_path_info(environ) or "/"), "public_cache_params", None)
        if params is None:
            return None
        request = WSGIRequest(environ)
        try:
            _, stored = _entry(_page_key(request, params))
        except DisallowedHost:
            return None  # Django answers it (400)
        except (RedisError, OSError):
            return None  # the cache unreachable: Django answers, as it would without this
        if stored is None:
            return None
        status, headers, content = stored
        etag = dict(headers).get("ETag")
        if etag and _is_fresh(environ.get("HTTP_IF_NONE_MATCH"), etag):
            return 304, _not_modified_headers(etag), b""
        return status, headers, content

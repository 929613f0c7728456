"""Answering a GET cheaply: ETag and 304, and one cached body for every reader.

The ETag of an answer is known before anything is read from the database: it
is a hash of the request (scheme, host, path, query) and of the content
generation of the page cache (articles/public/cache.py: bumped by every saved
change to a story, union body, reporter, photo, correction or link) together
with the time the next scheduled story is due (so a story that becomes due
changes it as a save would). A client that sends the ETag back gets a 304
without a query; a withdrawn story changes the generation, so every API answer
that showed it is new at once, exactly as the pages are.

The body itself is kept in the cache under the same ETag while the page cache
is on (`settings.PAGE_CACHE_ENABLED`), for at most `cache_timeout()` (capped by
the next scheduled story): the second reader of a list costs no query. The
access check (key, rate limit, usage) runs before this on every request.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags, quote_etag

from ..public import cache as public_cache
from .access import rate_headers
from .errors import not_found

CONTENT_TYPE = "application/json; charset=utf-8"
# Bump when the shape of the answers changes, so clients' stored ETags stop matching.
REPRESENTATION = "v1.1"


def content_etag(request):
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    parts = (
        REPRESENTATION, public_cache.generation(), public_cache.next_scheduled_time(),
        request.scheme, request.get_host(), request.path, query,
    )
    return quote_etag(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])


def render(schema, data):
    """`data` checked against `schema` and dumped as JSON (fields not set stay out)."""
    validated = schema.model_validate(data)
    payload = validated.model_dump(mode="json", exclude_unset=True, by_alias=True)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _finish(request, response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = public_cache.CACHE_CONTROL
    client = getattr(request, "api_client", None)
    if client is not None:
        for name, value in rate_headers(client).items():
            response[name] = value
    return response


def answer(request, schema, build):
    """The answer to a GET: 304 if the client has it, else the cached or freshly built body.

    `build()` returns the data for `schema`; it runs only when neither applies.
    """
    etag = content_etag(request)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _finish(request, HttpResponseNotModified(), etag)
    key = f"api:body:{etag}"
    body = cache.get(key) if settings.PAGE_CACHE_ENABLED else None
    if body is None:
        body = render(schema, build())
        if settings.PAGE_CACHE_ENABLED:
            cache.set(key, body, public_cache.cache_timeout())
    return _finish(request, HttpResponse(body, content_type=CONTENT_TYPE), etag)


def answer_one(request, schema, find, show, missing):
    """The answer for one object: `find()` it (None: a 404 saying `missing`, a Chinese and
    an English text), then `show` it."""

    def build():
        found = find()
        if found is None:
            raise not_found(*missing)
        return show(found)

    return answer(request, schema, build)

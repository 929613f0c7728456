"""Who is asking, how often they may, and how much each key was used.

- Anonymous readers are told apart by their address (REMOTE_ADDR, or the address
  the trusted proxies appended to X-Forwarded-For, `PROXY_COUNT`, newsroom/clients.py) and may make
  `API_ANON_PER_MINUTE` requests a minute.
- Apps send `X-Api-Key: nk_…`. A key is looked up by its SHA-256 (models/api.py),
  remembered in the cache for a few minutes (saving the key — revoking it — forgets
  it at once, on every server), and may make `API_KEY_PER_MINUTE` requests a minute,
  or its own `per_minute`. A key that is unknown or revoked is a 401, never a silent
  fall back to anonymous: the app's developers must notice. Bad keys still count
  against the address's anonymous limit, so guessing keys is throttled.
- Limits are fixed one-minute windows counted with the cache's atomic `incr`
  (Redis in production, shared by every app server). Over the limit is a 429 with
  `Retry-After` (seconds to the next window). Every answer carries
  `X-RateLimit-Limit` and `X-RateLimit-Remaining`.
- Each key's requests (and refusals) per day are counted in the cache and added to
  its `ApiKeyUsage` row every `API_USAGE_WRITE_EVERY` requests: exactly one request
  reaches each multiple, so nothing is counted twice, and a key used by thousands of
  phones does not write one row on every request. Counts not yet written (fewer than
  that number per key and day) are shown in the admin from the cache.

Why not django-ninja's throttles: `SimpleRateThrottle` keeps a list of timestamps
per client, read and written back whole on every request (not atomic across
workers, and 600 entries for a 600-a-minute key), and keeps per-request state on a
shared instance. A counter per window is one atomic operation.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.clients import client_address

from ..models import ApiKey, ApiKeyUsage
from ..models.api import hash_key, key_cache_key
from .errors import ApiError

WINDOW = 60  # seconds
KEY_CACHE_SECONDS = 300
KEY_HEADER = "X-Api-Key"
MAX_KEY_LENGTH = 200


@dataclass
class Client:
    """The caller of one request: an app's key, or an address."""

    ident: str
    per_minute: int
    key_id: int | None = None
    key_name: str = ""
    remaining: int = 0

    @property
    def is_keyed(self):
        return self.key_id is not None


def anonymous(request):
    return Client(ident=f"addr:{client_address(request)}", per_minute=settings.API_ANON_PER_MINUTE)


def _invalid_key(code="invalid_key"):
    if code == "revoked_key":
        return ApiError(401, code, "这个 API 密钥已被吊销，请向报社索取新的密钥。",
                        "This API key has been revoked; ask the newsroom for a new one.")
    return ApiError(401, code, "API 密钥无效（请检查 X-Api-Key 请求头）。",
                    "The API key is invalid (check the X-Api-Key header).")


def _key_record(raw):
    """What the API needs to know of a key, from the cache or one query; None if unknown."""
    digest = hash_key(raw)
    record = cache.get(key_cache_key(digest))
    if record is None:
        row = ApiKey.objects.filter(key_hash=digest).values("id", "name", "per_minute", "revoked_at").first()
        record = {"missing": True} if row is None else {
            "id": row["id"], "name": row["name"], "per_minute": row["per_minute"],
            "revoked": row["revoked_at"] is not None,
        }
        cache.set(key_cache_key(digest), record, KEY_CACHE_SECONDS)
    return None if record.get("missing") else record


def identify(request):
    """The Client of `request`; ApiError 401 (or 429) for a key that is not good."""
    raw = request.headers.get(KEY_HEADER)
    if raw is None:
        return anonymous(request)
    raw = raw.strip()
    record = _key_record(raw) if raw and len(raw) <= MAX_KEY_LENGTH else None
    if record is None or record["revoked"]:
        # Count the attempt against the address first: guessing keys is throttled too.
        take_turn(anonymous(request))
        raise _invalid_key("revoked_key" if record else "invalid_key")
    return Client(
        ident=f"key:{record['id']}", key_id=record["id"], key_name=record["name"],
        per_minute=record["per_minute"] or settings.API_KEY_PER_MINUTE,
    )


def _counter(name, timeout):
    """Atomically add one to the cache counter `name` (made if missing); the new value."""
    cache.add(name, 0, timeout=timeout)
    try:
        return cache.incr(name)
    except ValueError:  # evicted between add() and incr()
        cache.set(name, 1, timeout=timeout)
        return 1


def take_turn(client):
    """Count this request in the client's window; ApiError 429 when it is over its limit."""
    now = time.time()
    start = int(now // WINDOW) * WINDOW
    used = _counter(f"api:rate:{client.ident}:{start}", WINDOW + 5)
    client.remaining = max(0, client.per_minute - used)
    if used > client.per_minute:
        if client.is_keyed:
            count_use(client, "throttled")
        wait = max(1, math.ceil(start + WINDOW - now))
        raise ApiError(
            429, "rate_limited",
            f"请求太频繁：每分钟最多 {client.per_minute} 次，请 {wait} 秒后再试。",
            f"Too many requests: at most {client.per_minute} a minute. Retry in {wait} s.",
            headers={"Retry-After": str(wait), **rate_headers(client)},
        )


def rate_headers(client):
    return {"X-RateLimit-Limit": str(client.per_minute), "X-RateLimit-Remaining": str(client.remaining)}


# --- Usage per key --------------------------------------------------------------------


def _usage_counter(key_id, day, field):
    return f"api:usage:{field}:{key_id}:{day.isoformat()}"


def count_use(client, field="requests"):
    """Count one request (or refusal, `field="throttled"`) of a keyed client today."""
    day = timezone.localdate()
    every = max(1, settings.API_USAGE_WRITE_EVERY)
    count = _counter(_usage_counter(client.key_id, day, field), 2 * 24 * 3600)
    if count % every == 0:
        _write_usage(client.key_id, day, field, every)


def _write_usage(key_id, day, field, amount):
    rows = ApiKeyUsage.objects.filter(key_id=key_id, day=day)
    if not rows.update(**{field: F(field) + amount}):
        try:
            with transaction.atomic():
                ApiKeyUsage.objects.create(key_id=key_id, day=day, **{field: amount})
        except IntegrityError:  # another server made the row meanwhile
            rows.update(**{field: F(field) + amount})
    ApiKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())


def pending_usage(key_ids, day=None, field="requests"):
    """{key id: requests counted in the cache but not yet written} for `day` (today)."""
    day = day or timezone.localdate()
    every = max(1, settings.API_USAGE_WRITE_EVERY)
    names = {_usage_counter(key_id, day, field): key_id for key_id in key_ids}
    found = cache.get_many(list(names))
    return {names[name]: value % every for name, value in found.items()}


class ApiAccess:
    """django-ninja's auth step for every endpoint: identify, take a turn, count.

    Returns the Client (ninja sets it as `request.auth`); refusals are ApiErrors,
    which the API's handlers turn into JSON 401 / 429 answers.
    """

    def __call__(self, request):
        client = identify(request)
        request.api_client = client
        take_turn(client)
        if client.is_keyed:
            count_use(client)
        return client

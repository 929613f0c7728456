"""The read API's own rows: keys for apps, their daily usage, and removed stories.

The API itself is articles/api; these are only its data.

- `ApiKey`: a key an administrator issues to an app (the WeChat mini-program, the
  paper's own app). Only a SHA-256 of the key is stored; the key is shown once,
  when it is made, and never again. Revoking sets `revoked_at`; a key is never
  deleted, so its usage stays on record.
- `ApiKeyUsage`: how many requests a key made on a day (Beijing time), and how
  many of them were refused for going over its limit.
- `RemovedStory`: a story that was on the public site and left it (withdrawn or
  moved to the 回收站), with when. Apps that keep a copy of the stories ask the
  API for these ids, so they can drop them too; nothing else of the story is told.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from .text import TextCleaning

# Keys look like `nk_<43 characters>`: 256 random bits, URL-safe.
KEY_PREFIX = "nk_"
# How many characters of a key (after its prefix) are kept in the clear, to recognise it.
SHOWN_CHARS = 6


def hash_key(raw):
    """The stored form of a key. A key is 256 random bits, so a plain SHA-256 is as safe
    as a slow password hash would be (nothing to guess) and costs microseconds per request."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret():
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_cache_key(key_hash):
    return f"api:key:{key_hash}"


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(TextCleaning, models.Model):
    name = models.CharField("名称", max_length=100, help_text="谁在用这个密钥，例如：微信小程序。")
    prefix = models.CharField("密钥开头", max_length=20, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    per_minute = models.PositiveIntegerField(
        "每分钟请求上限", null=True, blank=True,
        help_text="留空则用默认值（环境变量 NEWSROOM_API_KEY_PER_MINUTE）。",
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("签发时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="吊销人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API 密钥"
        verbose_name_plural = "API 密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The API remembers keys for a few minutes (articles/api/access.py): a change,
        # above all a revocation, must count on the very next request, on every server.
        cache.delete(key_cache_key(self.key_hash))

    def set_secret(self, raw):
        """Store what is kept of a new key `raw` (see new_secret()): its start and its hash."""
        self.prefix, self.key_hash = raw[: len(KEY_PREFIX) + SHOWN_CHARS], hash_key(raw)

    @classmethod
    def issue(cls, *, name, user=None, **fields):
        """A new key: (the row, the key itself). The key is not stored; show it once."""
        raw = new_secret()
        key = cls(name=name, created_by=user, **fields)
        key.set_secret(raw)
        key.save()
        return key, raw

    def revoke(self, *, user=None):
        if self.revoked_at is None:
            self.revoked_at, self.revoked_by = timezone.now(), user
            self.save(update_fields=["revoked_at", "revoked_by"])

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class ApiKeyUsage(models.Model):
    """A key's requests on one day (Beijing time); counted in the cache, written in batches."""

    key = models.ForeignKey(ApiKey, verbose_name="密钥", on_delete=models.CASCADE, related_name="usage")
    day = models.DateField("日期")
    requests = models.PositiveBigIntegerField("请求数", default=0)
    throttled = models.PositiveBigIntegerField("超限被拒", default=0)

    class Meta:
        verbose_name = "API 用量"
        verbose_name_plural = "API 用量"
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="apikeyusage_key_day")]

    def __str__(self):
        return f"{self.key} {self.day}: {self.requests}"


class RemovedStory(models.Model):
    """A story that left the public site (withdrawn or deleted) after being on it.

    Written by articles/api/tombstones.py when such a save happens; a story that
    comes back is public again and the API leaves its row out (it reads only rows
    whose story is not published now). Holds the id and the time, nothing else.
    """

    article = models.OneToOneField(
        "articles.Article", verbose_name="稿件", on_delete=models.CASCADE, related_name="+",
        primary_key=True,
    )
    removed_at = models.DateTimeField("撤下时间")

    class Meta:
        verbose_name = "已撤下的稿件"
        verbose_name_plural = "已撤下的稿件"
        ordering = ["-removed_at", "-article_id"]
        indexes = [
            models.Index(fields=["-removed_at", "-article"], name="removedstory_time_idx"),
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.removed_at:%Y-%m-%d %H:%M}"

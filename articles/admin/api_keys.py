"""API keys for apps: administrators issue them (the key is shown once) and revoke them.

A key is never deleted (its usage stays on record) and never shown again after
the page that issued it: only its SHA-256 is stored (articles/models/api.py).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery, Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from ..api.access import pending_usage
from ..models import ApiKey, ApiKeyUsage
from ..models.api import new_secret
from ..services import permissions
from .common import TolerantChangeListMixin, local_time


class ApiKeyUsageInline(admin.TabularInline):
    model = ApiKeyUsage
    fields = readonly_fields = ["day", "requests", "throttled"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "每日用量（今天还在缓存中、尚未写入的请求计在上方“今日请求”里）"

    def has_add_permission(self, request, obj=None):
        return False


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("valid", "有效"), ("revoked", "已吊销")]

    def queryset(self, request, queryset):
        if self.value() in ("valid", "revoked"):
            return queryset.filter(revoked_at__isnull=self.value() == "valid")
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(TolerantChangeListMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "state", "limit", "today", "total", "last_used", "issued"]
    list_filter = [StateFilter]
    search_fields = ["name", "prefix", "note"]
    actions = ["revoke_selected"]
    inlines = [ApiKeyUsageInline]

    # Administrators only, like accounts: a key opens the API to an app.
    def has_module_permission(self, request):
        return permissions.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    def has_add_permission(self, request):
        return permissions.is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the usage stays on record

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new key has no usage yet

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "per_minute", "note"]
        return ["name", "prefix", "state", "per_minute", "note", "today", "total", "last_used",
                "issued", "revoked"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["prefix", "state", "today", "total", "last_used", "issued", "revoked"]

    def get_queryset(self, request):
        today = ApiKeyUsage.objects.filter(key=OuterRef("pk"), day=timezone.localdate())
        return super().get_queryset(request).annotate(
            written_total=Sum("usage__requests"),
            written_today=Subquery(today.values("requests")[:1]),
        )

    @staticmethod
    def _pending_of(key):
        """Today's requests counted in the cache and not yet written (a cache read)."""
        return pending_usage([key.pk]).get(key.pk, 0)

    @admin.display(description="状态")
    def state(self, key):
        return "已吊销" if key.is_revoked else "有效"

    @admin.display(description="每分钟上限")
    def limit(self, key):
        return key.per_minute or f"{settings.API_KEY_PER_MINUTE}（默认）"

    @admin.display(description="今日请求")
    def today(self, key):
        return (getattr(key, "written_today", None) or 0) + self._pending_of(key)

    @admin.display(description="累计请求")
    def total(self, key):
        return (getattr(key, "written_total", None) or 0) + self._pending_of(key)

    @admin.display(description="最近使用", ordering="last_used_at")
    def last_used(self, key):
        return local_time(key.last_used_at)

    @admin.display(description="签发", ordering="created_at")
    def issued(self, key):
        who = key.created_by.get_username() if key.created_by else "—"
        return f"{local_time(key.created_at)} · {who}"

    @admin.display(description="吊销")
    def revoked(self, key):
        if not key.is_revoked:
            return "—"
        who = key.revoked_by.get_username() if key.revoked_by else "—"
        return f"{local_time(key.revoked_at)} · {who}"

    def save_model(self, request, obj, form, change):
        if not change:
            raw = new_secret()
            obj.set_secret(raw)
            obj.created_by = request.user
            request._issued_key = raw
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that ever shows the key: not a redirect, so it is in no message,
        cookie or session."""
        context = {**self.admin_site.each_context(request), "key": obj, "raw_key": request._issued_key,
                   "opts": self.model._meta, "title": "API 密钥已签发",
                   "per_minute": obj.per_minute or settings.API_KEY_PER_MINUTE}
        # The admin's views are never_cache: the page is sent with Cache-Control: no-store.
        return TemplateResponse(request, "admin/articles/apikey/issued.html", context)

    @admin.action(description="吊销所选 API 密钥")
    def revoke_selected(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoke(user=request.user)
            revoked += 1
        self.message_user(request, f"已吊销 {revoked} 个 API 密钥；使用它们的请求立即被拒绝。",
                          messages.SUCCESS)

"""Login lockouts (django-axes) for administrators: who is locked out, from where, and lifting it.

A lockout is a (username, client address) pair with AXES_FAILURE_LIMIT wrong
passwords within AXES_COOLOFF_TIME (newsroom/clients.py says which address). axes
has no Chinese translation, so its list is shown here in Chinese; deleting the
attempts of a pair (the action 解除锁定) lets that pair log in again at once.
"""

from axes import admin as axes_admin  # registers axes' own admin first, replaced below
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone

from ..services import permissions
from .common import TolerantChangeListMixin, local_time

AccessAttempt._meta.verbose_name = AccessAttempt._meta.verbose_name_plural = "登录锁定"


def _locked(queryset):
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)


class LockedFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", "锁定中"), ("no", "未锁定")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return _locked(queryset)
        if self.value() == "no":
            return queryset.exclude(pk__in=_locked(queryset).values("pk"))
        return queryset


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockoutAdmin(TolerantChangeListMixin, axes_admin.AccessAttemptAdmin):
    list_display = ["username_display", "address", "failures", "state", "last_attempt"]
    list_filter = [LockedFilter]
    search_fields = ["username", "ip_address"]
    date_hierarchy = None
    actions = ["lift"]

    def has_module_permission(self, request):
        return permissions.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.is_admin(request.user)

    @admin.display(description="用户名", ordering="username")
    def username_display(self, obj):
        return obj.username

    @admin.display(description="客户端地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="连续输错次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="状态")
    def state(self, obj):
        locked = (obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
                  and obj.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME)
        if not locked:
            return "未锁定"
        until = obj.attempt_time + settings.AXES_COOLOFF_TIME
        return f"锁定中（至 {local_time(until)}）"

    @admin.display(description="最近一次", ordering="attempt_time")
    def last_attempt(self, obj):
        return local_time(obj.attempt_time)

    @admin.action(description="解除所选的登录锁定")
    def lift(self, request, queryset):
        pairs = list(queryset.values_list("username", "ip_address"))
        queryset.delete()
        self.message_user(request, f"已解除 {len(pairs)} 条登录锁定，对应的用户可以从该地址重新登录。",
                          messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("cleanup_expired_attempts", None)
        return actions

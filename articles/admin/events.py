"""The story log in the admin: read-only, and never deletable (the model refuses too)."""

from django.contrib import admin

from ..models import ArticleEvent
from ..services import permissions
from .common import TolerantChangeListMixin


@admin.register(ArticleEvent)
class ArticleEventAdmin(TolerantChangeListMixin, admin.ModelAdmin):
    list_display = ["created_at", "article", "level_name", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "level_name"]
    list_select_related = ["article", "actor"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        """Only the events of stories the user may open (a reporter: their own)."""
        visible = permissions.visible_articles(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """The log is the newsroom's memory: nobody deletes it, administrators neither."""
        return False

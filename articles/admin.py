"""The newsroom admin: a plain registration of every model.

The editorial workflow (buttons, desk, locking, per-role querysets) is built on
top of these classes; they only hold lists, filters and inlines.
"""

from django.contrib import admin

from . import photo_admin  # noqa: F401  (registers PhotoAdmin: the photo library)
from .models import (
    Article,
    ArticleEvent,
    ArticlePhoto,
    ArticleUnionBody,
    Byline,
    Reporter,
    UnionBody,
)


@admin.register(UnionBody)
class UnionBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["parent"]


@admin.register(Reporter)
class ReporterAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user", "is_active", "needs_review"]
    list_filter = ["role", "is_active", "needs_review"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["user"]


class UnionBodyInline(admin.TabularInline):
    model = ArticleUnionBody
    extra = 1
    autocomplete_fields = ["union_body"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["reporter"]


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    autocomplete_fields = ["photo"]


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status"]
    date_hierarchy = "published_at"
    search_fields = ["title", "kicker", "subtitle"]
    inlines = [UnionBodyInline, BylineInline, ArticlePhotoInline, ArticleEventInline]
    # Lists of a large archive must not COUNT the whole table on every view.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kicker", "title", "subtitle", "source_label", "lead", "body"]}),
        ("发布", {"fields": ["status", "published_at", "print_date", "print_page"]}),
    ]


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    list_select_related = ["article", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

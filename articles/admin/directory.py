"""The directory: union bodies, the reporter roster and editors' scopes.

Administrators keep them; reporters and editors may only look (the story form's
autocomplete needs that), as articles/services/permissions.py says.
"""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from ..models import EditorScope, Reporter, UnionBody
from ..services import permissions
from .common import ProtectedDeleteMixin, TolerantChangeListMixin


class DirectoryAdmin(TolerantChangeListMixin, ProtectedDeleteMixin, admin.ModelAdmin):
    """Union bodies and the reporter roster: administrators keep them, others only look.

    Reporters and editors keep their view permission (the story form's
    autocomplete needs it) but may never add, change or delete. `may_manage`
    is the rule of who keeps the rows (the review setup uses its own).
    """

    may_manage = staticmethod(permissions.can_manage_directory)

    def has_add_permission(self, request):
        return self.may_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return self.may_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.may_manage(request.user)


@admin.register(UnionBody)
class UnionBodyAdmin(DirectoryAdmin):
    list_display = ["tree_name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["parent"]

    def _is_changelist(self, request):
        match = getattr(request, "resolver_match", None)
        return bool(match and match.url_name == "articles_unionbody_changelist")

    def get_queryset(self, request):
        """On the list: each body's place and depth in the tree (one extra query)."""
        if not self._is_changelist(request):
            return super().get_queryset(request)
        tree = UnionBody.objects.directory().walk(active_only=False)
        # Annotate before ordering: ModelAdmin.get_queryset would order by the
        # annotation before it exists.
        return self.model._default_manager.annotate(
            tree_position=Case(
                *[When(pk=body.pk, then=Value(i)) for i, (body, _) in enumerate(tree)],
                default=Value(len(tree)), output_field=IntegerField(),
            ),
            tree_depth=Case(
                *[When(pk=body.pk, then=Value(depth)) for body, depth in tree],
                default=Value(0), output_field=IntegerField(),
            ),
        )

    def get_ordering(self, request):
        return ["tree_position"] if self._is_changelist(request) else super().get_ordering(request)

    @admin.display(description="名称（按上下级缩进）", ordering="tree_position")
    def tree_name(self, body):
        depth = getattr(body, "tree_depth", 0)
        return format_html(
            '<span class="tree-name" style="padding-left:{}em">{}{}</span>',
            depth * 1.5, "└ " if depth else "", body.name,
        )


@admin.register(Reporter)
class ReporterAdmin(DirectoryAdmin):
    list_display = ["name", "role", "user", "is_active", "needs_review"]
    list_filter = ["role", "is_active", "needs_review"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["user"]


@admin.register(EditorScope)
class EditorScopeAdmin(DirectoryAdmin):
    """Which union bodies (with their sub-bodies) an editor is limited to; administrators keep it."""

    list_display = ["user", "union_body"]
    list_select_related = ["user", "union_body"]
    autocomplete_fields = ["user", "union_body"]
    search_fields = ["user__username", "user__first_name", "union_body__name"]

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_directory(request.user)

"""The newsroom admin.

The admin calls the domain, it does not hold it: who may do what is decided in
articles/permissions.py, every status change and every save of a story goes
through articles/workflow.py, and refusals come back as Chinese messages.
"""

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models import (
    Article,
    ArticleEvent,
    ArticlePhoto,
    ArticleUnionBody,
    Byline,
    EditorScope,
    Reporter,
    UnionBody,
)
from ..selectors import desk
from ..services import permissions, workflow
from .importing import PageImportAdminMixin, UnionSuggestionsMixin
from .newsroom import ArticleNewsroomMixin
from .photos import thumbnail_html  # (importing it also registers PhotoAdmin)
from .tools import (
    ArticleAdminForm,
    CappedCountPaginator,
    ProtectedDeleteMixin,
    ReporterFilter,
    StatusFilter,
    UnionBodyTreeFilter,
    allow_ckeditor_scripts,
    local_time,
)


class DirectoryAdmin(ProtectedDeleteMixin, admin.ModelAdmin):
    """Union bodies and the reporter roster: administrators keep them, others only look.

    Reporters and editors keep their view permission (the story form's
    autocomplete needs it) but may never add, change or delete.
    """

    def has_add_permission(self, request):
        return permissions.can_manage_directory(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_directory(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_directory(request.user)


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


# --- Articles -----------------------------------------------------------------


class ArticlePartInline(admin.TabularInline):
    """A part of a story (union bodies, byline, photos): editable exactly when the story is.

    The parts have no model permissions of their own; the story's rules apply.
    """

    extra = 0

    def _story_editable(self, request, obj):
        if obj is None:
            return permissions.can_create(request.user)
        return permissions.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._story_editable(request, obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_create(request.user)
        return permissions.can_view(request.user, obj)


class UnionBodyInline(ArticlePartInline):
    model = ArticleUnionBody
    extra = 1
    autocomplete_fields = ["union_body"]
    verbose_name_plural = "工会组织（可选多个）"


class BylineInline(ArticlePartInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["reporter"]
    fields = ["reporter", "role", "order"]
    verbose_name_plural = "署名（按顺序）"


class ArticlePhotoInline(ArticlePartInline):
    model = ArticlePhoto
    autocomplete_fields = ["photo"]
    fields = ["photo", "thumbnail", "order", "is_lead"]
    readonly_fields = ["thumbnail"]
    verbose_name_plural = "图片（按顺序，题图只能一张）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description="缩略图")
    def thumbnail(self, link):
        return thumbnail_html(link.photo if link.photo_id else None)


TRANSITION_LABELS = {
    "submit": "送审",
    "publish": "立即发布",
    "schedule": "定时发布",
    "return": "退回",
    "withdraw": "撤回",
}


@admin.register(Article)
class ArticleAdmin(
    ArticleNewsroomMixin, PageImportAdminMixin, UnionSuggestionsMixin, admin.ModelAdmin
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/article/delete_selected_confirmation.html"
    # A copy of a story would skip the workflow's history; there is no "save as new".
    save_as = False
    list_display = [
        "title_with_kicker", "status_badge", "union_list", "byline", "published_display",
        "updated_at",
    ]
    list_display_links = ["title_with_kicker"]
    list_filter = [StatusFilter, UnionBodyTreeFilter, ReporterFilter]
    list_select_related = ["created_by"]
    date_hierarchy = "published_at"
    search_fields = ["title", "kicker", "subtitle", "lead", "body"]
    inlines = [UnionBodyInline, BylineInline, ArticlePhotoInline]
    readonly_fields = ["status_badge", "published_display", "submitted_at", "version"]
    actions = ["publish_selected"]
    # Lists of a large archive must not COUNT the whole table on every view.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-newsroom.css"]}

    def view_on_site(self, article):
        """Only a story the public can read has a page to look at."""
        return article.get_absolute_url() if article.is_published() else None

    # --- who sees what

    def get_queryset(self, request):
        queryset = permissions.visible_articles(request.user, super().get_queryset(request))
        match = getattr(request, "resolver_match", None)
        if match and match.url_name == "articles_article_changelist":
            # The list never shows the text; bylines come with their reporters in one
            # query; the date hierarchy's years come from a probe per year.
            queryset = queryset.years_by_probe().defer("body", "lead").prefetch_related(
                "union_bodies",
                Prefetch("bylines", queryset=Byline.objects.select_related("reporter")),
            )
        return queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_create(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        """Deleting moves a story to the 回收站; only editors may (workflow.delete_article)."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and permissions.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    # --- the form

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        story = ["kicker", "title", "subtitle", "source_label", "lead", "body"]
        editable = obj is None or self.has_change_permission(request, obj)
        if editable:
            story.insert(0, "expected_version")
            if obj is not None and obj.status == Article.Status.PUBLISHED:
                story += ["change_note", "public_correction"]
        return [
            (None, {"fields": story}),
            ("发布（状态只能通过上方的流程按钮改变）", {
                "fields": ["status_badge", "published_display", "submitted_at", "version",
                           "print_date", "print_page"],
            }),
            *self.suggestion_fieldsets(obj),
        ]

    def save_model(self, request, obj, form, change):
        workflow.save_article(
            article=obj, user=request.user,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            note=form.cleaned_data.get("change_note", ""),
            public_note=form.cleaned_data.get("public_correction", ""),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST:
            # Django honours "_saveasnew" even with save_as off: refuse the crafted POST.
            raise PermissionDenied("稿件不能“另存为新稿件”。")
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.StaleVersion:
            # Someone saved between our form check and our save (no row locks on
            # SQLite): everything was rolled back; show the form again, whose
            # check now reports the stale version with the user's text kept.
            response = super().changeform_view(request, object_id, form_url, extra_context)
        return allow_ckeditor_scripts(response)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context.update(
                transitions=[
                    (name, TRANSITION_LABELS[name])
                    for name in permissions.available_transitions(request.user, obj)
                ],
                events=list(obj.events.select_related("actor")),
                story=obj,
                default_publish_at=timezone.localtime().replace(second=0, microsecond=0)
                .strftime("%Y-%m-%dT%H:%M"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- list columns

    @admin.display(description="稿件", ordering="title")
    def title_with_kicker(self, article):
        if article.kicker:
            return format_html('<span class="kicker">{}</span><br>{}', article.kicker, article.title)
        return article.title

    @admin.display(description="状态", ordering="status")
    def status_badge(self, article):
        if article.is_scheduled():
            return mark_safe('<span class="badge badge--scheduled">定时</span>')
        return format_html(
            '<span class="badge badge--{}">{}</span>', article.status, article.get_status_display()
        )

    @admin.display(description="工会组织")
    def union_list(self, article):
        return "、".join(body.short_name or body.name for body in article.union_bodies.all()) or "—"

    @admin.display(description="署名")
    def byline(self, article):
        return article.credit_line() or "—"

    @admin.display(description="发布时间", ordering="published_at")
    def published_display(self, article):
        if article.is_scheduled():
            return format_html('<span class="scheduled">定时 {}</span>', local_time(article.published_at))
        return local_time(article.published_at)

    # --- deleting: the 回收站 (soft delete through the workflow)

    def get_deleted_objects(self, objs, request):
        """Only the stories themselves: their bylines, links and events are kept, not deleted."""
        objs = list(objs)
        return [str(obj) for obj in objs], {self.opts.verbose_name_plural: len(objs)}, set(), []

    def delete_model(self, request, obj):
        workflow.delete_article(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        refused = []
        for article in queryset:
            try:
                workflow.delete_article(article=article, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append((article.title, workflow.error_text(error)))
        if refused:
            self.message_user(
                request,
                format_html("以下稿件未删除：<ul>{}</ul>", format_html_join("", "<li>《{}》：{}</li>", refused)),
                messages.WARNING,
            )

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request, f"《{obj_display}》已移入回收站，编辑可以在回收站恢复。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_undelete": permissions.can_undelete(request.user)}
        return super().changelist_view(request, extra_context)

    def trash_view(self, request):
        """The 回收站: deleted stories, newest first, each with a restore button (editors)."""
        if not permissions.can_undelete(request.user):
            raise PermissionDenied
        stories = (
            Article.all_objects.deleted().select_related("deleted_by").order_by("-deleted_at", "-id")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "回收站",
            "opts": self.opts,
            "stories": stories[:200],
        }
        return TemplateResponse(request, "admin/articles/article/trash.html", context)

    def undelete_view(self, request, object_id):
        """Restore one story from the 回收站 (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.all_objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if article is None:
            raise Http404
        try:
            workflow.undelete_article(article=article, user=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            self.message_user(request, f"恢复未成功：{workflow.error_text(error)}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_trash"))
        self.message_user(
            request, f"《{article.title}》已恢复（{article.get_status_display()}）。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # --- bulk action

    @admin.action(description="发布所选稿件（逐篇检查）", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = [], []
        for article in queryset.order_by("submitted_at", "id"):
            try:
                workflow.publish(article=article, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append((article.title, workflow.error_text(error)))
            else:
                published.append(article.title)
        if published:
            self.message_user(request, f"已发布 {len(published)} 篇稿件。", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                format_html(
                    "以下 {} 篇稿件未发布：<ul>{}</ul>", len(refused),
                    format_html_join("", "<li>《{}》：{}</li>", refused),
                ),
                messages.WARNING,
            )

    # --- workflow buttons and the desk

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("desk/", wrap(self.desk_view), name="%s_%s_desk" % info),
            path("trash/", wrap(self.trash_view), name="%s_%s_trash" % info),
            path("<str:object_id>/restore/", wrap(self.undelete_view), name="%s_%s_undelete" % info),
            path(
                "<path:object_id>/transition/<str:action>/",
                wrap(self.transition_view), name="%s_%s_transition" % info,
            ),
        ] + super().get_urls()

    def transition_view(self, request, object_id, action):
        """Run one workflow transition from a button (POST only); report the result."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in TRANSITION_LABELS:
            raise Http404
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        post = request.POST
        version = post.get("version", "")
        kwargs = {
            "article": article, "user": request.user,
            "expected_version": int(version) if version.isdigit() else None,
        }
        try:
            if action == "submit":
                workflow.submit(**kwargs)
            elif action == "return":
                workflow.return_to_reporter(reason=post.get("reason", ""), **kwargs)
            elif action == "withdraw":
                workflow.withdraw(reason=post.get("reason", ""), **kwargs)
            elif action == "publish":
                workflow.publish(**kwargs)
            else:
                workflow.publish(at=parse_local_datetime(post.get("publish_at", "")), **kwargs)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, f"{TRANSITION_LABELS[action]}未成功：{workflow.error_text(error)}",
                messages.ERROR,
            )
        else:
            self.message_user(request, self._done_message(action, article), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    @staticmethod
    def _done_message(action, article):
        if action == "schedule":
            return f"《{article.title}》将于 {local_time(article.published_at)} 发布。"
        return f"《{article.title}》已{TRANSITION_LABELS[action]}。"

    def desk_view(self, request):
        """The desk: editors see the review queue first, reporters their returned stories."""
        user = request.user
        if not permissions.is_newsroom_member(user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "编辑部工作台",
            "opts": self.opts,
            "is_editor": permissions.is_editor(user),
            "returned": desk.returned_to(user),
            "mine": desk.own_in_progress(user).prefetch_related("union_bodies")[:30],
        }
        if context["is_editor"]:
            context.update(
                queue=desk.with_approvers(desk.review_queue(user)),
                upcoming=desk.upcoming(user)[:20],
                counts=desk.counts(user),
            )
        return TemplateResponse(request, "admin/articles/article/desk.html", context)


def parse_local_datetime(value):
    """`2025-05-01T09:30` from a datetime-local input, in the newsroom's time zone."""
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(datetime.strptime(value.strip(), pattern))
        except ValueError:
            continue
    raise ValidationError("请填写正确的定时发布时间（年-月-日 时:分）。")


@admin.register(EditorScope)
class EditorScopeAdmin(DirectoryAdmin):
    """Which union bodies (with their sub-bodies) an editor is limited to; administrators keep it."""

    list_display = ["user", "union_body"]
    list_select_related = ["user", "union_body"]
    autocomplete_fields = ["user", "union_body"]
    search_fields = ["user__username", "user__first_name", "union_body__name"]

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_directory(request.user)


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
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

"""The story admin: the list, the form, and the newsroom's pages around a story.

ArticleAdmin calls the domain; it does not hold it. Who may do what is
articles/services/permissions.py; what can happen to a story is the table in
articles/services/transitions.py; every save, status change and deletion goes
through articles/services/workflow.py, and refusals come back as Chinese
messages. The pages around a story (the desk, the 回收站, workflow buttons,
comments, revisions, previews, share links, page import) are small view
functions in article_views.py, routed by the one `get_urls` below.
"""

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..importer.recognition import Recognizer, suggest_union_bodies
from ..models import Article, ArticlePhoto, ArticleUnionBody, Byline
from ..sanitize import sanitize_html
from ..services import permissions, revisions, roster, transitions, workflow
from . import article_views as views
from . import slip
from .common import CappedCountPaginator, TolerantChangeListMixin, allows_ckeditor_scripts, local_time
from .filters import PublishedFilter, ReporterFilter, StatusFilter, UnionBodyTreeFilter
from .forms import ArticleAdminForm, BylineForm
from .photos import thumbnail_html


class ArticlePartFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table row's fields have their column header for a label, which assistive
        # technology does not read: each field is named by its label too.
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
            if field.label and not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label))

    def get_unique_error_message(self, unique_check):
        # Django names the field by its attribute ("请修改reporter的重复数据"); say it in Chinese.
        names = "、".join(str(self.model._meta.get_field(name).verbose_name)
                         for name in unique_check if name != self.fk.name)
        return f"同一{names}只能出现一次，请删去重复的一行。"

    def get_form_error(self):
        return "请修改下面重复的内容。"


class ArticlePartInline(admin.TabularInline):
    """A part of a story (union bodies, byline, photos): editable exactly when the story is.

    The parts have no model permissions of their own; the story's rules apply.
    """

    extra = 0
    formset = ArticlePartFormSet

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


class UnionBodyFormSet(ArticlePartFormSet):
    """Refuses union bodies a limited editor may not add or remove (permissions.retag_refusal)."""

    user = None  # set per request by UnionBodyInline.get_formset

    def clean(self):
        super().clean()
        if self.instance.pk is None or any(self.errors):
            return
        kept = {form.cleaned_data["union_body"].pk for form in self.forms
                if form.cleaned_data.get("union_body") and not form.cleaned_data.get("DELETE")}
        refusal = permissions.retag_refusal(self.user, self.instance, kept)
        if refusal:
            raise ValidationError(refusal)


class UnionBodyInline(ArticlePartInline):
    model = ArticleUnionBody
    formset = UnionBodyFormSet
    extra = 1
    autocomplete_fields = ["union_body"]
    verbose_name_plural = "工会组织（可选多个）"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})


class BylineInline(ArticlePartInline):
    model = Byline
    form = BylineForm
    extra = 1
    autocomplete_fields = ["reporter"]
    fields = ["reporter", "new_correspondent", "role", "order"]
    verbose_name_plural = "署名（按顺序）"

    def get_fields(self, request, obj=None):
        # A new name is typed, never shown: a read-only byline lists its reporters.
        return self.fields if self._story_editable(request, obj) else ["reporter", "role", "order"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"user": request.user})
        return formset

    @staticmethod
    def writer_initial(request):
        """A new story's byline starts with the writing reporter (their roster entry, in
        their role). Only on the blank form: a row posted back is compared with no
        initial, so an untouched first row is still saved."""
        profile = roster.profile_of(request.user)
        if profile is None or request.method != "GET":
            return None
        return [{"reporter": profile.pk, "role": roster.byline_role(profile), "order": 0}]


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


@admin.register(Article)
class ArticleAdmin(TolerantChangeListMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    delete_confirmation_template = "admin/articles/article/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/article/delete_selected_confirmation.html"
    # A copy of a story would skip the workflow's history; there is no "save as new".
    save_as = False
    list_display = [
        "title_with_kicker", "status_badge", "union_list", "byline", "published_display",
        "updated_display",
    ]
    list_display_links = ["title_with_kicker"]
    list_filter = [StatusFilter, PublishedFilter, UnionBodyTreeFilter, ReporterFilter]
    list_select_related = ["created_by", "review_level"]
    search_fields = ["title", "kicker", "subtitle", "lead", "body"]
    inlines = [UnionBodyInline, BylineInline, ArticlePhotoInline]
    readonly_fields = ["status_badge", "published_display", "submitted_at", "version", "union_suggestions",
                       "body_text"]
    actions = ["submit_selected", "publish_selected"]
    # Lists of a large archive must not COUNT the whole table on every view.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    # Django's facet counts (one filtered COUNT per choice: 287 union bodies, 300
    # reporters, every year) would read the whole archive on every view.
    show_facets = admin.ShowFacets.NEVER

    class Media:
        css = {"all": ["css/admin-newsroom.css"]}
        js = ["js/story-form.js"]

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's selection checkbox, written directly: through the form renderer's
        three widget templates it cost about a third of the story list's render time
        (50 rows). The markup is the same as CheckboxInput's (tests/test_newsroom_admin.py)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def view_on_site(self, article):
        """Only a story the public can read has a page to look at."""
        return article.get_absolute_url() if article.is_published() else None

    # --- the newsroom's pages

    def get_urls(self):
        def route(pattern, view, name):
            def with_admin(request, *args, **kwargs):
                return view(request, self, *args, **kwargs)

            wrapped = self.admin_site.admin_view(update_wrapper(with_admin, view))
            return path(pattern, wrapped, name=f"articles_article_{name}")

        return [
            route("desk/", views.desk_view, "desk"),
            route("trash/", views.trash_view, "trash"),
            route("import/", views.import_page_view, "import"),
            route("<str:object_id>/restore/", views.undelete, "undelete"),
            route("<str:object_id>/transition/<str:action>/", views.transition, "transition"),
            route("<str:object_id>/comment/", views.comment, "comment"),
            route("<str:object_id>/revisions/", views.revisions_view, "revisions"),
            route("<str:object_id>/revisions/<int:version_id>/restore/", views.restore, "restore"),
            route("<str:object_id>/preview/", views.preview, "preview"),
            route("<str:object_id>/slip/", slip.slip_view, "slip"),
            route("<str:object_id>/slip.pdf", slip.slip_pdf, "slip_pdf"),
            route("<str:object_id>/share/", views.share, "share"),
            route("<str:object_id>/share/<int:link_id>/revoke/", views.revoke, "revoke"),
            *super().get_urls(),
        ]

    # --- who sees what

    def get_queryset(self, request):
        queryset = permissions.visible_articles(request.user, super().get_queryset(request))
        match = getattr(request, "resolver_match", None)
        if match and match.url_name == "articles_article_changelist":
            # The list never shows the text; union bodies come as the public lists read
            # them (narrow, through the links), bylines with their reporters: one query each.
            queryset = queryset.defer("body", "lead").with_listed_union_bodies().with_bylines()
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
        """Deleting moves a story to the 回收站 (workflow.delete_article)."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and permissions.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    # --- the form

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        # Read-only, the body is shown as the formatted text it is, not as its HTML source.
        story = ["kicker", "title", "subtitle", "source_label", "lead", "body" if editable else "body_text"]
        if editable:
            # expected_version is a hidden input the template puts at the top of the form
            # (a fieldset row would give a hidden input a label).
            if obj is not None and obj.status == Article.Status.PUBLISHED:
                story += ["change_note", "public_correction"]
        fieldsets = [
            (None, {"fields": story}),
            ("发布（状态只能通过上方的流程按钮改变）", {
                "fields": ["status_badge", "published_display", "submitted_at", "version",
                           "print_date", "print_page"],
            }),
        ]
        if obj is not None:
            fieldsets.append(("识别到的工会", {"fields": ["union_suggestions"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        workflow.save_article(
            article=obj, user=request.user,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            note=form.cleaned_data.get("change_note", ""),
            public_note=form.cleaned_data.get("public_correction", ""),
        )

    @allows_ckeditor_scripts
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST:
            # Django honours "_saveasnew" even with save_as off: refuse the crafted POST.
            raise PermissionDenied("稿件不能“另存为新稿件”。")
        # One revision per request: the story and the inline rows saved after it.
        with revisions.recording(user=request.user, comment="在编辑部后台保存"):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except workflow.StaleVersion:
                # Someone saved between our form check and our save (no row locks on
                # SQLite): everything was rolled back; show the form again, whose
                # check now reports the stale version with the user's text kept.
                return super().changeform_view(request, object_id, form_url, extra_context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None:
            initial = inline.writer_initial(request)
            if initial:
                kwargs["initial"] = initial
        return kwargs

    def history_view(self, request, object_id, extra_context=None):
        """One history per story: Django's 历史 URL shows the versions page (who saved what,
        compare, restore), under the same rules."""
        return views.revisions_view(request, self, object_id)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._submit_row(request, None)}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        if story is not None:
            extra_context = {**(extra_context or {}), **views.story_panel(self, request, story),
                             **self._submit_row(request, story)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _submit_row(self, request, story):
        """The buttons under the form: 保存 (stays on the story), 保存并送审 / 保存并签发 … in one
        click where the workflow allows them now, 保存并返回列表."""
        steps = transitions.after_save(request.user, story)
        return {
            "save_steps": [{"name": step.name, "label": f"保存并{step.label_for(story) if story else step.label}",
                            "text": step.reason} for step in steps],
            "save_steps_text": next((step.reason for step in steps if step.reason), ""),
            # 保存 already stays on the story; adding a copy of it is not a newsroom step.
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }

    # --- after a save: stay on the story, or take the next step in the same click

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request, obj):
        """保存 keeps the writer on the story; 保存并… (or a workflow button pressed with
        unsaved typing, static/js/story-form.js) runs that step right after the save, under
        its own rules. 保存并返回列表 (`_close`) and Django's popups go the usual way."""
        post = request.POST
        if "_close" in post or "_popup" in post or "_addanother" in post:
            return None
        step = transitions.by_name(post.get("_then", ""))
        if step is None:
            self.message_user(request, f"《{obj.title}》已保存（第 {obj.version} 版）。", messages.SUCCESS)
        else:
            for each in getattr(step, "steps", (step,)):
                taken = views.take_step(
                    self, request, obj, each, expected_version=obj.version, reason=post.get("_reason", ""),
                    publish_at=post.get("_publish_at"), acknowledged=post.get("acknowledged", ""), saved=True,
                )
                if not taken:
                    break
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_undelete": permissions.can_undelete(request.user),
            "can_import_pages": permissions.can_import(request.user),
        }
        return super().changelist_view(request, extra_context)

    # --- list columns

    @admin.display(description="稿件", ordering="title")
    def title_with_kicker(self, article):
        if article.kicker:
            return format_html('<span class="kicker">{}</span><br>{}', article.kicker, article.title)
        return article.title

    @admin.display(description="状态", ordering="status")
    def status_badge(self, article):
        state = transitions.state_of(article)
        return format_html('<span class="badge badge--{}">{}</span>', state.name,
                           transitions.state_label(article))

    @admin.display(description="工会组织")
    def union_list(self, article):
        return "、".join(body.short_name or body.name for body in article.listed_union_bodies()) or "—"

    @admin.display(description="署名")
    def byline(self, article):
        return article.credit_line() or "—"

    @admin.display(description="发布时间", ordering="published_at")
    def published_display(self, article):
        if article.is_scheduled():
            return format_html('<span class="scheduled">定时 {}</span>', local_time(article.published_at))
        return local_time(article.published_at)

    @admin.display(description="正文")
    def body_text(self, article):
        """The body as readers will see it. It was sanitised on save (articles/sanitize.py);
        sanitising again here costs little and keeps this page safe whatever the row holds."""
        return format_html('<div class="body-text">{}</div>', mark_safe(sanitize_html(article.body)))

    @admin.display(description="修改时间", ordering="updated_at")
    def updated_display(self, article):
        return local_time(article.updated_at)

    @admin.display(description="识别到的工会")
    def union_suggestions(self, article):
        suggestions = suggest_union_bodies(article, Recognizer())
        if not suggestions:
            return "正文里提到的工会都已添加（或没有提到已知的工会）。"
        names = format_html_join(
            "、", '<a href="{}" target="_blank">{}</a>',
            ((reverse("admin:articles_unionbody_change", args=[body.pk]), body.name)
             for body in suggestions),
        )
        return format_html("{}<br><small>请在下面的“稿件所属工会”中添加需要的工会。</small>", names)

    # --- deleting: the 回收站

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
            except views.REFUSED as error:
                refused.append((article.title, workflow.error_text(error)))
        views.report_refusals(self, request, refused, "删除")

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request, f"《{obj_display}》已移入回收站，编辑可以在回收站恢复。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # --- bulk actions: story by story, under the same rules as each story's button

    def has_submit_permission(self, request):
        return permissions.can_create(request.user)

    @admin.action(description="送审所选稿件（逐篇检查：须为草稿，机审无提示）", permissions=["submit"])
    def submit_selected(self, request, queryset):
        """Submit each selected draft (an imported page's, say) as its 送审 button would.
        Stories with 机审 warnings need their own page, where the warnings are acknowledged."""
        self._run_each(request, queryset.order_by("id"), transitions.SUBMIT, "送审", "已送审")

    @admin.action(description="签发所选稿件，立即发布（逐篇检查：须在终审，机审无提示）",
                  permissions=["publish"])
    def publish_selected(self, request, queryset):
        """Sign off each selected story under the same rules as its button; the opinion
        logged says it was a bulk sign-off. Stories with 机审 warnings need their own page."""
        self._run_each(request, queryset.order_by("submitted_at", "id"), transitions.PUBLISH, "发布",
                       "已发布", reason="同意签发（批量签发）。")

    def _run_each(self, request, stories, step, what, done, reason=""):
        """Run `step` on each story in its own transaction; one message for what ran, one
        listing each story left alone with the reason."""
        count, refused = 0, []
        for article in stories:
            try:
                step.run(article=article, user=request.user, reason=reason)
            except views.REFUSED as error:
                refused.append((article.title, workflow.error_text(error)))
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {count} 篇稿件。", messages.SUCCESS)
        views.report_refusals(self, request, refused, what)

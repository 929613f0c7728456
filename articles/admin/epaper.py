"""The e-paper in the newsroom: issues and their pages, PDF upload, the region editor, 补录.

IssueAdmin calls articles/services/epaper.py and archive.py; who may do what is
`epaper.can_manage_epaper` (editors without a union-body limit, administrators)
and, for 补录, the workflow's publishing rule per story. Its pages:

    upload/                           a day's PDFs (one per page, or one with every page)
    <issue>/backfill/                 POST: 补录 — publish a past issue and its stories at its date
    page/<page>/regions/              the region editor (GET), save (POST, JSON of the regions)
    page/<page>/drafts/               POST: draft stories from the page's unmatched text blocks

The editor is static/js/region-editor.js over an SVG on the page image (the
admin's strict CSP: no inline script; the data travels in json_script blocks).
"""

import json
from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from ..importer.parser import PageImportError
from ..models import Issue, Page
from ..services import archive, epaper
from ..services.workflow import NotAllowed, error_text
from .common import TolerantChangeListMixin
from .photos import MultipleFileField, MultipleFileInput


class EditionUploadForm(forms.Form):
    date = forms.DateField(label="出版日期", widget=forms.DateInput(attrs={"type": "date"}))
    files = MultipleFileField(
        label="版面 PDF", widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": "请至少选择一个 PDF 文件。"},
        help_text="每版一个文件（按文件名排序即版序），或一个文件包含全部版面。已有的版面会被替换。",
    )
    first_page = forms.IntegerField(label="第一个文件的版次", min_value=1, max_value=200, initial=1)
    names = forms.CharField(
        label="各版版名", required=False, max_length=400,
        help_text="用逗号分隔，如：要闻,工会新闻,基层动态,职工生活",
    )


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["number", "name", "thumbnail", "stories", "regions_link"]
    readonly_fields = ["thumbnail", "stories", "regions_link"]
    show_change_link = False

    # Pages come from uploads; an editor renames or deletes them here.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return epaper.can_manage_epaper(request.user)

    def has_delete_permission(self, request, obj=None):
        return epaper.can_manage_epaper(request.user)

    def has_view_permission(self, request, obj=None):
        return epaper.can_manage_epaper(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("placements")).defer("blocks")

    @admin.display(description="版面图")
    def thumbnail(self, page):
        thumbs = (page.renditions or {}).get("page_thumb")
        if not thumbs:
            return "（无）"
        return format_html('<img src="{}" width="{}" height="{}" alt="">',
                           default_storage.url(thumbs[0]["jpeg"]), thumbs[0]["width"] // 2,
                           thumbs[0]["height"] // 2)

    @admin.display(description="稿件")
    def stories(self, page):
        return f"{getattr(page, 'story_count', 0)} 篇"

    @admin.display(description="热区")
    def regions_link(self, page):
        if page.pk is None:
            return "—"
        return format_html('<a href="{}">编辑热区</a>',
                           reverse("admin:articles_issue_regions", args=[page.pk]))


@admin.register(Issue)
class IssueAdmin(TolerantChangeListMixin, admin.ModelAdmin):
    list_display = ["__str__", "date", "number", "total_number", "is_published", "page_count"]
    list_filter = ["is_published"]
    date_hierarchy = "date"
    fields = ["date", "number", "total_number", "is_published"]
    inlines = [PageInline]
    actions = ["publish_selected", "unpublish_selected"]
    change_list_template = "admin/articles/issue/change_list.html"
    change_form_template = "admin/articles/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pages_total=Count("pages"))

    @admin.display(description="版数", ordering="pages_total")
    def page_count(self, issue):
        return issue.pages_total

    def _manager(self, request):
        return epaper.can_manage_epaper(request.user)

    # The e-paper's rule, not model permissions: editors (no union-body limit) and administrators.
    def has_module_permission(self, request):
        return self._manager(request)

    def has_view_permission(self, request, obj=None):
        return self._manager(request)

    def has_add_permission(self, request):
        return self._manager(request)

    def has_change_permission(self, request, obj=None):
        return self._manager(request)

    def has_delete_permission(self, request, obj=None):
        return self._manager(request)

    @admin.action(description="发布所选报纸（数字报）")
    def publish_selected(self, request, queryset):
        for issue in queryset:
            epaper.publish_issue(issue=issue, user=request.user)
        self.message_user(request, f"已发布 {queryset.count()} 期。", messages.SUCCESS)

    @admin.action(description="撤下所选报纸（数字报）")
    def unpublish_selected(self, request, queryset):
        for issue in queryset:
            epaper.publish_issue(issue=issue, user=request.user, published=False)
        self.message_user(request, f"已撤下 {queryset.count()} 期。", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra = {
            "can_backfill": bool(issue and issue.date < timezone.localdate()),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    # --- the pages around an issue

    def get_urls(self):
        def route(pattern, view, name):
            def wrapped(request, *args, **kwargs):
                if not self._manager(request):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return path(pattern, self.admin_site.admin_view(update_wrapper(wrapped, view)),
                        name=f"articles_issue_{name}")

        return [
            route("upload/", self.upload_view, "upload"),
            route("<int:issue_id>/backfill/", self.backfill_view, "backfill"),
            route("page/<int:page_id>/regions/", self.regions_view, "regions"),
            route("page/<int:page_id>/drafts/", self.drafts_view, "drafts"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title,
                **extra}

    def upload_view(self, request):
        form = EditionUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            uploads = sorted(data["files"], key=lambda upload: upload.name)
            names = [n.strip() for n in data["names"].replace("，", ",").split(",")]
            try:
                result = epaper.import_edition(
                    files=[(upload.name, upload.read()) for upload in uploads],
                    date=data["date"], user=request.user, first_number=data["first_page"],
                    names={n: name for n, name in enumerate(names, start=data["first_page"]) if name},
                )
            except ValidationError as error:
                form.add_error("files", error)
            else:
                placed = sum(len(stories) for stories in result.placed.values())
                self.message_user(
                    request, f"已导入 {len(result.pages)} 个版面，{placed} 篇稿件有了热区。请逐版核对。",
                    messages.SUCCESS,
                )
                return redirect("admin:articles_issue_change", result.issue.pk)
        if form.errors:
            self.message_user(request, "没有保存任何版面，请按提示改正后重新选择文件。", messages.ERROR)
        return TemplateResponse(request, "admin/articles/issue/upload.html",
                                self._context(request, "上传版面 PDF", form=form))

    @staticmethod
    def _backfill_refused(request, error):
        messages.error(request, f"没有补录：{error_text(error)}")

    def backfill_view(self, request, issue_id):
        if request.method != "POST":
            return redirect("admin:articles_issue_change", issue_id)
        issue = get_object_or_404(Issue, pk=issue_id)
        try:
            stories = archive.backfill_issue(issue=issue, user=request.user)
        except (ValidationError, NotAllowed) as error:
            self._backfill_refused(request, error)
        else:
            self.message_user(
                request, f"补录完成：本期已发布，{len(stories)} 篇稿件按 {issue.date:%Y-%m-%d} 发布"
                "（不进首页和订阅）。", messages.SUCCESS,
            )
        return redirect("admin:articles_issue_change", issue_id)

    def regions_view(self, request, page_id):
        page = get_object_or_404(Page.objects.select_related("issue"), pk=page_id)
        submitted = None
        if request.method == "POST":
            submitted = request.POST.get("regions", "")
            try:
                assignments = json.loads(submitted)
                epaper.save_regions(page=page, user=request.user, assignments=assignments)
            except json.JSONDecodeError:
                messages.error(request, "热区数据不完整，没有保存。请重试。")
            except ValidationError as error:
                messages.error(request, f"没有保存：{error_text(error)}")
            else:
                self.message_user(request, f"{page} 的热区已保存。", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        placements = list(page.placements.select_related("article").order_by("order", "id"))
        stories = {story.pk: story for story in epaper.candidate_stories(page)}
        stories.update({p.article_id: p.article for p in placements})
        regions = [
            {"article": p.article_id, "points": points}
            for p in placements for points in (p.regions or [])
        ]
        unplaced = epaper.unplaced_blocks(page, [p.article for p in placements])
        data = {
            "regions": regions,
            "blocks": [{"index": i, "title": page.blocks[i]["title"], "points": page.blocks[i]["points"]}
                       for i in unplaced],
            "stories": [{"id": s.pk, "title": s.title} for s in stories.values()],
            "unplaced": [p.article_id for p in placements if not p.regions],
        }
        if submitted:  # a refused save comes back as the editor left it: nothing drawn is lost
            try:
                data["regions"] = [
                    {"article": item.get("article"), "points": points}
                    for item in json.loads(submitted) for points in item.get("regions", [])
                ]
            except (json.JSONDecodeError, AttributeError, TypeError):
                pass
        pages = list(page.issue.pages.order_by("number").only("id", "number", "name", "issue_id"))
        return TemplateResponse(request, "admin/articles/issue/regions.html", self._context(
            request, f"热区：{page}", page=page, issue=page.issue, pages=pages, editor_data=data,
            unplaced_count=len(unplaced),
            image_url=page.image.url if page.image else "",
        ))

    def drafts_view(self, request, page_id):
        page = get_object_or_404(Page.objects.select_related("issue"), pk=page_id)
        if request.method == "POST":
            try:
                result = epaper.drafts_from_page(page=page, user=request.user)
            except ValidationError as error:
                messages.error(request, f"没有新建稿件：{error_text(error)}")
            except PageImportError as error:
                messages.error(request, f"没有新建稿件：{error.message}")
            else:
                self.message_user(
                    request, f"已从版面文字新建 {len(result.created)} 篇草稿，并放上了热区。",
                    messages.SUCCESS,
                )
        return redirect("admin:articles_issue_regions", page.pk)


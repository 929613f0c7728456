"""Admin glue for importing printed pages and suggesting union bodies.

Two mixins for `ArticleAdmin`, kept apart from admin.py so the workflow admin
can change freely:

- `PageImportAdminMixin` adds /admin/articles/article/import/: upload or paste
  a page, see a preview of what will be created, confirm. Editors and
  administrators only (`articles.importer.load.can_import`).
- `UnionSuggestionsMixin` shows "识别到的工会" on a story's change form: the
  bodies named in its text that it is not tagged with yet.

The work itself is in `articles.importer` and `articles.recognition`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..importer.load import can_import, import_page, plan_import
from ..importer.parser import MAX_BYTES, PageImportError, decode
from ..importer.recognition import Recognizer, suggest_union_bodies
from ..models import Article, Byline


class PageImportForm(forms.Form):
    file = forms.FileField(
        label="版面文件", required=False, help_text="纯文本 .txt（UTF-8 或 GBK），或在下面粘贴。"
    )
    text = forms.CharField(
        label="或粘贴整版文字", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
    )
    print_date = forms.DateField(
        label="见报日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    print_page = forms.IntegerField(label="版面", required=False, min_value=1, max_value=999)
    status = forms.ChoiceField(
        label="导入为",
        choices=[(Article.Status.DRAFT, "草稿"), (Article.Status.REVIEW, "待审")],
        initial=Article.Status.DRAFT,
    )
    source_name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("文件太大，不像是一个版面的文字（最大 2 MB）。")
            raw, data["source_name"] = upload.read(), upload.name[:200]
        elif text.strip():
            raw = text
        else:
            raise forms.ValidationError("请上传版面文件，或把整版文字粘贴到文本框里。")
        try:
            data["text"] = decode(raw)
        except PageImportError as error:
            raise forms.ValidationError(str(error)) from None
        return data


class PageImportAdminMixin:
    change_list_template = "admin/articles/article/change_list_import.html"
    import_template = "admin/articles/article/import_page.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_page_view), name=name),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import_pages": can_import(request.user)}
        return super().changelist_view(request, extra_context)

    def import_page_view(self, request):
        """Step 1 upload/paste → step 2 preview → step 3 confirm; errors keep the input."""
        if not can_import(request.user):
            raise PermissionDenied("只有编辑和管理员可以导入版面。")
        plan, error = None, None
        form = PageImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            options = dict(
                print_date=form.cleaned_data["print_date"],
                print_page=form.cleaned_data["print_page"],
                status=form.cleaned_data["status"],
                source_name=form.cleaned_data["source_name"],
            )
            try:
                if "confirm" in request.POST:
                    result = import_page(form.cleaned_data["text"], user=request.user, **options)
                    self._report(request, result)
                    info = self.opts.app_label, self.opts.model_name
                    return redirect(reverse("admin:{}_{}_changelist".format(*info)))
                plan = plan_import(form.cleaned_data["text"], **options)
            except PageImportError as exc:
                # Keep the text (even an uploaded file's) on screen so it can be fixed in place.
                error = str(exc)
                form = PageImportForm(initial={**options, "text": form.cleaned_data["text"]})
            else:
                # The confirm step posts the decoded text back; the file is not sent again.
                form = PageImportForm(initial={**options, "text": form.cleaned_data["text"]})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入版面",
            "form": form,
            "plan": plan,
            "rows": _preview_rows(plan) if plan else [],
            "import_error": error,
        }
        return TemplateResponse(request, self.import_template, context)

    def _report(self, request, result):
        created, skipped = len(result.created), len(result.plan.skipped)
        self.message_user(
            request,
            f"已导入 {created} 篇稿件（{Article.Status(result.plan.status).label}）"
            + (f"，跳过已存在的 {skipped} 篇" if skipped else "") + "。",
            messages.SUCCESS if created else messages.INFO,
        )
        if result.new_reporters:
            names = "、".join(reporter.name for reporter in result.new_reporters)
            self.message_user(
                request,
                f"新建了待核实的作者：{names}。请管理员在“记者”中核实后启用。",
                messages.WARNING,
            )


def _preview_rows(plan):
    """What the preview table shows for each story, ready for the template."""
    rows = []
    for story_plan in plan.stories:
        story = story_plan.story
        rows.append({
            "plan": story_plan,
            "story": story,
            "credits": [
                (credit.name, Byline.Role(credit.role).label, credit.is_new)
                for credit in story_plan.credits
            ],
            "bodies": [body.name for body in story_plan.union_bodies],
        })
    return rows


class UnionSuggestionsMixin:
    """A read-only "识别到的工会" on the change form: bodies named in the text, not yet tagged."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "union_suggestions"]

    def suggestion_fieldsets(self, obj):
        """The fieldset to append to the change form's own (none on the add form)."""
        if obj is None:
            return []
        return [("识别到的工会", {"fields": ["union_suggestions"]})]

    @admin.display(description="识别到的工会")
    def union_suggestions(self, obj):
        if obj is None or obj.pk is None:
            return "保存后显示。"
        suggestions = suggest_union_bodies(obj, Recognizer())
        if not suggestions:
            return "正文里提到的工会都已添加（或没有提到已知的工会）。"
        names = format_html_join(
            "、", '<a href="{}" target="_blank">{}</a>',
            ((reverse("admin:articles_unionbody_change", args=[body.pk]), body.name)
             for body in suggestions),
        )
        return format_html("{}<br><small>请在下面的“稿件所属工会”中添加需要的工会。</small>", names)

"""Pieces of the article admin: its form (optimistic locking), list filters and paginator.

They hold no rules of their own: the form asks articles/workflow.py whether the
save may happen, the filters use the model layer's querysets.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.functional import cached_property

from ..models import Article, Reporter, UnionBody
from ..services import workflow

S = Article.Status


class ArticleAdminForm(forms.ModelForm):
    """The story form. It carries the version it was opened at, and refuses a stale save.

    On a refusal the form is shown again with everything the user typed and an
    error that says what happened; the hidden version is moved to the stored one,
    so saving again (after looking at the other version) is a deliberate choice.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label="更正说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="这篇稿件已发布，保存修改即为更正：请写明改了什么、为什么改（记入稿件记录）。",
    )
    public_correction = forms.CharField(
        label="公开更正（可选）", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="需要向读者说明的更正，例如“本报某日报道中某某的职务有误，现已更正。”会连同日期显示在稿件页面上。",
    )
    user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["expected_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("expected_version")
        if self.instance.pk and version is None:
            raise ValidationError("缺少稿件版本号，无法确认你看到的是最新版本。请重新打开稿件后再保存。")
        try:
            workflow.check_edit(
                article=self.instance, user=self.user, expected_version=version,
                note=cleaned.get("change_note", ""),
            )
        except workflow.StaleVersion as error:
            data = self.data.copy()
            data[self.add_prefix("expected_version")] = str(error.current_version)
            self.data = data
            raise ValidationError(
                f"{error.messages[0]}下面保留了你填写的全部内容。"
                "请在新窗口打开这篇稿件核对最新版本；确认后再次点击保存，将以你的内容为准。",
                code="stale",
            )
        except workflow.WorkflowError as error:
            if error.code == "reason":
                self.add_error("change_note", error)
            else:
                raise
        except workflow.NotAllowed as error:
            raise ValidationError(error.message, code="not_allowed")
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    """The three states, with scheduled stories apart from those already public."""

    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (S.DRAFT, "草稿"), (S.REVIEW, "待审"),
            ("live", "已发布（已见报）"), ("scheduled", "定时发布（未到时间）"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.scheduled()
        if value in (S.DRAFT, S.REVIEW):
            return queryset.filter(status=value)
        return queryset


class UnionBodyTreeFilter(admin.SimpleListFilter):
    """Filter by union body; a body's stories include its sub-bodies' stories."""

    title = "工会组织（含下级）"
    parameter_name = "union"

    def lookups(self, request, model_admin):
        return [
            (str(body.pk), "\u3000" * depth + body.name)
            for body, depth in UnionBody.objects.directory().walk(active_only=False)
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.in_union_subtree(int(self.value()))
        return queryset


class ReporterFilter(admin.SimpleListFilter):
    title = "署名记者"
    parameter_name = "reporter"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Reporter.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.by_reporter(int(self.value()))
        return queryset


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows, so a list of 100,000 stories never COUNTs them all.

    Past the cap the list offers CAP rows' worth of pages; filters, search and
    the date hierarchy narrow it down, which is how a newsroom looks for a story.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.CAP].count()


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class ProtectedDeleteMixin:
    """A delete that the database refuses (PROTECT) ends in a Chinese message, never a 500.

    Django's admin already lists the protected objects before it deletes; this
    covers the moment between that check and the delete (a story added meanwhile).
    """

    def _refused(self, request, error):
        names = "、".join(sorted({str(obj) for obj in error.protected_objects})[:10]) if hasattr(
            error, "protected_objects") else ""
        self.message_user(
            request,
            f"无法删除：仍有稿件或其他资料在使用它{('（' + names + '）') if names else ''}。",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.path)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, RestrictedError) as error:
            return self._refused(request, error)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (ProtectedError, RestrictedError) as error:  # delete_selected
            return self._refused(request, error)


def allow_ckeditor_scripts(response):
    """Relax the Content Security Policy for the one page that loads CKEditor 4.

    CKEditor 4 writes an inline script into its editing frame and puts inline
    event handlers (onclick, onmousedown …) and javascript: links on its
    toolbar; a policy can only allow those as 'unsafe-inline' (with a nonce in
    the list, browsers ignore 'unsafe-inline'). So the story form, and only it,
    runs with script-src 'self' 'unsafe-inline'. What it shows is still safe:
    bodies are sanitised on save (articles/sanitize.py) and everything else is
    escaped by Django. Every other admin page and the whole public site keep
    the strict policy (newsroom/settings.py). Replacing CKEditor 4 removes this.
    """
    from csp.constants import SELF, UNSAFE_INLINE

    response._csp_replace = {"script-src": [SELF, UNSAFE_INLINE]}
    return response

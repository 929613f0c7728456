"""The newsroom's review setup in the admin: levels and who may act, policies, 机审 word lists.

Administrators keep them (permissions.can_manage_review_setup); editors may
look. A level that stories wait at cannot be deleted (PROTECT: the admin says
which stories). A word list takes many words at once in its “批量添加” box.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from ..models import ListedWord, ReviewerGroup, ReviewLevel, ReviewPolicy, WordList
from ..services import permissions
from .directory import DirectoryAdmin


class SetupAdmin(DirectoryAdmin):
    """Administrators keep the review setup; editors may look (they act under it)."""

    may_manage = staticmethod(permissions.can_manage_review_setup)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)


class ReviewerGroupInline(admin.TabularInline):
    model = ReviewerGroup
    extra = 1
    autocomplete_fields = ["union_body"]
    verbose_name_plural = "可以在这一级审稿的用户组（组员还须是编辑或管理员）"

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_manage_review_setup(request.user)

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(ReviewLevel)
class ReviewLevelAdmin(SetupAdmin):
    list_display = ["order", "name", "description", "who"]
    list_display_links = ["name"]
    inlines = [ReviewerGroupInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reviewers__group", "reviewers__union_body")

    @admin.display(description="可审稿的用户组")
    def who(self, level):
        return "、".join(str(r.group) + (f"（{r.union_body}）" if r.union_body_id else "")
                        for r in level.reviewers.all()) or "—（只有管理员）"


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(SetupAdmin):
    list_display = ["name", "path", "is_default", "is_active", "priority", "union_kind", "max_chars"]
    fields = ["name", "description", "levels", "is_default", "is_active", "priority", "union_kind", "max_chars"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "levels":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="审级")
    def path(self, policy):
        return " → ".join(level.name for level in sorted(policy.levels.all(), key=lambda lv: lv.order))


class ListedWordInline(admin.TabularInline):
    model = ListedWord
    extra = 0
    fields = ["word", "level", "replacement", "reason"]
    max_num = 200
    verbose_name_plural = "词语（前 200 个；更多请在“机审词语”中查找）"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("word")

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_manage_review_setup(request.user)

    has_change_permission = has_delete_permission = has_add_permission


class WordListForm(forms.ModelForm):
    bulk = forms.CharField(
        label="批量添加", required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text="每行一个：词语|级别|应改为|说明。级别为 禁用、提示 或 替换，省略为 提示；"
                  "例如：做为|替换|作为|“作为”是规范写法。已有的词语会被更新。",
    )

    class Meta:
        model = WordList
        fields = ["name", "description", "is_active"]

    LEVELS = {label: value for value, label in ListedWord.Level.choices}

    def clean_bulk(self):
        rows, errors = [], []
        for number, line in enumerate(self.cleaned_data["bulk"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", "", ""]
            word, level, replacement, reason = parts[0], parts[1] or "提示", parts[2], parts[3]
            if not word or len(word) > 50:
                errors.append(f"第 {number} 行：词语为空或超过 50 个字。")
            elif level not in self.LEVELS:
                errors.append(f"第 {number} 行：级别“{level}”应为 禁用、提示 或 替换。")
            elif level == "替换" and not replacement:
                errors.append(f"第 {number} 行：“替换”级别要写明应改为什么。")
            else:
                rows.append((word, self.LEVELS[level], replacement[:50], reason[:200]))
        if errors:
            raise forms.ValidationError(errors)
        return rows


@admin.register(WordList)
class WordListAdmin(SetupAdmin):
    form = WordListForm
    list_display = ["name", "description", "is_active", "size"]
    inlines = [ListedWordInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(word_count=Count("words"))

    @admin.display(description="词语数")
    def size(self, word_list):
        return word_list.word_count

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        rows = form.cleaned_data.get("bulk") or []
        for word, level, replacement, reason in rows:
            ListedWord.objects.update_or_create(
                word_list=obj, word=word,
                defaults={"level": level, "replacement": replacement, "reason": reason},
            )
        if rows:
            self.message_user(request, f"已批量添加或更新 {len(rows)} 个词语。", messages.SUCCESS)


@admin.register(ListedWord)
class ListedWordAdmin(SetupAdmin):
    list_display = ["word", "level", "replacement", "reason", "word_list"]
    list_filter = ["level", "word_list"]
    search_fields = ["word", "replacement", "reason"]
    list_select_related = ["word_list"]

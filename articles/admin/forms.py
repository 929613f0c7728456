"""The admin's forms. They hold no rules: the story form asks the workflow whether
a save may happen, the import form only reads and decodes what was sent."""

from django import forms
from django.core.exceptions import ValidationError

from ..importer.parser import MAX_BYTES, PageImportError, decode
from ..models import Article, Byline
from ..services import roster, workflow


class ArticleAdminForm(forms.ModelForm):
    """The story form. It carries the version it was opened at, and refuses a stale save.

    On a refusal the form is shown again with everything the user typed and an
    error that says what happened; the hidden version is moved to the stored one,
    so saving again (after looking at the other version) is a deliberate choice.
    """

    expected_version = forms.IntegerField(label="打开时的版本", widget=forms.HiddenInput, required=False)
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
    # The fingerprint of the text the last preview showed (importer.load.fingerprint).
    previewed = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

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


class BylineForm(forms.ModelForm):
    """One byline row: a reporter from the roster, or the name of a new 通讯员.

    A new name becomes a roster entry inactive until an administrator confirms it
    (services/roster.py, as the page importer does); a 通讯员 of that name already on
    the roster is reused.
    """

    new_correspondent = forms.CharField(
        label="或新增通讯员", required=False, max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "姓名", "size": 8}),
        help_text="名单里没有的通讯员：填姓名，保存后由管理员核实。",
    )
    user = None  # set per request by BylineInline.get_formset

    class Meta:
        model = Byline
        fields = ["reporter", "new_correspondent", "role", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Either a roster entry or a new name; clean() asks for one of the two.
        self.fields["reporter"].required = False

    def clean(self):
        cleaned = super().clean()
        reporter, name = cleaned.get("reporter"), (cleaned.get("new_correspondent") or "").strip()
        if reporter and name and reporter != roster.known_correspondent(name):
            raise ValidationError("请二选一：从名单里选择记者，或填写新通讯员的姓名。")
        if not reporter and not name and not cleaned.get("DELETE"):
            raise ValidationError("请选择署名的记者，或填写新通讯员的姓名。")
        if name:
            cleaned["role"] = Byline.Role.CORRESPONDENT
            # A name already on the roster is that entry: the formset's duplicate check sees it.
            cleaned["reporter"] = roster.known_correspondent(name)
        return cleaned

    def save(self, commit=True):
        name = (self.cleaned_data.get("new_correspondent") or "").strip()
        if name and not self.instance.reporter_id:
            self.instance.reporter = roster.reporter_for_byline(name, user=self.user)
            self.instance.role = Byline.Role.CORRESPONDENT
        return super().save(commit)

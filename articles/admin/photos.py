"""The photo library in the admin: upload one or many, thumbnails, filters.

Glue only: every file goes through articles/photos/processing.py, whose ValidationErrors
(in Chinese, naming the file) are shown on the form with the rest of it kept.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from .. import photos
from ..models import Photo, Reporter, UnionBody
from ..services import permissions
from ..services import photos as photo_service
from .common import NamedEmptyChoiceMixin, ProtectedDeleteMixin, TolerantChangeListMixin

ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"


def _limits_help():
    from django.conf import settings

    return (
        f"JPEG、PNG 或 WebP，单个文件不超过 {settings.PHOTO_MAX_UPLOAD_BYTES / 2**20:.0f} MB、"
        f"{settings.PHOTO_MAX_PIXELS / 10_000:.0f} 万像素。手机照片的方向会自动摆正，"
        "定位等 EXIF 信息不会公开，原件另行保存。"
    )


class PhotoFileInput(forms.ClearableFileInput):
    """A file input whose chosen files get names short enough to send (static/js/upload-names.js)."""

    class Media:
        js = ["js/upload-names.js"]

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT, "data-short-names": "", **(attrs or {})})


class PhotoForm(forms.ModelForm):
    upload = forms.FileField(label="图片文件", required=False, widget=PhotoFileInput)

    class Meta:
        model = Photo
        fields = ["upload", "caption", "alt_text", "credit_reporter", "credit_text", "taken_on",
                  "union_body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = None
        # A photo the user may only view (permissions.can_change_photo) has no form fields.
        upload = self.fields.get("upload")
        if upload is not None:
            upload.help_text = _limits_help()
            if self.instance.pk:
                upload.label = "换一张图片"
                upload.help_text = "留空则保留现有图片。" + upload.help_text
        if "taken_on" in self.fields:
            self.fields["taken_on"].help_text = "留空时使用照片 EXIF 中的拍摄日期（如有）。"

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None:
                raise ValidationError("请选择要上传的图片。")
            return None
        self.prepared = photos.prepare_upload(upload)
        return upload


class MultipleFileInput(PhotoFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            if not data and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label="图片文件", error_messages={"required": "请至少选择一张图片。"},
    )
    caption_prefix = forms.CharField(
        label="图片说明", required=False, max_length=180,
        help_text="多张图片时自动编号，例如“职工技能竞赛现场（1）”；上传后可逐张修改。",
    )
    credit_reporter = forms.ModelChoiceField(
        label="摄影", queryset=Reporter.objects.filter(is_active=True), required=False
    )
    credit_text = forms.CharField(
        label="署名（自由文字）", required=False, max_length=100,
        help_text="摄影者不在记者名录中时填写。",
    )
    union_body = forms.ModelChoiceField(
        label="工会组织", queryset=UnionBody.objects.active(), required=False
    )
    taken_on = forms.DateField(
        label="拍摄日期", required=False, widget=AdminDateWidget,
        help_text="留空时每张使用自己 EXIF 中的拍摄日期（如有）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = "可一次选择多张。" + _limits_help()


def thumbnail_html(photo, height=60):
    """A small preview from the photo's list rendition (the original is never shown).

    The library's list and the story form's photo inline both use it.
    """
    rendition = photo.rendition("list") if photo else None
    if rendition is None:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" class="thumb" height="{}" width="{}" loading="lazy">',
        rendition.src, photo.alt, height, round(height * rendition.width / rendition.height),
    )


@admin.register(Photo)
class PhotoAdmin(NamedEmptyChoiceMixin, TolerantChangeListMixin, ProtectedDeleteMixin, admin.ModelAdmin):
    form = PhotoForm
    change_list_template = "admin/articles/photo/change_list.html"
    list_display = ["thumbnail", "__str__", "credit_display", "union_body", "taken_on",
                    "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    # Photographer: only reporters who have photos, not the whole roster.
    list_filter = ["union_body", ("credit_reporter", admin.RelatedOnlyFieldListFilter), "taken_on"]
    list_select_related = ["credit_reporter", "union_body"]
    list_per_page = 50
    search_fields = ["caption", "alt_text", "credit_text", "credit_reporter__name", "original_name"]
    autocomplete_fields = ["credit_reporter", "union_body"]
    show_full_result_count = False
    readonly_fields = ["preview", "dimensions", "original_name", "uploaded_by", "created_at"]

    def get_fieldsets(self, request, obj=None):
        main = ["upload", "caption", "alt_text", "credit_reporter", "credit_text", "taken_on",
                "union_body"]
        if obj is None:
            return [(None, {"fields": main})]
        if not self.has_change_permission(request, obj):
            main.remove("upload")  # a form-only field: nothing to show on a view-only page
        return [
            (None, {"fields": ["preview", *main]}),
            ("文件", {"fields": ["dimensions", "original_name", "uploaded_by", "created_at"]}),
        ]

    @admin.display(description="缩略图")
    def thumbnail(self, obj):
        return thumbnail_html(obj, height=64)  # 96 wide: the list rendition is 3:2

    @admin.display(description="预览")
    def preview(self, obj):
        rendition = obj.rendition("article")
        if rendition is None:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:480px;height:auto;display:block">',
            rendition.src, obj.alt,
        )

    @admin.display(description="摄影", ordering="credit_reporter__name")
    def credit_display(self, obj):
        return obj.credit_line or "—"

    @admin.display(description="尺寸")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_photo(request.user, obj))

    def save_model(self, request, obj, form, change):
        photo_service.save_photo(photo=obj, user=request.user, prepared=form.prepared,
                                 changed=form.changed_data if change else ())

    # --- 批量上传 ---

    def get_urls(self):
        bulk = path(
            "bulk-upload/", self.admin_site.admin_view(self.bulk_upload_view),
            name="articles_photo_bulk_upload",
        )
        return [bulk, *super().get_urls()]

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            shared = dict(form.cleaned_data)
            files = shared.pop("files")
            try:
                created = photos.ingest_photos(files, uploaded_by=request.user, **shared)
            except ValidationError as error:
                form.add_error("files", error)
            else:
                for photo in created:
                    self.log_addition(request, photo, [{"added": {}}])
                self.message_user(request, f"已上传 {len(created)} 张图片。", messages.SUCCESS)
                return redirect("admin:articles_photo_changelist")
        if form.errors:
            self.message_user(
                request, "没有保存任何图片，请按下面的提示改正后重新选择文件。", messages.ERROR
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "批量上传图片",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/photo/bulk_upload.html", context)

"""The photo library's rows. The files are written only by articles/photos
(`ingest_photo`), which validates an upload, keeps the original privately and
makes the public copy and its renditions."""

from django.conf import settings
from django.db import models

from .reporters import Reporter
from .text import TextCleaning
from .unions import UnionBody


class Photo(TextCleaning, models.Model):
    """One picture in the library; reusable in any number of stories.

    Files are written only by articles/photos (`ingest_photo`), which
    validates the upload, keeps the original privately in `original` and makes
    `image` (the public, re-encoded copy without EXIF) and the `renditions`,
    naming every file with one random key (photos/yyyy/mm/<key>…).
    """

    # The public copy: re-encoded JPEG, orientation applied, no metadata.
    image = models.ImageField(
        "图片", upload_to="photos/", width_field="width", height_field="height", editable=False,
    )
    # The name of the file exactly as uploaded (EXIF, GPS and all) in
    # articles.photos.storage.originals_storage, outside MEDIA_ROOT. A plain name,
    # not a FileField: nothing can ask it for a URL, and migrations need no
    # reference to the private storage.
    original = models.CharField("原件", max_length=200, blank=True, editable=False)
    original_name = models.CharField("原文件名", max_length=200, blank=True, editable=False)
    # {"list": [{"width": 480, "height": 320, "webp": name, "jpeg": name}, ...], ...},
    # made once on ingest; see articles/photos/processing.py RENDITIONS.
    renditions = models.JSONField("尺寸版本", default=dict, blank=True, editable=False)
    caption = models.TextField("图片说明", blank=True)
    alt_text = models.CharField(
        "替代文字", max_length=200, blank=True, help_text="给看不到图片的读者的简短描述。"
    )
    credit_reporter = models.ForeignKey(
        Reporter, verbose_name="摄影", null=True, blank=True,
        on_delete=models.PROTECT, related_name="photos",
    )
    credit_text = models.CharField(
        "署名（自由文字）", max_length=100, blank=True, help_text="摄影者不在记者名录中时填写。"
    )
    taken_on = models.DateField("拍摄日期", null=True, blank=True)
    union_body = models.ForeignKey(
        UnionBody, verbose_name="工会组织", null=True, blank=True,
        on_delete=models.PROTECT, related_name="photos",
    )
    width = models.PositiveIntegerField("宽度", null=True, editable=False)
    height = models.PositiveIntegerField("高度", null=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["union_body", "-taken_on"], name="photo_union_taken_idx")]

    def __str__(self):
        return self.caption[:30] or f"图片 {self.pk}"

    @property
    def credit(self):
        """The credit as printed: a roster reporter's name or the free text."""
        if self.credit_reporter_id:
            return self.credit_reporter.name
        return self.credit_text

    @property
    def credit_line(self):
        """The credit under a picture: 本报记者 边磊 摄, 通讯员 王立新 摄, or the free text."""
        if not self.credit_reporter_id:
            return self.credit_text
        reporter = self.credit_reporter
        who = "通讯员" if reporter.role == Reporter.Role.CORRESPONDENT else "本报记者"
        return f"{who} {reporter.name} 摄"

    @property
    def alt(self):
        return self.alt_text or self.caption

    def rendition(self, kind):
        """The `kind` ('list', 'article', 'social') rendition, for templates and feeds."""
        from ..photos import Rendition

        return Rendition.of(self, kind)

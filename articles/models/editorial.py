"""The newsroom's conversation around a story: who edits which union bodies, comments,
draft links for people without an account, and public corrections.

Models only; the rules live in articles/services: permissions.py (scopes),
comments.py, sharing.py and workflow.py (corrections).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .articles import Article
from .text import TextCleaning
from .unions import UnionBody


class EditorScope(models.Model):
    """An editor limited to a union-body subtree.

    An editor with no scope rows edits every story; with rows, only stories
    tagged with a body in one of those subtrees (and their own).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编辑", on_delete=models.CASCADE,
        related_name="editor_scopes",
    )
    union_body = models.ForeignKey(
        UnionBody, verbose_name="负责的工会组织（含下级）", on_delete=models.CASCADE,
        related_name="editor_scopes",
    )

    class Meta:
        verbose_name = "编辑负责范围"
        verbose_name_plural = "编辑负责范围"
        constraints = [
            models.UniqueConstraint(fields=["user", "union_body"], name="editorscope_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.union_body}"


class EditorialComment(TextCleaning, models.Model):
    """A remark in a story's thread, between its reporters and editors (never public)."""

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("内容")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "编辑部留言"
        verbose_name_plural = "编辑部留言"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="comment_article_time_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
        ]

    def __str__(self):
        return self.text[:30]


class ShareLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open their story: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """A draft link for someone without an account (the union official who checks facts).

    The URL carries a token signed with django.core.signing holding this row's id,
    the story's id and the nonce; the nonce is a secret that never leaves the
    server except inside that signed token, and a revoked or expired row opens nothing.
    `sharing.create_link` draws the nonce.
    """

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="share_links"
    )
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    note = models.CharField("给谁看", max_length=100, blank=True,
                            help_text="例如：石景山区总工会宣传部 王老师")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "草稿预览链接"
        verbose_name_plural = "草稿预览链接"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="sharelink_expires_later"
            ),
        ]

    def __str__(self):
        return f"{self.article} 的预览链接"

    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)


class Correction(TextCleaning, models.Model):
    """A correction note (更正) of a published story, shown on its page with its date."""

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField("更正内容")
    public = models.BooleanField("在稿件页面公开", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("更正时间", default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = "更正"
        verbose_name_plural = "更正"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="correction_article_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self):
        return self.note[:30]

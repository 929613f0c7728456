"""The log of a story: every workflow transition, correction and deletion."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .articles import Article


class ArticleEvent(models.Model):
    """One workflow transition or correction of an article: who, when, from → to, why."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        SUBMITTED = "submitted", "送审"
        RETURNED = "returned", "退回"
        PUBLISHED = "published", "发布"
        SCHEDULED = "scheduled", "定时发布"
        WITHDRAWN = "withdrawn", "撤回"
        CORRECTED = "corrected", "更正"
        RESTORED = "restored", "恢复历史版本"
        DELETED = "deleted", "删除"
        UNDELETED = "undeleted", "从回收站恢复"
        BACKFILLED = "backfilled", "补录"

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=Article.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Article.Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    comment = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "稿件记录"
        verbose_name_plural = "稿件记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="event_article_time_idx")]

    def __str__(self):
        return f"{self.get_action_display()}：{self.article}"

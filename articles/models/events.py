"""The log of a story: every workflow transition, review opinion, correction and deletion.

The log is append-only: it is the story's 审稿单 (review slip) that an
inspector may ask for years later, so a row, once written, is never changed or
deleted — `save()` of a stored row, `delete()`, and the queryset's `update()`
and `delete()` all refuse (`EventLogIsAppendOnly`), and the admin gives nobody
change or delete rights. Only the database's own cascades touch it: an account
deleted leaves its events with no actor (the reviewer's name stays in
`actor_name`), a level deleted leaves `level_name`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .articles import Article
from .review import ReviewLevel
from .text import TextCleaning


class EventLogIsAppendOnly(TypeError):
    """A logged event (a review opinion among them) cannot be changed or deleted."""

    def __init__(self):
        super().__init__("稿件记录（含审稿意见）写入后不能修改或删除。")


class ArticleEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EventLogIsAppendOnly

    update.alters_data = True
    update.queryset_only = True

    def delete(self):
        raise EventLogIsAppendOnly

    delete.alters_data = True
    delete.queryset_only = True

    def review_steps(self):
        """The events the 审稿单 lists: submission, every level's act, sign-off, withdrawal."""
        return self.filter(action__in=ArticleEvent.REVIEW_ACTIONS)


class ArticleEvent(TextCleaning, models.Model):
    """One workflow transition or correction of an article: who, when, from → to, why."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        SUBMITTED = "submitted", "送审"
        RECALLED = "recalled", "撤回送审"
        PASSED = "passed", "审核通过"
        SENT_BACK = "sent_back", "退回上一级"
        RETURNED = "returned", "退回"
        PUBLISHED = "published", "发布"
        SCHEDULED = "scheduled", "定时发布"
        WITHDRAWN = "withdrawn", "撤回"
        CORRECTED = "corrected", "更正"
        RESTORED = "restored", "恢复历史版本"
        DELETED = "deleted", "删除"
        UNDELETED = "undeleted", "从回收站恢复"
        BACKFILLED = "backfilled", "补录"

    # A person who did one of these at a level has passed that level.
    PASSING_ACTIONS = (Action.PASSED, Action.PUBLISHED, Action.SCHEDULED)
    # Who did one of these signed the story off for publication: the page's 责任编辑.
    SIGN_OFF_ACTIONS = (Action.PUBLISHED, Action.SCHEDULED, Action.BACKFILLED)
    # What a story's public page reads of its log: sign-offs and corrections (更新).
    PAGE_ACTIONS = (*SIGN_OFF_ACTIONS, Action.CORRECTED)
    REVIEW_ACTIONS = (Action.SUBMITTED, Action.RECALLED, Action.PASSED, Action.SENT_BACK,
                      Action.RETURNED, Action.PUBLISHED, Action.SCHEDULED, Action.WITHDRAWN)

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
    # The actor's name as it was: the slip keeps it if the account goes.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    comment = models.TextField("说明", blank=True)
    # The review level the act was at (送审: the level the story entered).
    level = models.ForeignKey(
        ReviewLevel, verbose_name="审级", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    level_name = models.CharField("审级名称", max_length=20, blank=True)
    # The 机审 warnings the actor acknowledged (text of each), shown on the slip.
    acknowledged = models.JSONField("已确认的机审提示", default=list, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = ArticleEventQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件记录"
        verbose_name_plural = "稿件记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="event_article_time_idx")]

    def __str__(self):
        return f"{self.get_action_display()}：{self.article}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise EventLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, using=None, keep_parents=False):
        raise EventLogIsAppendOnly

    delete.alters_data = True

    @property
    def who(self):
        """The actor's name for pages: the account's name now, else the name logged."""
        if self.actor_id and self.actor:
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_name or "系统"

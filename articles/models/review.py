"""The review stages (三审三校) as data: levels, who may act at each, and policies.

A story submitted for review goes through the levels of one policy, lowest
`order` first; the last level signs it off (签发). Administrators keep these
rows in the admin (审稿流程): adding, renaming or removing a level, changing
who may act at it, or letting some content pass with fewer levels is a change
of rows, not of code. articles/services/review.py reads them;
articles/services/transitions.py turns them into the workflow's rows.

`SetupVersion` holds a token per kind of newsroom setup (the review stages,
the 机审 word lists); any save or delete of those rows draws a new one, so a
process keeps what it built from them (a policy table, an automaton) until the
token changes. A token, not a counter: a change rolled back must never be
mistaken for a later one.
"""

import uuid

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .text import TextCleaning
from .unions import UnionBody


class SetupVersion(models.Model):
    """The current token of one kind of setup ("review", "wordlists")."""

    key = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "设置版本"
        verbose_name_plural = "设置版本"

    def __str__(self):
        return f"{self.key}: {self.token}"

    @classmethod
    def current(cls, key):
        return cls.objects.filter(key=key).values_list("token", flat=True).first() or ""

    @classmethod
    def bump(cls, key):
        cls.objects.update_or_create(key=key, defaults={"token": uuid.uuid4().hex})


class ReviewLevel(TextCleaning, models.Model):
    """One level of review: 初审, 复审, 终审 (the last level of a policy signs off)."""

    name = models.CharField("名称", max_length=20, unique=True, help_text="例如：初审、复审、终审。")
    order = models.PositiveSmallIntegerField(
        "顺序", unique=True, help_text="数字小的先审；稿件按顺序逐级审核，最后一级签发。"
    )
    description = models.CharField("说明", max_length=200, blank=True,
                                   help_text="例如：值班编辑审读，把好事实和文字关。")

    class Meta:
        verbose_name = "审级"
        verbose_name_plural = "审级"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ReviewerGroup(models.Model):
    """Members of `group` may act at `level`, on every story or on one subtree's.

    They must also be editors (the 编辑 group) or administrators; an editor
    limited to union bodies (EditorScope) stays limited at every level.
    """

    level = models.ForeignKey(ReviewLevel, verbose_name="审级", on_delete=models.CASCADE,
                              related_name="reviewers")
    group = models.ForeignKey(Group, verbose_name="用户组", on_delete=models.CASCADE, related_name="+")
    union_body = models.ForeignKey(
        UnionBody, verbose_name="仅限该工会组织（含下级）的稿件", null=True, blank=True,
        on_delete=models.CASCADE, related_name="+", help_text="留空：所有稿件。",
    )

    class Meta:
        verbose_name = "可审稿的用户组"
        verbose_name_plural = "可审稿的用户组"
        constraints = [
            models.UniqueConstraint(fields=["level", "group"], condition=Q(union_body__isnull=True),
                                    name="reviewergroup_unique_all"),
            models.UniqueConstraint(fields=["level", "group", "union_body"],
                                    name="reviewergroup_unique_body"),
        ]

    def __str__(self):
        where = f"（{self.union_body}）" if self.union_body_id else ""
        return f"{self.level} · {self.group}{where}"


class ReviewPolicy(TextCleaning, models.Model):
    """Which levels a story passes. The default policy takes whatever no other matches.

    A non-default policy matches a story when all its conditions hold: every
    union body of the story is of `union_kind`, and the text is at most
    `max_chars` characters. Policies are tried in `priority` order.
    """

    name = models.CharField("名称", max_length=50, unique=True)
    levels = models.ManyToManyField(ReviewLevel, verbose_name="审级", related_name="policies")
    is_default = models.BooleanField("默认流程", default=False,
                                     help_text="没有其他流程适用的稿件走默认流程；只能有一个。")
    is_active = models.BooleanField("启用", default=True)
    priority = models.PositiveSmallIntegerField("匹配顺序", default=10,
                                                help_text="数字小的先匹配。")
    union_kind = models.CharField(
        "仅适用于此类工会的稿件", max_length=20, choices=UnionBody.Kind.choices, blank=True,
        help_text="稿件所属的工会组织都属于此类时适用（稿件须至少属于一个工会组织）。",
    )
    max_chars = models.PositiveIntegerField(
        "仅适用于不超过此字数的稿件", null=True, blank=True,
        help_text="导语加正文的字数。",
    )
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "审稿流程"
        verbose_name_plural = "审稿流程"
        ordering = ["-is_default", "priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                    name="reviewpolicy_one_default"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.is_default and not self.union_kind and not self.max_chars:
            raise ValidationError("非默认流程至少要有一个适用条件（工会类别或字数），否则所有稿件都会走它。")
        if self.is_default and not self.is_active:
            raise ValidationError({"is_active": "默认流程必须启用。"})


def _bump_review(**kwargs):
    if not kwargs.get("raw"):
        SetupVersion.bump("review")


for _model in (ReviewLevel, ReviewerGroup, ReviewPolicy):
    models.signals.post_save.connect(_bump_review, sender=_model, dispatch_uid=f"bump_{_model.__name__}")
    models.signals.post_delete.connect(_bump_review, sender=_model, dispatch_uid=f"bump_del_{_model.__name__}")
models.signals.m2m_changed.connect(_bump_review, sender=ReviewPolicy.levels.through,
                                   dispatch_uid="bump_policy_levels")

"""The reporter roster: 记者, 摄影记者, 通讯员 and 编辑, with or without an account."""

from django.conf import settings
from django.db import models

from .links import public_url
from .text import TextCleaning
from .unions import ascii_slug


class Reporter(TextCleaning, models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "记者"
        PHOTOGRAPHER = "photographer", "摄影记者"
        CORRESPONDENT = "correspondent", "通讯员"
        EDITOR = "editor", "编辑"

    name = models.CharField("姓名", max_length=50)
    slug = models.SlugField("网址名", max_length=80, unique=True, validators=[ascii_slug])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reporter",
        help_text="通讯员可以没有账号。",
    )
    role = models.CharField("身份", max_length=20, choices=Role.choices, default=Role.REPORTER)
    bio = models.TextField("简介", blank=True)
    is_active = models.BooleanField("在职", default=True)
    needs_review = models.BooleanField(
        "待管理员核实", default=False, help_text="导入时自动建立的作者，需要管理员确认。"
    )

    class Meta:
        verbose_name = "记者"
        verbose_name_plural = "记者"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    def get_absolute_url(self):
        return public_url("articles:reporter_detail", slug=self.slug)

"""The newsroom's word lists for the machine check (机审).

Each listed word has a level: 禁用 blocks submission and sign-off with the
listed reason; 提示 warns; 替换 suggests the correct form. Matching (after
NFKC and traditional→simplified folding) is articles/checks/wordlists.py; any
save or delete here draws a new "wordlists" SetupVersion token, so every
process rebuilds its automaton once, on its next check.
"""

from django.db import models
from django.db.models import Q

from .review import SetupVersion
from .text import TextCleaning


class WordList(TextCleaning, models.Model):
    name = models.CharField("名称", max_length=50, unique=True, help_text="例如：禁用词、规范用语。")
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机审词表"
        verbose_name_plural = "机审词表"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ListedWord(TextCleaning, models.Model):
    class Level(models.TextChoices):
        BLOCK = "block", "禁用"
        WARN = "warn", "提示"
        REPLACE = "replace", "替换"

    word_list = models.ForeignKey(WordList, verbose_name="词表", on_delete=models.CASCADE,
                                  related_name="words")
    word = models.CharField("词语", max_length=50)
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.WARN)
    replacement = models.CharField("应改为", max_length=50, blank=True,
                                   help_text="“替换”级别必填：正确的写法。")
    reason = models.CharField("说明", max_length=200, blank=True,
                              help_text="机审时告诉记者和编辑的理由。")

    class Meta:
        verbose_name = "机审词语"
        verbose_name_plural = "机审词语"
        ordering = ["word_list", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word_list", "word"], name="listedword_unique"),
            models.CheckConstraint(condition=~Q(word=""), name="listedword_not_empty"),
            models.CheckConstraint(condition=~Q(level="replace") | ~Q(replacement=""),
                                   name="listedword_replace_has_form"),
        ]

    def __str__(self):
        return self.word


def _bump_wordlists(**kwargs):
    if not kwargs.get("raw"):
        SetupVersion.bump("wordlists")


for _model in (WordList, ListedWord):
    models.signals.post_save.connect(_bump_wordlists, sender=_model, dispatch_uid=f"bump_{_model.__name__}")
    models.signals.post_delete.connect(_bump_wordlists, sender=_model,
                                       dispatch_uid=f"bump_del_{_model.__name__}")

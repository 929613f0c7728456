"""The one cleaning rule for text people type or paste: every text field of our models, on save.

Word pastes U+000B for Shift+Enter, terminals leave ESC; XML 1.0 cannot carry
either, so one such character in a title made every feed answer 500 and the news
sitemap invalid. What XML cannot carry is dropped (C0 controls but tab and line
breaks, C1 controls, U+FFFE/U+FFFF, lone surrogates); everything a Chinese text
needs stays (CJK, full-width punctuation, the ideographic space U+3000).
Line-break characters (CR LF, VT, FF, NEL, U+2028/U+2029) become "\n" in multi-line
fields (TextField) and a space in single-line ones (CharField): a title never
carries a line break into a mail header or a log line. Forms refuse a line break
in a single-line field instead of changing it silently (`TextCleaning.clean_fields`).

`clean_text` / `clean_line` are also the output filters (feeds, sitemaps) for text
saved before this rule.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from ..parsing import date_refusal

# Illegal in XML 1.0, or control characters with no business in a story (C1).
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_BREAKS = re.compile("(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])+")


def clean_text(value):
    """Multi-line text: XML-safe, every line break a plain "\n"."""
    if not isinstance(value, str):
        return value
    return _BREAK.sub("\n", _UNWANTED.sub("", value))


def clean_line(value):
    """Single-line text: XML-safe, runs of line breaks become one space."""
    if not isinstance(value, str):
        return value
    return _BREAKS.sub(" ", _UNWANTED.sub("", value))


def has_line_break(value):
    return isinstance(value, str) and _BREAK.search(value) is not None


def _text_fields(instance):
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField):
            yield field, clean_text
        elif isinstance(field, models.CharField):
            yield field, clean_line


class TextCleaning:
    """Mixed into every model with text fields: cleans them on save; on validation (the
    admin's forms) refuses line breaks in single-line fields and dates outside the
    newspaper's sane range (articles/parsing.py: a year-9999 date breaks lists later)."""

    def clean_fields(self, exclude=None):
        errors = {}
        for field, _ in _text_fields(self):
            if isinstance(field, models.TextField) or (exclude and field.name in exclude):
                continue
            if has_line_break(getattr(self, field.attname)):
                errors[field.name] = [ValidationError(f"{field.verbose_name}不能换行，请写成一行。",
                                                      code="line_break")]
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname, None)
            if isinstance(field, models.DateField) and isinstance(value, date) and not (
                    exclude and field.name in exclude):
                refusal = date_refusal(value, str(field.verbose_name))
                if refusal:
                    errors[field.name] = [ValidationError(refusal, code="date_range")]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.update_error_dict({}).items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        for field, clean in _text_fields(self):
            value = getattr(self, field.attname)
            cleaned = clean(value)
            if cleaned is not value and cleaned != value:
                setattr(self, field.attname, cleaned)
        super().save(*args, **kwargs)

    save.alters_data = True

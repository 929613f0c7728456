"""Filters for the public pages.

{% load site_tags %} … <time datetime="{{ article.published_at|html_datetime }}">
"""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value):
    """A `<time datetime>` value: local time to the second with its offset.

    HTML allows at most three digits of fractional seconds; Django's `date:"c"` writes
    six (microseconds), which the Nu HTML checker rejects. A date stays a date.
    """
    if not value:
        return ""
    if not hasattr(value, "hour"):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()

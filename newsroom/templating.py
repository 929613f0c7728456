"""The readers' pages are Jinja2 templates (templates/public/), through Django's own backend.

Why: a front page renders twenty story items, each with its photo, time and union
tags. Django's template language resolved those ~8,000 variables in about two thirds
of the page's time (profiled on 20,000 stories); Jinja2 compiles each template to
Python once and renders the same page several times faster. The admin, e-mails and
error pages other than 404 stay Django templates (templates/).

The environment gives the public templates what Django's built-ins gave them, with
Django's own functions so the output is the same: `url()`, `static()`, and the
filters `date`, `truncatechars`, `intcomma` and `html_datetime`. As in Django's
templates, a missing variable or attribute renders as nothing (ChainableUndefined),
in development as in production.

Writing a public template: call methods with `()` (`article.get_absolute_url()`,
`article.union_bodies.all()`); `|default(x, true)` is Django's `|default:x`.
"""

import datetime
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import truncatechars as django_truncatechars
from django.templatetags.static import static
from django.utils import timezone, translation
from jinja2 import ChainableUndefined, Environment

from articles.models.links import public_url


def date(value, format_string=None):
    """Django's `date` filter, in the site's time zone as Django's templates show it.

    Remembered per process: a list shows the same few dozen times on every request, and
    the text depends only on the local time (with its zone), the format and the language.
    """
    value = timezone.template_localtime(value)
    if not isinstance(value, datetime.date):
        return django_date(value, format_string)
    return _date(value, getattr(value, "tzinfo", None), format_string, translation.get_language())


@lru_cache(maxsize=4096)
def _date(value, tzinfo, format_string, language):
    # tzinfo is in the key because equal instants in two zones are equal datetimes.
    return django_date(value, format_string)


def truncatechars(value, length):
    """Django's `truncatechars`, remembered per process for plain text (a list's leads
    repeat on every request; marked-safe text keeps Django's own path and its mark)."""
    if type(value) is str:
        return _truncated(value, length)
    return django_truncatechars(value, length)


@lru_cache(maxsize=4096)
def _truncated(value, length):
    return django_truncatechars(value, length)


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


def url(name, **kwargs):
    """`{{ url("articles:archive_day", year=2026, month="01", day="05") }}`: Django's
    reverse(), remembered per process as the models' own addresses are (public_url):
    every page repeats the masthead's and footer's links."""
    return public_url(name, **kwargs)


def environment(**options):
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(url=url, static=static)
    env.filters.update(date=date, html_datetime=html_datetime, intcomma=intcomma,
                       truncatechars=truncatechars)
    return env

"""The story list's filters: status, union body (with its sub-bodies), reporter, time.

Each reads the model layer's querysets; a value that is not one of the offered
choices is ignored rather than an error, as Django's own filters do.
"""

import datetime
from html import escape

from django.contrib import admin
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Article, Reporter, UnionBody
from ..parsing import parse_int

S = Article.Status


class StatusFilter(admin.SimpleListFilter):
    """The three states, with scheduled stories apart from those already public."""

    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (S.DRAFT, "草稿"), (S.REVIEW, "待审"),
            ("live", "已发布（已见报）"), ("scheduled", "定时发布（未到时间）"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.scheduled()
        if value in (S.DRAFT, S.REVIEW):
            return queryset.filter(status=value)
        return queryset


class SelectFilter(admin.SimpleListFilter):
    """A filter with hundreds of choices as one drop-down in a GET form.

    The union tree (287 bodies in the bench) and the reporters (300) were columns
    of links in Django's sidebar: an editor scrolled through them, and building
    each link's query string and rendering it was the largest part of the story
    list's render. A <select> lets the editor type the first characters of a name,
    and its options are one string built here. The form keeps the list's other
    parameters (search, other filters, ordering) as hidden fields, and leaves out
    the page number, so a new filter starts at page 1. An empty value is no filter.
    """

    template = "admin/articles/select_filter.html"

    def value(self):
        return super().value() or None

    def choices(self, changelist):
        name, value = self.parameter_name, self.value()
        # Plain string escaping: format_html per option cost more than the rest of the filter.
        options = mark_safe("".join(
            f'<option value="{escape(str(lookup))}"{" selected" if value == str(lookup) else ""}>'
            f"{escape(str(title))}</option>"
            for lookup, title in self.lookup_choices
        ))
        yield {
            "selected": value is None,
            "query_string": changelist.get_query_string(remove=[name]),
            "display": _("All"),
            "parameter": name,
            "kept": [(key, each) for key, values in sorted(changelist.filter_params.items())
                     if key != name for each in values],
            "options": options,
        }


class UnionBodyTreeFilter(SelectFilter):
    """Filter by union body; a body's stories include its sub-bodies' stories."""

    title = "工会组织（含下级）"
    parameter_name = "union"

    def lookups(self, request, model_admin):
        bodies = UnionBody.objects.only("name", "slug", "parent", "is_active")  # no descriptions
        return [
            (str(body.pk), "\u3000" * depth + body.name)
            for body, depth in bodies.directory().walk(active_only=False)
        ]

    def queryset(self, request, queryset):
        body_id = parse_int(self.value())
        return queryset if body_id is None else queryset.in_union_subtree(body_id)


class ReporterFilter(SelectFilter):
    title = "署名记者"
    parameter_name = "reporter"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Reporter.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        reporter_id = parse_int(self.value())
        return queryset if reporter_id is None else queryset.by_reporter(reporter_id)


class PublishedFilter(admin.SimpleListFilter):
    """By publication time: recent days, then each year of the archive, newest first.

    Replaces Django's date hierarchy, which reads the years with a DISTINCT over
    every story (or one query per year): the years here come from one MIN/MAX
    on the publication-time index, whatever the archive's size. A year with no
    story simply lists nothing.
    """

    title = "发布时间"
    parameter_name = "published"
    RECENT = {"today": ("今天", 0), "week": ("最近 7 天", 6), "month": ("最近 30 天", 29)}

    def lookups(self, request, model_admin):
        bounds = model_admin.get_queryset(request).aggregate(
            first=Min("published_at"), last=Max("published_at")
        )
        choices = [(key, label) for key, (label, _) in self.RECENT.items()]
        if bounds["first"] is not None:
            first, last = (timezone.localtime(bounds[k]).year for k in ("first", "last"))
            choices += [(str(year), f"{year} 年") for year in range(last, first - 1, -1)]
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        zone = timezone.get_current_timezone()
        if value in self.RECENT:
            since = timezone.localdate() - datetime.timedelta(days=self.RECENT[value][1])
            start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
            return queryset.filter(published_at__gte=start)
        year = parse_int(value)
        if year is None or not 1900 <= year <= 2999:
            return queryset
        start = datetime.datetime(year, 1, 1, tzinfo=zone)
        return queryset.filter(published_at__gte=start, published_at__lt=start.replace(year=year + 1))

"""Query parameters: declared for the OpenAPI schema, checked here, 400 when they are bad.

django-ninja parses and validates the declared types (a limit of 10000 or a date of
2025-02-30 is refused before any view runs, errors.py words the refusal); what
needs the database or the site's own rules is checked here: union bodies and
reporters by slug, cursors with `public.parse_cursor` (the pages' cursor),
dates in Beijing time, and parameters nobody declared (a typo such as
`unoin=` is an error, not a silently unfiltered list).
"""

import re
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from typing import Annotated

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ..models import Reporter, UnionBody
from ..selectors import public
from ..selectors.api import StoryFilter
from .errors import bad_parameter, not_found

MAX_LIMIT = 100
MAX_ID = 2**63 - 1
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Nothing the paper published is older or newer: times outside are clamped, so a
# far date means "no bound" instead of an overflow in the database driver.
EARLIEST = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
LATEST = datetime(2999, 12, 31, tzinfo=dt_timezone.utc)


def _iso_date(value):
    """Only yyyy-mm-dd: pydantic alone would also read 0 or 1700000000 as a date."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_parsing", "Input should be a date such as 2025-06-12")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def DateTimeParam(description):  # noqa: N802  (a Field factory, named like one)
    return Field(None, description=description, json_schema_extra={"format": "date-time"},
                 max_length=64)


class Paging(Schema):
    before: str | None = DateTimeParam("游标：只要此时间之前的（取上一页最后一条的 published_at）；通常直接用 next")
    before_id: int | None = Field(None, ge=1, le=MAX_ID, description="游标：与 before 同一时刻时，只要 id 更小的")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")


class StoryParams(Paging):
    union: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80,
                              description="工会组织的 slug；默认含其全部下级工会")
    include_sub_bodies: bool = Field(True, description="false：只要直接标注该工会的稿件")
    reporter: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="记者的 slug")
    date_from: IsoDate | None = Field(None, description="发布日期（北京时间）不早于")
    date_to: IsoDate | None = Field(None, description="发布日期（北京时间）不晚于")
    day: IsoDate | None = Field(None, description="某一天发布的（北京时间）")
    print_date: IsoDate | None = Field(None, description="见报日期（已发布的数字报中）")
    print_page: int | None = Field(None, ge=1, le=999, description="见报版次（已发布的数字报中，含转版）")
    updated_since: str | None = DateTimeParam("同步用：此时间之后修改或发布的稿件")
    fields: str | None = Field(None, max_length=500, description="逗号分隔的字段名，只返回这些字段（id 总在）")


class StoryFields(Schema):
    fields: str | None = Field(None, max_length=500, description="逗号分隔的字段名，只返回这些字段（id 总在）")


class SearchParams(Paging):
    q: str = Field(..., min_length=1, max_length=100, description="搜索词（中文分词，与网站搜索相同）")
    union: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80,
                              description="工会组织的 slug，含其全部下级工会")
    reporter: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="记者的 slug")
    date_from: IsoDate | None = Field(None, description="发布日期（北京时间）不早于")
    date_to: IsoDate | None = Field(None, description="发布日期（北京时间）不晚于")
    before_score: int | None = Field(None, ge=0, le=10**6, description="游标：上一页最后一条的相关度；通常直接用 next")
    fields: str | None = Field(None, max_length=500, description="逗号分隔的字段名（同稿件列表）")


class RemovedParams(Paging):
    since: str | None = DateTimeParam("只要此时间之后撤下的")


class PhotoParams(Paging):
    pass


class IssueParams(Schema):
    before_date: IsoDate | None = Field(None, description="游标：只要这一天之前的各期；通常直接用 next")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")


class ReporterParams(Schema):
    after: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="游标：上一页最后一位记者的 slug")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")


def reject_unknown(request, params_schema):
    """400 for a query parameter the endpoint does not declare."""
    known = set(params_schema.model_fields) if params_schema else set()
    unknown = sorted(set(request.GET) - known)
    if unknown:
        name = unknown[0]
        allowed = ", ".join(sorted(known)) or "（无）"
        raise bad_parameter(name, f"未知参数 {name}。可用参数：{allowed}。",
                            f"Unknown parameter {name}. Accepted: {allowed or '(none)'}.",
                            code="unknown_parameter")


def _clamp(moment):
    return min(max(moment, EARLIEST), LATEST)


def moment(raw, param):
    """An aware datetime from an ISO 8601 text (naive: Beijing time); None if absent."""
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise bad_parameter(param, f"参数 {param} 应为时间，例如 2025-06-12T08:00:00+08:00。",
                            f"Parameter {param} must be a date-time such as 2025-06-12T08:00:00+08:00.")
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return _clamp(value.astimezone(dt_timezone.utc))
    except (OverflowError, ValueError):  # beyond year 1 or 9999 in UTC
        return EARLIEST if value.year < 1900 else LATEST


def cursor(params):
    """The (time, id) cursor of `before`/`before_id`, read like the pages read theirs."""
    if params.before is None:
        if params.before_id is not None:
            raise bad_parameter("before_id", "before_id 须与 before 一起使用。",
                                "before_id needs before.")
        return None
    when = moment(params.before, "before")  # 400 when bad (parse_cursor would ignore it)
    parsed = public.parse_cursor({public.BEFORE: when.isoformat(), public.BEFORE_ID: params.before_id or ""})
    return parsed


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 30)


def day_start(day):
    """The start of a Beijing day as an aware datetime (clamped like every time here)."""
    if day < FIRST_DAY:
        return EARLIEST
    if day > LAST_DAY:
        return LATEST
    return timezone.make_aware(datetime.combine(day, time.min))


def story_filter(params, directory=None):
    """StoryParams → StoryFilter; 400 for unknown bodies or reporters and empty ranges."""
    body_ids = reporter = None
    if params.union:
        directory = directory or UnionBody.objects.directory()
        body = directory.get(params.union)
        if body is None:
            raise bad_parameter("union", f"没有 slug 为 {params.union} 的工会组织。",
                                f"No union body with slug {params.union}.")
        body_ids = tuple(directory.subtree_ids(body) if params.include_sub_bodies else [body.pk])
    if params.reporter:
        reporter = Reporter.objects.filter(slug=params.reporter).first()
        if reporter is None:
            raise bad_parameter("reporter", f"没有 slug 为 {params.reporter} 的记者。",
                                f"No reporter with slug {params.reporter}.")
    start = end = None
    for first, last in ((params.date_from, params.date_to), (params.day, params.day)):
        if first is not None and first > (last or first):
            raise bad_parameter("date_from", "date_from 不能晚于 date_to。", "date_from is after date_to.")
        lower = day_start(first) if first else None
        upper = day_start(min(last, LAST_DAY) + timedelta(days=1)) if last else None
        start = max(filter(None, (start, lower)), default=None)
        end = min(filter(None, (end, upper)), default=None)
    return StoryFilter(
        body_ids=body_ids, reporter=reporter, published_from=start, published_until=end,
        print_date=params.print_date, print_page=params.print_page,
        updated_since=moment(params.updated_since, "updated_since"), cursor=cursor(params),
    )


def search_filters(params, directory):
    """SearchParams → search.Filters; 400 for unknown bodies or reporters and empty ranges."""
    from .. import search

    body = reporter = None
    if params.union:
        body = directory.get(params.union)
        if body is None:
            raise bad_parameter("union", f"没有 slug 为 {params.union} 的工会组织。",
                                f"No union body with slug {params.union}.")
    if params.reporter:
        reporter = Reporter.objects.filter(slug=params.reporter).first()
        if reporter is None:
            raise bad_parameter("reporter", f"没有 slug 为 {params.reporter} 的记者。",
                                f"No reporter with slug {params.reporter}.")
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise bad_parameter("date_from", "date_from 不能晚于 date_to。", "date_from is after date_to.")
    return search.Filters(union=body, reporter=reporter, date_from=params.date_from, date_to=params.date_to)


def search_cursor(params):
    """(score, (time, id)) for the search's order, or None; the three go together."""
    if params.before_score is None:
        if params.before is not None:
            raise bad_parameter("before_score", "搜索的游标需要 before_score、before 和 before_id。",
                                "A search cursor needs before_score, before and before_id.")
        return None
    if params.before is None or params.before_id is None:
        raise bad_parameter("before", "搜索的游标需要 before_score、before 和 before_id。",
                            "A search cursor needs before_score, before and before_id.")
    return params.before_score, cursor(params)


def slug(value):
    """A path slug as the database may be asked for it, else None (no such object)."""
    return value if re.fullmatch(SLUG_PATTERN.strip("^$"), value) and len(value) <= 80 else None


def object_id(value):
    """A path id the database can hold, else 404 (ids beyond a bigint exist nowhere)."""
    if not 1 <= value <= MAX_ID:
        raise not_found()
    return value

"""Numbers and dates from requests: the one place that turns typed text into them.

`str.isdigit()` is not a number check: it accepts "²" and "٣" (which `int()`
refuses) and 5,000 digits (which `int()` refuses past 4,300, and no database
column holds). So every id, version, year or callback number a request carries
goes through `parse_int`, and every date or time through `parse_date` /
`parse_moment`: bad input is None, never an exception.

Dates are kept within a sane range for a newspaper (EARLIEST to LATEST): a day
outside it is refused where it is typed (`date_refusal`) and read as "no such
day" where it is asked for, so a year-1 or year-9999 archive, or a cursor at the
edge of the calendar, never overflows a `date + timedelta` in a view.
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date as django_parse_date
from django.utils.dateparse import parse_datetime

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
# The largest value a PostgreSQL bigint (and SQLite integer) holds.
MAX_ID = 2**63 - 1


def parse_int(value, *, minimum=0, maximum=MAX_ID):
    """A whole number in ASCII digits (optionally signed) within [minimum, maximum], else None."""
    value = str(value if value is not None else "").strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not digits or len(digits) > 19 or not digits.isascii() or not digits.isdigit():
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def in_range(day):
    """Is `day` (a date or datetime) within the newspaper's sane range?"""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def parse_year(value):
    year = parse_int(value)
    return year if year is not None and EARLIEST.year <= year <= LATEST.year else None


def parse_date(value):
    """A date `yyyy-mm-dd` within the sane range, else None."""
    try:
        day = django_parse_date(str(value or "").strip())
    except (ValueError, OverflowError):
        return None
    return day if day is not None and in_range(day) else None


def parse_moment(value):
    """An aware datetime (naive ones are Beijing time) within the sane range, else None.

    A '+' of a time zone may arrive as a space (an unquoted URL).
    """
    raw = str(value or "").strip().replace(" ", "+")
    if "T" not in raw and "+" in raw:  # "2025-01-01+08:00" was "2025-01-01 08:00"
        raw = raw.replace("+", " ", 1)
    try:
        moment = parse_datetime(raw) if raw else None
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # The UTC date must be in range too: what the database compares is UTC.
        return moment if in_range(moment) and in_range(moment.astimezone(datetime.UTC)) else None
    except (ValueError, OverflowError):
        return None


def date_refusal(moment, what="日期"):
    """A Chinese message when `moment` (a date or datetime) is outside the sane range, else None."""
    if moment is None or in_range(moment):
        return None
    return f"{what}超出范围：只能在 {EARLIEST.year} 年到 {LATEST.year} 年之间。"

"""The public pages' Jinja2 environment (newsroom/templating.py) writes what Django's templates wrote."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template, engines
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

MOMENT = datetime(2026, 5, 1, 23, 30, 15, tzinfo=UTC)  # 5月2日 07:30 in Beijing


def jinja(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def django(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.parametrize(("value", "fmt"), [
    *[(MOMENT, fmt) for fmt in ("H:i", "n月j日 H:i", "Y年n月j日", "l", "Y-m-d", "c")],
    *[(date(2026, 5, 1), fmt) for fmt in ("Y年n月j日", "l", "Y-m-d", "m")],
])
def test_date_writes_what_djangos_date_filter_writes(value, fmt):
    assert jinja("{{ v|date(f) }}", v=value, f=fmt) == django("{{ v|date:f }}", v=value, f=fmt)


def test_date_of_the_same_moment_follows_the_active_time_zone_and_language():
    """Remembered results are keyed by zone and language: never another zone's text."""
    assert jinja('{{ v|date("n月j日 H:i l") }}', v=MOMENT) == "5月2日 07:30 星期六"
    with timezone.override("Europe/London"):
        assert jinja('{{ v|date("n月j日 H:i") }}', v=MOMENT) == "5月2日 00:30"
    with translation.override("en"):
        assert jinja('{{ v|date("l") }}', v=MOMENT) == "Saturday"
    assert jinja('{{ v|date("n月j日 H:i l") }}', v=MOMENT) == "5月2日 07:30 星期六"


def test_date_of_nothing_is_empty():
    assert jinja('{{ v|date("Y") }}', v=None) == jinja('{{ v|date("Y") }}', v="") == ""


def test_truncatechars_writes_what_django_writes_and_keeps_safe_text_safe():
    lead = "石景山区总工会举办职工技能竞赛，来自基层工会的41支队伍同台比拼，检验岗位本领。" * 2
    assert jinja("{{ v|truncatechars(20) }}", v=lead) == django("{{ v|truncatechars:20 }}", v=lead)
    assert jinja("{{ v|truncatechars(200) }}", v="<b>粗体</b>") == "&lt;b&gt;粗体&lt;/b&gt;"
    safe = jinja("{{ v|truncatechars(200) }}", v=mark_safe("<b>粗体</b>"))
    assert safe == "<b>粗体</b>"

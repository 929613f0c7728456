"""The queryset methods every public page composes, and the keyset helpers of articles/selectors/public.py."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction
from articles.selectors import public

from .factories import make_article, make_photo, make_reporter, make_union

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def queries(read):
    """How many queries `read()` makes."""
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


def read_list():
    """Everything a list shows of each story, as a template would read it."""
    return [
        (a.title, a.credit_line(), a.lead_photo(), [b.name for b in a.listed_union_bodies()])
        for a in Article.objects.for_lists()
    ]


def make_listed_story(**extra):
    return make_article(
        unions=[make_union()], reporters=[make_reporter(), make_reporter()],
        photos=[make_photo(credit_reporter=make_reporter())], **extra,
    )


# --- Queryset methods -----------------------------------------------------------------


def test_with_bylines_reads_bylines_in_print_order_without_another_query(django_assert_num_queries):
    zhang, zhou = make_reporter("张晶"), make_reporter("周美玉")
    story = make_article(reporters=[zhang, zhou])
    story.bylines.filter(reporter=zhang).update(order=5)  # 周美玉 now prints first
    story = Article.objects.with_bylines().get(pk=story.pk)
    with django_assert_num_queries(0):
        assert [b.reporter.name for b in story.bylines_in_order()] == ["周美玉", "张晶"]
        assert story.credit_line() == "记者 周美玉 张晶"


def test_with_lead_photo_reads_the_lead_and_its_photographer_without_another_query(
        django_assert_num_queries):
    lead = make_photo(credit_reporter=make_reporter("边磊"))
    with_photos = make_article(photos=[make_photo(), lead])
    with_photos.photo_links.update(is_lead=False)
    with_photos.photo_links.filter(photo=lead).update(is_lead=True)  # the second photo leads
    without = make_article()
    stories = {a.pk: a for a in Article.objects.with_lead_photo()}
    with django_assert_num_queries(0):
        assert stories[with_photos.pk].lead_photo() == lead
        assert stories[with_photos.pk].lead_photo().credit_line == "本报记者 边磊 摄"
        assert stories[without.pk].lead_photo() is None


def test_for_lists_holds_published_stories_newest_first():
    older = make_article("较早", published_at=NOW - timedelta(days=1))
    newer = make_article("较新", published_at=NOW - timedelta(hours=1))
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("定时", published_at=NOW + timedelta(hours=1))
    assert list(Article.objects.for_lists()) == [newer, older]


def test_a_list_of_many_stories_costs_the_same_queries_as_one():
    """Stories, union bodies, bylines with reporters, lead photos with photographers: 4."""
    make_listed_story()
    assert queries(read_list) == 4
    for _ in range(6):
        make_listed_story()
    assert len(read_list()) == 7 and queries(read_list) == 4


def test_a_story_page_costs_the_same_queries_for_many_parts(django_assert_num_queries):
    """Story, union bodies, bylines, photos with photographers, public corrections: 5."""
    photographers = [make_reporter() for _ in range(3)]
    story = make_article(
        unions=[make_union(), make_union()], reporters=[make_reporter() for _ in range(3)],
        photos=[make_photo(credit_reporter=p) for p in photographers],
    )
    Correction.objects.create(article=story, note="日期有误，已更正。")
    Correction.objects.create(article=story, note="内部更正", public=False)
    with django_assert_num_queries(5):
        story = Article.objects.with_story_parts().get(pk=story.pk)
        credits = [link.photo.credit_line for link in story.photo_links.all()]
        names = [b.reporter.name for b in story.bylines_in_order()]
        bodies = list(story.union_bodies.all())
    assert len(credits) == len(names) == 3 and len(bodies) == 2
    assert [c.note for c in story.public_corrections] == ["日期有误，已更正。"]


# --- The keyset cursor ------------------------------------------------------------------


@pytest.mark.parametrize("before,before_id,expected", [
    ("2025-06-02T08:30:00+08:00", "42", (datetime(2025, 6, 2, 0, 30), 42)),
    # a '+' in a hand-typed or re-encoded link arrives as a space
    ("2025-06-02T08:30:00 08:00", "42", (datetime(2025, 6, 2, 0, 30), 42)),
    # a time without a zone is Beijing time
    ("2025-06-02T08:30:00", "7", (datetime(2025, 6, 2, 0, 30), 7)),
    # a bad id keeps the time: the page starts there, ties included
    ("2025-06-02T08:30:00+08:00", "x", (datetime(2025, 6, 2, 0, 30), None)),
])
def test_parse_cursor_reads_time_and_id(before, before_id, expected):
    moment, last_id = public.parse_cursor({"before": before, "before_id": before_id})
    assert (moment, last_id) == (expected[0].replace(tzinfo=UTC), expected[1])


@pytest.mark.parametrize("before", ["", "yesterday", "2025-13-45T99:00", "' OR 1=1 --", "2025-02-30T00:00"])
def test_a_bad_or_missing_cursor_is_the_first_page(before):
    assert public.parse_cursor({"before": before, "before_id": "1"}) is None
    assert public.parse_cursor({}) is None


def test_before_cursor_keeps_rows_after_the_cursor_in_newest_first_order():
    moment = NOW - timedelta(hours=2)
    newer = make_article(published_at=moment + timedelta(minutes=1))
    tied = [make_article(published_at=moment) for _ in range(3)]
    older = make_article(published_at=moment - timedelta(minutes=1))
    after_middle = Article.objects.filter(public.before_cursor((moment, tied[1].pk)))
    assert set(after_middle) == {tied[0], older}
    after_time = Article.objects.filter(public.before_cursor((moment, None)))
    assert set(after_time) == {older}
    assert set(Article.objects.filter(public.before_cursor(None))) == {newer, *tied, older}


def test_older_url_is_the_cursor_parse_cursor_reads():
    make_article(published_at=timezone.make_aware(datetime(2025, 6, 2, 9)))
    story = make_article(published_at=timezone.make_aware(datetime(2025, 6, 2, 8, 30, 15, 250)))
    url = public.older_url(story)
    assert url.startswith("?before=2025-06-02T08%3A30%3A15.000250%2B08%3A00&before_id=")
    assert public.parse_cursor(QueryDict(url[1:])) == (story.published_at, story.pk)


def test_keyset_pages_show_every_story_once_however_many_share_a_time():
    same_time = NOW - timedelta(hours=3)
    stories = {make_article(published_at=same_time) for _ in range(5)}
    stories |= {make_article(published_at=same_time - timedelta(hours=i)) for i in range(1, 4)}
    seen, params = [], QueryDict()
    while True:
        rows = list(Article.objects.for_lists().filter(public.before_cursor(public.parse_cursor(params)))[:3])
        seen += rows
        if len(rows) < 3:
            break
        params = QueryDict(public.older_url(rows[-1])[1:])
    assert len(seen) == len(stories) and set(seen) == stories


# --- Days and union links ------------------------------------------------------------------


def test_group_by_day_uses_the_beijing_date():
    late = make_article(published_at=datetime(2025, 6, 2, 17, 30, tzinfo=UTC))  # 06-03 01:30
    early = make_article(published_at=datetime(2025, 6, 2, 15, 30, tzinfo=UTC))  # 06-02 23:30
    days = public.group_by_day(Article.objects.newest_first())
    assert days == [(datetime(2025, 6, 3).date(), [late]), (datetime(2025, 6, 2).date(), [early])]


def test_union_story_ids_lists_a_story_of_two_bodies_once():
    city = make_union()
    district = make_union(parent=city)
    both = make_article(unions=[city, district], published_at=NOW - timedelta(hours=1))
    one = make_article(unions=[district], published_at=NOW - timedelta(hours=2))
    ids, more = public.union_story_ids([city.pk, district.pk], None, 5)
    assert ids == [both.pk, one.pk] and not more


def test_union_story_ids_says_when_the_links_ran_out():
    """Stories tagged with many bodies of the subtree use up the links fetched for a page."""
    bodies = [make_union() for _ in range(4)]
    for i in range(3):
        make_article(unions=bodies, published_at=NOW - timedelta(hours=i + 1))
    ids, more = public.union_story_ids([b.pk for b in bodies], None, 2)
    assert len(ids) == 2 and more

"""What the public pages share beyond the queryset methods (`Article.objects.for_lists()` …).

Long lists page by keyset, never by COUNT and OFFSET, so a page costs the same on
a ten-year archive as on a new one. The cursor is the time and id of the last
story shown, `?before=<iso datetime>&before_id=<id>`:

    parse_cursor    the request's cursor, or None (absent or bad: the first page)
    before_cursor   the bound: rows older than the cursor
    older_url       the "older stories" link after the last story shown

A union body's page and a story's related stories read the union links'
(union_body, published_at) index instead of joining every story of the archive.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.http import urlencode

from ..models import Article, ArticleUnionBody, UnionBody
from ..parsing import MAX_ID, parse_int, parse_moment

# The cursor's query parameters, read by parse_cursor() and written by older_url().
BEFORE, BEFORE_ID = "before", "before_id"

ACTIVE_UNION_DAYS = 30


# --- Keyset paging ----------------------------------------------------------------


def parse_cursor(params):
    """The cursor (aware datetime, id or None) of a request's GET, or None if absent or bad."""
    moment = parse_moment(params.get(BEFORE, ""))
    if moment is None:
        return None
    return moment, parse_int(params.get(BEFORE_ID, ""), minimum=-MAX_ID)


def before_cursor(cursor, time_field="published_at", id_field="id"):
    """Q for rows after `cursor` in newest-first order (time, then id); every row without one."""
    if cursor is None:
        return Q()
    moment, last_id = cursor
    if last_id is None:
        return Q(**{f"{time_field}__lt": moment})
    older = Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, f"{id_field}__lt": last_id})
    # The redundant bound lets the database start its index scan at the cursor
    # instead of filtering every newer row out of it (the deep-archive pages).
    return Q(**{f"{time_field}__lte": moment}) & older


def older_url(last):
    """The link to the stories older than `last`, the last story shown."""
    return "?" + urlencode({BEFORE: last.published_at.isoformat(), BEFORE_ID: last.pk})


def group_by_day(articles):
    """[(local date, [articles])] in the order given: a list reads like dated pages."""
    days = []
    for article in articles:
        day = timezone.localdate(article.published_at)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(article)
    return days


def group_by_print_page(articles):
    """[(page label or "", page URL or "", [articles])] for a day that reads like its paper.

    `articles` come in page order with `with_print_placement(on_date=…)`'s
    annotations; those printed that day are grouped by page (第1版 要闻 first),
    the others (web only, or printed another day) follow in one group without a label.
    """
    sections = []
    for article in articles:
        line = article.print_line
        label = f"第{line[1]}版" + (f" {line[2]}" if line[2] else "") if line else ""
        if not sections or sections[-1][0] != label:
            sections.append((label, article.print_page_url() if line else "", []))
        sections[-1][2].append(article)
    return sections


# --- Read from the union links ---------------------------------------------------------


def union_story_ids(body_ids, cursor, count):
    """Ids of the newest `count` published stories of `body_ids` after `cursor`, and whether
    the links ran out before `count` stories were found (older stories may still exist).

    A story tagged with two bodies has two links with the same published_at: fetch
    enough links for `count` stories and keep each story once.
    """
    links = ArticleUnionBody.objects.filter(
        union_body_id__in=body_ids, published_at__lte=timezone.now()
    ).filter(before_cursor(cursor, id_field="article_id"))
    limit = count * 3
    fetched = list(
        links.order_by("-published_at", "-article_id").values_list("article_id", flat=True)[:limit]
    )
    # Rare: stories with many tags used up the links; older ones may still exist.
    return list(dict.fromkeys(fetched))[:count], len(fetched) == limit


def related_stories(article, count=5):
    """The newest other stories of the same union bodies.

    Read from the (union_body, published_at) index of the links, newest first,
    so the cost does not grow with the bodies' archives.
    """
    body_ids = [body.pk for body in article.listed_union_bodies()]
    if not body_ids:
        return []
    newest_links = (
        ArticleUnionBody.objects.filter(union_body_id__in=body_ids, published_at__lte=timezone.now())
        .exclude(article_id=article.pk).order_by("-published_at")
        .values_list("article_id", flat=True)[: count * len(body_ids)]
    )
    stories = Article.objects.published().filter(pk__in=list(newest_links))
    return stories.newest_first().only("id", "kicker", "title", "published_at")[:count]


def active_union_bodies(days=ACTIVE_UNION_DAYS, count=12):
    """The union bodies with the most stories in the last `days` days, each with `recent`
    (and only the name and address the front page links them with)."""
    now = timezone.now()
    return (
        UnionBody.objects.only("id", "slug", "name").filter(
            article_links__published_at__lte=now,
            article_links__published_at__gte=now - timedelta(days=days),
        )
        .annotate(recent=Count("article_links"))
        .order_by("-recent", "sort_order", "name")[:count]
    )

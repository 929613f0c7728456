"""The read API's queries (articles/api): the same gate and the same paging as the pages.

Every story comes from `Article.objects.published()`; every photo and removed
story is checked against it too. Lists page by keyset (`public.before_cursor`),
newest first, fetching one row more than a page to know whether another follows:
no COUNT, no OFFSET. What is shown of each story is prefetched with the model
layer's `with_list_parts()` / `with_story_parts()`, so a page costs a fixed number of
queries whatever its size.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q

from ..models import Article, ArticlePhoto, ArticleUnionBody, Photo, Placement, RemovedStory, Reporter
from . import public


@dataclass(frozen=True)
class StoryFilter:
    """What a story list is narrowed to (already checked by articles/api/params.py)."""

    body_ids: tuple[int, ...] | None = None  # a union body (and perhaps its subtree)
    reporter: Reporter | None = None
    published_from: datetime | None = None  # inclusive
    published_until: datetime | None = None  # exclusive
    print_date: date | None = None
    print_page: int | None = None
    updated_since: datetime | None = None
    cursor: tuple | None = None  # public.parse_cursor()

    def union_only(self):
        """Only a union body (and the cursor): the page reads the union links' index."""
        return self.body_ids is not None and not any((
            self.reporter, self.published_from, self.published_until, self.print_date,
            self.print_page, self.updated_since,
        ))


def with_parts(queryset, *, list_parts=False, story_parts=False, print_parts=False):
    """The prefetches for what is shown: a story's page parts, a list's, or none; and
    where it was printed (annotations of the same query)."""
    if print_parts:
        queryset = queryset.with_print_placement()
    if story_parts:
        return queryset.with_story_parts()
    if list_parts:
        return queryset.with_list_parts()
    return queryset


def stories(flt, count, **parts):
    """Up to `count` + 1 published stories matching `flt`, newest first, after its cursor.

    Returns (rows, more): `more` is True when older stories may follow even if
    `rows` holds no extra row (the union links ran out first).
    """
    published = with_parts(Article.objects.published(), **parts)
    if flt.union_only():
        ids, more = public.union_story_ids(flt.body_ids, flt.cursor, count + 1)
        return list(published.filter(pk__in=ids).newest_first()), more
    queryset = published.filter(public.before_cursor(flt.cursor))
    if flt.body_ids is not None:
        links = ArticleUnionBody.objects.filter(article=OuterRef("pk"), union_body_id__in=flt.body_ids)
        queryset = queryset.filter(Exists(links))
    if flt.reporter is not None:
        queryset = queryset.by_reporter(flt.reporter)
    if flt.published_from is not None:
        queryset = queryset.filter(published_at__gte=flt.published_from)
    if flt.published_until is not None:
        queryset = queryset.filter(published_at__lt=flt.published_until)
    if flt.print_date is not None or flt.print_page is not None:
        printed = Placement.objects.public().filter(article=OuterRef("pk"))
        if flt.print_date is not None:
            printed = printed.filter(page__issue__date=flt.print_date)
        if flt.print_page is not None:
            printed = printed.filter(page__number=flt.print_page)
        queryset = queryset.filter(Exists(printed))
    if flt.updated_since is not None:
        # A scheduled story appears at its publication time, later than its last save.
        queryset = queryset.filter(
            Q(updated_at__gte=flt.updated_since) | Q(published_at__gte=flt.updated_since)
        )
    return list(queryset.newest_first()[: count + 1]), False


def story(pk, **parts):
    """One published story with what its page shows, or None."""
    return with_parts(Article.objects.published(), **parts).filter(pk=pk).first()


def search_page(found, cursor, count, **parts):
    """A page of ranked search results after `cursor` (score, (time, id)), best first.

    `found` is `search.search_articles()`'s Search; the cursor continues its order
    (score, then time and id) the way `before_cursor` continues time and id.
    """
    after = (cursor[0], *cursor[1]) if cursor is not None else None
    return found.articles(count + 1, after, queryset=with_parts(Article.objects.published(), **parts))


def removed_stories(since, cursor, count):
    """Stories that left the public site (and are not back), newest removal first."""
    back = Article.objects.published().filter(pk=OuterRef("article_id"))
    rows = RemovedStory.objects.filter(~Exists(back)).filter(
        public.before_cursor(cursor, time_field="removed_at", id_field="article_id")
    )
    if since is not None:
        rows = rows.filter(removed_at__gte=since)
    return list(rows.order_by("-removed_at", "-article_id")[: count + 1])


def published_photos():
    """Photos in at least one published story, each with those stories (two queries)."""
    in_published = ArticlePhoto.objects.filter(article__in=Article.objects.published())
    links = in_published.select_related("article").only(
        "photo_id", "article__id", "article__title", "article__published_at"
    ).order_by("-article__published_at", "-article_id")
    return (
        Photo.objects.filter(Exists(in_published.filter(photo=OuterRef("pk"))))
        .select_related("credit_reporter")
        .prefetch_related(Prefetch("article_links", queryset=links, to_attr="published_links"))
    )


def photos(cursor, count):
    queryset = published_photos().filter(public.before_cursor(cursor, time_field="created_at"))
    return list(queryset.order_by("-created_at", "-id")[: count + 1])


def photo(pk):
    return published_photos().filter(pk=pk).first()


def reporters(after, count):
    """Active reporters of the roster (not the importer's unchecked ones), by slug."""
    queryset = Reporter.objects.filter(is_active=True, needs_review=False).order_by("slug")
    if after:
        queryset = queryset.filter(slug__gt=after)
    return list(queryset[: count + 1])

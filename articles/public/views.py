"""Public pages: thin views over the model layer's querysets and articles/selectors/public.py.

Every list starts from `Article.objects.published()` (through `for_listings()`) and
shares `PublicArticlesMixin`. Long lists page by keyset ("older stories", see
the selectors), never by COUNT and OFFSET; the number of queries of every list
page is pinned in tests/test_public_site.py. Caching is applied in urls.py
(articles/public/cache.py).
"""

import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from .. import parsing, search
from ..models import Article, Reporter, UnionBody, attach_lead_photos
from ..selectors import public
from . import fragments
from .forms import SearchForm

PAGE_SIZE = 20


class PublicArticlesMixin:
    """What every public list shares: stories, grouped by day (`days`) for the templates."""

    model = Article
    context_object_name = "articles"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = public.group_by_day(context["object_list"])
        return context


class DateArchiveMixin(PublicArticlesMixin):
    """The date archives: Django's date views over published stories, in Beijing time.

    `allow_empty = False`: an empty day, month or year is a 404, and Django's
    previous/next links skip to the nearest period that has stories.
    """

    date_field = "published_at"
    allow_future = False
    allow_empty = False
    month_format = "%m"

    def dispatch(self, request, *args, **kwargs):
        # Django's previous/next periods add days to the date asked for: outside the
        # sane range (year 1, year 9999) that overflows, and no story is there anyway.
        if parsing.parse_year(kwargs.get("year")) is None:
            raise Http404("没有这一年。")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Lean on purpose: Django's previous/next lookups read one story each from
        # it and need only its time; list_queryset() asks for what the page shows.
        return Article.objects.published().newest_first().only("id", "published_at")

    def get_dated_queryset(self, **lookup):
        """Django's, without its emptiness check: year and month pages 404 on an empty
        date list already, and the day page on its empty story list (get_dated_items)."""
        return self.get_queryset().filter(**lookup)

    def get_dated_items(self):
        date_list, object_list, extra = super().get_dated_items()
        return date_list, self.list_queryset(object_list), extra

    def list_queryset(self, queryset):
        """What the page shows of each story (override: headlines need less)."""
        return queryset.defer(None).with_list_parts()


class KeysetPageMixin(PublicArticlesMixin):
    """A page of `page_size` stories older than the `before` cursor, with a link to the next."""

    page_size = PAGE_SIZE
    allow_empty = True
    # The only query parameters the page reads: the page cache keys on these alone
    # (articles/public/cache.py), so ?utm=… or a random string is the same page.
    cache_params = (public.BEFORE, public.BEFORE_ID)
    # The variables _days.html includes each story's item with; the items come from
    # the fragment cache (articles/public/fragments.py). None: the page shows no items.
    item_flags = {"show_time_only": True}

    @cached_property
    def cursor(self):
        return public.parse_cursor(self.request.GET)

    def get_queryset(self):
        queryset = self.get_list_queryset().filter(public.before_cursor(self.cursor))
        # One more than shown tells whether an older page exists, without a COUNT.
        return list(queryset[: self.page_size + 1])

    def get_list_queryset(self):
        return Article.objects.for_listings()

    def has_older(self, rows):
        """Whether older stories follow the page: `rows` holds one more than a page then."""
        return len(rows) > self.page_size

    def get_context_data(self, **kwargs):
        rows = self.object_list
        shown = kwargs["object_list"] = rows[: self.page_size]
        context = super().get_context_data(**kwargs)
        context["is_continued"] = self.cursor is not None
        if self.item_flags is not None:
            fragments.attach_items(shown, **self.item_flags)
        if shown and self.has_older(rows):
            context["older_url"] = public.older_url(shown[-1])
        return context


PHOTO_NEWS_ON_FRONT = 4


class FrontPageView(KeysetPageMixin, ListView):
    """Latest reports and the union bodies with recent activity."""

    template_name = "articles/front.html"

    def get_list_queryset(self):
        # Back-filled old pages (补录) are archive, not today's news.
        return Article.objects.for_listings(lead_photos=False).current()

    def get_queryset(self):
        rows = super().get_queryset()
        self.photo_stories = [] if self.cursor is not None else list(
            Article.objects.photo_stories(lead_photos=False).current()[:PHOTO_NEWS_ON_FRONT])
        # Both lists' lead photos in one query (before the items' cache keys read them).
        attach_lead_photos([*rows, *self.photo_stories])
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["is_continued"]:
            context["active_unions"] = public.active_union_bodies()
            context["photo_stories"] = self.photo_stories
        return context


class UnionListView(TemplateView):
    """The union-body tree."""

    template_name = "articles/union_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tree=UnionBody.objects.directory().walk(), **kwargs)


class UnionBodyDetailView(KeysetPageMixin, ListView):
    """A union body's reports, its sub-bodies' included, newest first, grouped by day.

    Reads the (union_body, published_at) index of ArticleUnionBody for the page's
    story ids (`union_story_ids`, one query), then the stories themselves.
    """

    template_name = "articles/union_detail.html"

    def get(self, request, *args, **kwargs):
        self.directory = UnionBody.objects.directory()
        self.union_body = self.directory.get(kwargs["slug"])
        if self.union_body is None:
            raise Http404("没有这个工会组织。")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        ids, self.more_links = public.union_story_ids(
            self.directory.subtree_ids(self.union_body), self.cursor, self.page_size + 1
        )
        return list(Article.objects.for_listings().filter(pk__in=ids))

    def has_older(self, rows):
        """Also when the page's links ran out: older stories may still exist."""
        return super().has_older(rows) or self.more_links

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            union_body=self.union_body,
            ancestors=self.directory.ancestors(self.union_body),
            sub_bodies=self.directory.children(self.union_body),
        )
        return context


class ReporterDetailView(KeysetPageMixin, ListView):
    """A reporter's published work."""

    template_name = "articles/reporter_detail.html"

    def get(self, request, *args, **kwargs):
        self.reporter = Reporter.objects.filter(slug=kwargs["slug"]).first()
        if self.reporter is None:
            raise Http404("没有这位记者。")
        return super().get(request, *args, **kwargs)

    def get_list_queryset(self):
        return Article.objects.for_listings().by_reporter(self.reporter)

    def get_context_data(self, **kwargs):
        return super().get_context_data(reporter=self.reporter, **kwargs)


# --- Date archives --------------------------------------------------------------


class ArchiveIndexView(TemplateView):
    """The years of the archive, from the first story's year to this year (no table scan)."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        first = (
            Article.objects.published().order_by("published_at")
            .values_list("published_at", flat=True).first()
        )
        this_year = timezone.localdate().year
        years = range(this_year, timezone.localtime(first).year - 1, -1) if first else []
        return super().get_context_data(years=years, **kwargs)


class YearArchive(DateArchiveMixin, YearArchiveView):
    """A year lists its months, with how many stories each holds."""

    template_name = "articles/archive_year.html"
    make_object_list = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = context["year"]
        since = timezone.make_aware(datetime(year.year, 1, 1))
        until = timezone.make_aware(datetime(year.year + 1, 1, 1))
        per_month = (
            Article.objects.published().filter(published_at__gte=since, published_at__lt=until)
            .annotate(month=TruncMonth("published_at")).order_by()
            .values("month").annotate(stories=Count("id"))
        )
        counts = {timezone.localtime(row["month"]).month: row["stories"] for row in per_month}
        context["months"] = [(month, counts.get(month.month, 0)) for month in context["date_list"]]
        return context


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    """A month lists its days with their headlines."""

    template_name = "articles/archive_month.html"

    def list_queryset(self, queryset):
        return queryset.only("id", "kicker", "title", "published_at")


class DayArchive(DateArchiveMixin, DayArchiveView):
    """A day reads like that day's paper: where the day has a published issue, its
    stories grouped by page in page order (with the page name), web-only stories after.

    The page of each story comes as annotations of the story query itself
    (`with_print_placement`), so the page costs the same queries with or without
    an issue, whatever the number of stories.
    """

    template_name = "articles/archive_day.html"

    def list_queryset(self, queryset):
        day = date(int(self.get_year()), int(self.get_month()), int(self.get_day()))
        return super().list_queryset(queryset).with_print_placement(on_date=day).order_by(
            F("print_page_number").asc(nulls_last=True), "-published_at", "-id"
        )

    def get_dated_items(self):
        date_list, stories, extra = super().get_dated_items()
        stories = list(stories)  # one query, which also tells whether the day is empty
        if not stories:
            raise Http404("这一天没有报道。")
        return date_list, stories, extra

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = public.group_by_print_page(context["object_list"])
        return context

    # The day page links to the neighbouring days only; Django would also look
    # up the neighbouring months (two more queries) for its default context.
    def get_previous_month(self, date):
        return None

    def get_next_month(self, date):
        return None


# --- A story --------------------------------------------------------------------


def _json_ld(data):
    """JSON for a <script> element: `<`, `>` and `&` escaped so it cannot close the tag."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_story_parts().with_sign_offs().with_print_placement()

    def get_context_data(self, **kwargs):
        article = self.object
        photos = [link.photo for link in article.photo_links.all()]
        lead = next((link.photo for link in article.photo_links.all() if link.is_lead), None)
        lead = lead or (photos[0] if photos else None)
        canonical = self.request.build_absolute_uri(article.get_absolute_url())
        return super().get_context_data(
            related=self.related_stories(article), photos=photos, social_photo=lead,
            canonical_url=canonical,
            social_image_url=self.request.build_absolute_uri(lead.image.url) if lead else "",
            json_ld=_json_ld(self.news_article(article, canonical, lead)), **kwargs,
        )

    def related_stories(self, article):
        return public.related_stories(article)

    def news_article(self, article, canonical, lead):
        """schema.org NewsArticle for search engines."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title[:110],
            "datePublished": article.published_at.isoformat(),
            "dateModified": article.last_modified.isoformat(),
            "mainEntityOfPage": canonical,
            "inLanguage": "zh-CN",
            "publisher": {"@type": "Organization", "name": "工会新闻"},
            "author": [
                {"@type": "Person", "name": byline.reporter.name,
                 "url": self.request.build_absolute_uri(byline.reporter.get_absolute_url())}
                for byline in article.bylines_in_order()
            ] or [{"@type": "Organization", "name": "工会新闻"}],
        }
        if article.lead:
            data["description"] = article.lead[:200]
        if lead:
            data["image"] = [self.request.build_absolute_uri(lead.image.url)]
        return data


# --- Search -------------------------------------------------------------------------


class SearchView(TemplateView):
    """Search in Chinese: folded, segmented words (or pinyin), title hits first, the
    words highlighted; filters by union body, reporter and dates, a capped count and
    per-body counts. Everything the page keeps is in its URL.

    Pages by number but never deeper than MAX_PAGES: each page reads the index up
    to its own end (a bounded LIMIT); a reader who needs more refines the words.
    """

    template_name = "articles/search.html"
    # The page cache keys on these alone (articles/public/cache.py); a parameter
    # not listed here never reaches the view: SearchForm's fields as the URL spells
    # them (from/to, or the fields' own names), and the page number.
    cache_params = ("q", "union", "reporter", "from", "to", "date_from", "date_to", "page")
    page_size = PAGE_SIZE
    max_pages = 10

    def get_context_data(self, **kwargs):
        directory = UnionBody.objects.directory()  # the form's choices, short names, facets
        form = SearchForm(self.request.GET, directory=directory)
        form.is_valid()  # the valid parts filter; the rest show their message
        query = form.cleaned_data.get("q", "")
        page = min(parsing.parse_int(self.request.GET.get("page"), minimum=1) or 1, self.max_pages)
        found = search.search_articles(query, form.filters(), directory=directory) if query else None
        results, has_next, summary = [], False, None
        if found:
            rows, has_next = found.page(page, self.page_size,
                                        queryset=Article.objects.published().with_listed_union_bodies())
            has_next = has_next and page < self.max_pages
            words = found.words
            results = [
                {"article": article,
                 "title": search.highlight(article.title, words),
                 "kicker": search.highlight(article.kicker, words),
                 "excerpt": search.excerpt(article, words)}
                for article in rows
            ]
            summary = found.summary()
            summary = summary._replace(facets=summary.facets[:12])
        params = {k: v for k, v in self.request.GET.items() if k != "page" and v}
        return super().get_context_data(
            form=form, query=query, results=results, page=page, summary=summary,
            pinyin=bool(found and found.pinyin), count_cap=search.query.COUNT_CAP,
            reporter=form.cleaned_data.get("reporter"),
            filtered=any(params.get(k) for k in ("union", "reporter", "from", "to")),
            facet_base="?" + urlencode({k: v for k, v in params.items() if k != "union"}),
            next_url="?" + urlencode({**params, "page": page + 1}) if has_next else "",
            previous_url="?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
            **kwargs,
        )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("articles:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class PhotoNewsView(KeysetPageMixin, ListView):
    """Photo news: published stories with a lead photo, newest first (/photos/).

    Paged by the same `?before=` cursor as the other lists: no COUNT, no OFFSET.
    """

    template_name = "articles/photo_list.html"
    context_object_name = "photo_stories"
    page_size = 24
    item_flags = None  # photo cards, not story items

    def get_list_queryset(self):
        return Article.objects.photo_stories()

"""sitemap.xml: an index of sections; stories of the last two days also as Google News entries."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from ..models import Article, Reporter, UnionBody
from ..models.text import clean_line

NEWS_WINDOW = timedelta(days=2)


class ArticleSitemap(Sitemap):
    """Every published story, 5,000 to a page of the index."""

    changefreq = "never"
    limit = 5000

    def items(self):
        return Article.objects.published().newest_first().only(
            "id", "title", "published_at", "updated_at"
        )

    def lastmod(self, item):
        return item.last_modified

    def get_latest_lastmod(self):
        """For the index: one aggregate query, not a walk over every story (Django's default)."""
        latest = self.items().order_by().aggregate(updated=Max("updated_at"), published=Max("published_at"))
        return max((value for value in latest.values() if value), default=None)


class NewsSitemap(ArticleSitemap):
    """Stories of the last two days, with <news:news> entries (Google News)."""

    changefreq = "hourly"
    limit = 1000  # Google News reads at most 1,000 entries per sitemap

    def items(self):
        # Back-filled old pages (补录) are not news, even when yesterday's is filled in today.
        return super().items().current().filter(published_at__gte=timezone.now() - NEWS_WINDOW)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["news"] = True
            url["news_title"] = clean_line(url["item"].title)  # XML-safe, also for older rows
        return urls


class UnionBodySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return UnionBody.objects.active().order_by("pk")


class ReporterSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Reporter.objects.filter(is_active=True).order_by("pk")


class StaticSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:front", "articles:union_list", "articles:archive_index", "articles:epaper"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "news": NewsSitemap,
    "articles": ArticleSitemap,
    "unions": UnionBodySitemap,
    "reporters": ReporterSitemap,
}

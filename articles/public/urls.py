"""Public URLs. Every view starts from Article.objects.published() and is cached
(articles/public/cache.py: invalidated on any saved change, never for logged-in staff)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import epaper, feeds, previews, views
from .cache import cached_public
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", cached_public(views.FrontPageView.as_view()), name="front"),
    path("articles/<int:pk>/", cached_public(views.ArticleDetailView.as_view()), name="article_detail"),
    path("unions/", cached_public(views.UnionListView.as_view()), name="union_list"),
    path("unions/<slug:slug>/", cached_public(views.UnionBodyDetailView.as_view()), name="union_detail"),
    path("reporters/<slug:slug>/", cached_public(views.ReporterDetailView.as_view()), name="reporter_detail"),
    path("archive/", cached_public(views.ArchiveIndexView.as_view()), name="archive_index"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$",
            cached_public(views.YearArchive.as_view()), name="archive_year"),
    re_path(r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
            cached_public(views.MonthArchive.as_view()), name="archive_month"),
    re_path(r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
            cached_public(views.DayArchive.as_view()), name="archive_day"),
    path("search/", cached_public(views.SearchView.as_view()), name="search"),
    path("feeds/latest/", cached_public(feeds.LatestStoriesFeed()), name="feed_latest"),
    path("feeds/latest/atom/", cached_public(feeds.LatestStoriesAtomFeed()), name="feed_latest_atom"),
    path("feeds/unions/<slug:slug>/", cached_public(feeds.UnionBodyFeed()), name="feed_union"),
    path("sitemap.xml", cached_public(sitemap_views.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", cached_public(sitemap_views.sitemap, params=("p",)),
         {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"}, name="sitemap_section"),
    path("robots.txt", cached_public(views.robots_txt), name="robots"),
    path("photos/", cached_public(views.PhotoNewsView.as_view()), name="photo_list"),
    # The e-paper (数字报): articles/public/epaper.py.
    path("epaper/", cached_public(epaper.latest_page), name="epaper"),
    path("epaper/latest.json", cached_public(epaper.latest_json), name="epaper_latest_json"),
    re_path(r"^epaper/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
            cached_public(epaper.month_page), name="epaper_month"),
    re_path(r"^epaper/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
            cached_public(epaper.day_page), name="epaper_day"),
    re_path(r"^epaper/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<number>[0-9]{1,3})/$",
            cached_public(epaper.day_page), name="epaper_page"),
    re_path(r"^epaper/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})\.json$",
            cached_public(epaper.day_json), name="epaper_day_json"),
    # Draft links for people without an account: never cached, noindex (articles/public/previews.py).
    path("preview/<str:token>/", previews.share_link_view, name="share_link"),
]

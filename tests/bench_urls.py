"""URLs for the benchmark probe's tests: stand-ins for public pages not built on this branch."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site

OLDER = {
    "before": '<a rel="next" href="?before=2026-01-02&amp;view=list">更早的报道</a>',
    "page": '<a href="?page=2">下一页</a>',
    "none": "",
}


def union(request, slug, style):
    items = "".join(f'<a href="/articles/{n}/">稿件</a>' for n in range(1, 21))
    return HttpResponse(f"<main>{items}{OLDER[style]}</main>")


def day(request, year, month, day):
    return HttpResponse("当日报纸")


def patterns(style):
    return [
        path("unions/<slug:slug>/", union, {"style": style}),
        path("archive/<int:year>/<int:month>/<int:day>/", day),
        *site,
    ]


class Before:
    urlpatterns = patterns("before")


class Page:
    urlpatterns = patterns("page")


class NoOlderLink:
    urlpatterns = patterns("none")

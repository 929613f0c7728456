"""The e-paper (数字报): printed pages with clickable regions, for readers and apps.

    /epaper/                            the latest published issue's first page
    /epaper/<yyyy>/<mm>/<dd>/           that day's first page
    /epaper/<yyyy>/<mm>/<dd>/<n>/       page n
    /epaper/<yyyy>/<mm>/                the calendar of a month's issues (往期)
    /epaper/<yyyy>/<mm>/<dd>.json       an issue for apps: pages, images, PDFs, regions
    /epaper/latest.json                 the same for the latest issue

Thin views over articles/selectors/epaper.py: only published issues and
published stories are shown. A page costs the same few queries whatever the
number of stories on it (pinned in tests/test_epaper_public.py). Cached like
every public page (urls.py); any saved change to an issue, page or placement
invalidates (cache.py).
"""

import calendar
from datetime import date

from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from .. import parsing
from ..photos.processing import Rendition
from ..selectors import epaper as selectors

WEEKDAYS = "一二三四五六日"


def _day(year, month, day):
    """The day a URL names, within the sane range (parsing.EARLIEST–LATEST), else 404."""
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("没有这一天。") from None
    if not parsing.in_range(found):
        raise Http404("没有这一天。")
    return found


def latest_page(request):
    issue = selectors.latest_issue()
    if issue is None:
        return render(request, "articles/epaper/empty.html", status=404)
    return _page_response(request, issue, None, canonical=True)


def day_page(request, year, month, day, number=None):
    issue = selectors.issue_on(_day(year, month, day))
    if issue is None:
        raise Http404("这一天没有出版报纸。")
    return _page_response(request, issue, int(number) if number else None)


def _page_response(request, issue, number, canonical=False):
    pages = list(selectors.pages_of(issue))
    if not pages:
        raise Http404("这一期还没有版面。")
    index = 0 if number is None else next(
        (i for i, page in enumerate(pages) if page.number == number), None
    )
    if index is None:
        raise Http404("这一期没有这一版。")
    page = pages[index]
    page.issue = issue
    stories = [_story(placement, page) for placement in selectors.page_placements(page)]
    context = {
        "issue": issue,
        "page": page,
        "pages": pages,
        "previous_page": pages[index - 1] if index > 0 else None,
        "next_page": pages[index + 1] if index + 1 < len(pages) else None,
        "stories": stories,
        "picture": Rendition.of(page, "page") if page.image else None,
        "calendar": month_calendar(issue.date),
        "canonical_url": request.build_absolute_uri(page.get_absolute_url()),
        "is_latest": canonical,
    }
    for other in pages:
        other.issue = issue
        other.thumb = Rendition.of(other, "page_thumb") if other.image else None
    return render(request, "articles/epaper/page.html", context)


def _story(placement, page):
    """What the page shows of one placed story: headline, link, polygons, 转版 notes."""
    article = placement.article
    return {
        "id": article.pk,
        "title": article.title,
        "kicker": article.kicker,
        "url": article.get_absolute_url(),
        "polygons": [" ".join(f"{x:.4f},{y:.4f}" for x, y in polygon) for polygon in placement.regions],
        "continued_from": placement.start_page if placement.start_page != page.number else None,
        "continues_on": placement.next_page,
    }


def month_calendar(day):
    """The 往期 calendar of `day`'s month: weeks of (date or None, has an issue)."""
    dates = set(selectors.issue_dates(day.year, day.month))
    weeks = [
        [(d if d.month == day.month else None, d in dates) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)
    ]
    before, after = selectors.neighbour_months(day)
    return {"month": day.replace(day=1), "weeks": weeks, "weekdays": WEEKDAYS, "current": day,
            "previous": before, "next": after}


def month_page(request, year, month):
    day = _day(year, month, 1)
    cal = month_calendar(day)
    if not any(has for week in cal["weeks"] for _, has in week):
        raise Http404("这个月没有出版报纸。")
    return render(request, "articles/epaper/month.html", {"calendar": cal, "month": day})


# --- JSON for apps ------------------------------------------------------------------


def issue_data(request, issue):
    """An issue as data: its pages with image, renditions and PDF URLs, and each page's
    stories with their ids, URLs and regions (polygons of [x, y], 0–1 from top left)."""
    absolute = request.build_absolute_uri
    by_page = {}
    for placement in selectors.issue_placements(issue):
        article = placement.article
        by_page.setdefault(placement.page_id, []).append({
            "id": article.pk,
            "title": article.title,
            "kicker": article.kicker,
            "url": absolute(article.get_absolute_url()),
            "regions": placement.regions,
            "continued_from": placement.start_page if placement.start_page else None,
            "continues_on": placement.next_page,
        })
    pages = []
    for page in selectors.pages_of(issue):
        page.issue = issue
        picture = Rendition.of(page, "page") if page.image else None
        stories = by_page.get(page.pk, [])
        for story in stories:
            if story["continued_from"] == page.number:
                story["continued_from"] = None
        pages.append({
            "number": page.number,
            "name": page.name,
            "url": absolute(page.get_absolute_url()),
            "pdf": absolute(page.pdf.url) if page.pdf else None,
            "image": {
                "url": absolute(page.image.url), "width": page.width, "height": page.height,
                "renditions": [
                    {"width": item["width"], "height": item["height"],
                     "jpeg": absolute(default_storage.url(item["jpeg"])),
                     "webp": absolute(default_storage.url(item["webp"]))}
                    for item in (page.renditions or {}).get("page", [])
                ],
            } if picture else None,
            "stories": stories,
        })
    return {
        "date": issue.date.isoformat(),
        "number": issue.number,
        "total_number": issue.total_number,
        "url": absolute(issue.get_absolute_url()),
        "json": absolute(reverse("articles:epaper_day_json", kwargs=issue.url_kwargs())),
        "pages": pages,
    }


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def latest_json(request):
    issue = selectors.latest_issue()
    if issue is None:
        return _json({"error": "还没有发布的报纸。"}, status=404)
    return _json(issue_data(request, issue))


def day_json(request, year, month, day):
    issue = selectors.issue_on(_day(year, month, day))
    if issue is None:
        return _json({"error": "这一天没有出版报纸。"}, status=404)
    return _json(issue_data(request, issue))

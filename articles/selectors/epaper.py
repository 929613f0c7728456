"""Read queries of the e-paper (数字报), for the public pages, their JSON and the read API.

Plain functions returning querysets or objects; only published issues and
published stories are ever returned (`Issue.objects.published()`,
`Placement.objects.public()`). Each is one query, whatever the number of
stories on a page:

    latest_issue()              the newest published issue, or None
    issue_on(day)               the published issue of a date, or None
    issues()                    published issues, newest first
    pages_of(issue)             its pages in page order
    page_placements(page)       the public stories on a page with their regions
    issue_placements(issue)     the same for every page of an issue (JSON, API)
    issue_dates(year, month)    the dates of a month that have a published issue
    neighbour_months(day)       the months before and after with an issue (calendar)
"""

from datetime import date

from django.db.models import Max, Min, OuterRef, Q, Subquery

from ..models import Issue, Page, Placement

STORY_FIELDS = ("article__id", "article__title", "article__kicker", "article__subtitle")


def issues():
    return Issue.objects.published().order_by("-date")


def latest_issue():
    return issues().first()


def issue_on(day):
    return issues().filter(date=day).first()


def pages_of(issue):
    return Page.objects.filter(issue=issue).order_by("number").defer("blocks")


def _with_parts(placements):
    """Annotate where a story that runs on several pages (转版) starts (`start_page`) and
    continues after this page (`next_page`): subqueries, no extra query."""
    same_story = Placement.objects.filter(
        article=OuterRef("article"), page__issue=OuterRef("page__issue")
    ).order_by("page__number").values("page__number")
    return placements.annotate(
        start_page=Subquery(same_story[:1]),
        next_page=Subquery(same_story.filter(page__number__gt=OuterRef("page__number"))[:1]),
    )


def page_placements(page):
    """Public placements of a page in their order, each with its story's headline fields."""
    return _with_parts(
        Placement.objects.public().filter(page=page).select_related("article")
        .only("id", "page_id", "regions", "order", *STORY_FIELDS).order_by("order", "id")
    )


def issue_placements(issue):
    """Public placements of every page of `issue`, in page order."""
    return _with_parts(
        Placement.objects.public().filter(page__issue=issue).select_related("article")
        .only("id", "page_id", "regions", "order", *STORY_FIELDS)
        .order_by("page__number", "order", "id")
    )


def issue_dates(year, month):
    """The dates of `year`-`month` that have a published issue, in order."""
    return list(
        issues().filter(date__year=year, date__month=month).order_by("date")
        .values_list("date", flat=True)
    )


def neighbour_months(day):
    """(first day of the nearest earlier month with an issue, of the nearest later one)."""
    start = day.replace(day=1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    bounds = issues().order_by().aggregate(
        before=Max("date", filter=Q(date__lt=start)), after=Min("date", filter=Q(date__gte=end))
    )
    return tuple(found.replace(day=1) if found else None for found in (bounds["before"], bounds["after"]))


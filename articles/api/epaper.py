"""The e-paper (数字报): published issues, and one issue with its pages and placed stories.

The issue's data is the e-paper's own JSON for apps (`articles.public.epaper.issue_data`,
also at /epaper/<yyyy>/<mm>/<dd>.json), read through articles/selectors/epaper.py:
only published issues, and on their pages only published stories
(`Placement.objects.public()`). A story's own print placement is its `print` field
(/stories); `print_date=` and `print_page=` filter stories by it.
"""

from datetime import date

from ninja import Query, Router

from ..public.epaper import issue_data
from ..selectors import epaper as selectors
from . import params as p
from . import present
from .responses import answer, answer_one
from .schemas import EpaperIssue, IssuePage
from .stories import ERRORS

router = Router(tags=["数字报"])
NO_ISSUE = ("这一天没有出版报纸。", "No published issue on this date.")


def _issue_summary(request, issue):
    day = issue.date.isoformat()
    return {"date": day, "number": issue.number, "total_number": issue.total_number,
            "url": present.absolute(request, issue.get_absolute_url()),
            "api_url": present.api_url(request, "epaper_issue", issue_date=day)}


@router.get(
    "/epaper/issues", response={200: IssuePage, **ERRORS}, url_name="epaper_issues", summary="往期报纸",
    description="已发布的各期报纸，最新的在前，跟随 `next` 翻页。",
)
def issue_list(request, params: Query[p.IssueParams]):
    p.reject_unknown(request, p.IssueParams)

    def build():
        issues = selectors.issues()
        if params.before_date is not None:
            issues = issues.filter(date__lt=params.before_date)
        rows = list(issues[: params.limit + 1])
        return present.page(request, rows, params.limit, lambda issue: _issue_summary(request, issue),
                            lambda issue: {"before_date": issue.date.isoformat()})

    return answer(request, IssuePage, build)


@router.get(
    "/epaper/issues/{issue_date}", response={200: EpaperIssue, **ERRORS}, url_name="epaper_issue",
    by_alias=True,
    summary="一期报纸", description="一期报纸的各版：版面图（各尺寸）、PDF，以及每版上已发布稿件的区域"
    "（多边形，坐标 0–1，原点在左上角）和转版信息。日期格式 yyyy-mm-dd。",
)
def issue_detail(request, issue_date: str):
    p.reject_unknown(request, None)

    def find():
        try:
            day = date.fromisoformat(issue_date) if p.ISO_DATE.fullmatch(issue_date) else None
        except ValueError:  # 2025-02-30
            day = None
        return selectors.issue_on(day) if day else None

    return answer_one(request, EpaperIssue, find, lambda issue: issue_data(request, issue), NO_ISSUE)


@router.get(
    "/epaper/latest", response={200: EpaperIssue, **ERRORS}, url_name="epaper_latest", summary="最新一期",
    by_alias=True,
    description="最新发布的一期报纸，内容同 `/epaper/issues/{issue_date}`。",
)
def latest_issue(request):
    p.reject_unknown(request, None)
    return answer_one(request, EpaperIssue, selectors.latest_issue, lambda issue: issue_data(request, issue),
                      ("还没有发布的报纸。", "No issue has been published yet."))

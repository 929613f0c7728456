"""A printed issue with known stories at known places, for the e-paper's tests.

`make_issue()` draws a three-page PDF with demo/epaper.py (stories in boxes the
test knows, one of them continued on page 3), creates the stories, imports
the PDF through `import_edition` and publishes the issue.
"""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from articles.services import epaper
from articles.services.permissions import SystemActor
from demo.epaper import PageSpec, StoryBox, draw_edition
from tests.factories import make_article

PARAGRAPHS = [
    "本报讯（记者 张晶）近日，{name}举办职工技能竞赛，来自基层工会的十支队伍同台比拼，检验岗位本领。",
    "竞赛设理论答题和实际操作两个环节，内容涵盖安全生产规程、岗位操作规范和新技术应用。",
    "赛场上，选手们沉着应对、配合默契，评委从操作规范、完成时间和成果质量三方面打分。",
    "相关负责人表示，将把竞赛成绩与职工技能提升、评先评优结合起来，推动形成比学赶超的良好氛围。",
]

# (page, title, kicker, box, columns): box = (left, top, right, bottom), page-relative.
STORIES = [
    (1, "石景山区总工会举办集体协商竞赛", "以赛促学 以学促干", (0.04, 0.12, 0.96, 0.45), 3),
    (1, "昌平五十四名工会干部同台竞技经审业务", "", (0.04, 0.48, 0.49, 0.96), 2),
    (1, "朝阳区总工会为一线职工送清凉", "情暖职工", (0.51, 0.48, 0.96, 0.96), 2),
    (2, "北汽集团工会举办青年职工联谊活动", "", (0.04, 0.05, 0.96, 0.50), 3),
    (2, "奥运村街道总工会走访慰问困难职工家庭", "", (0.04, 0.53, 0.96, 0.96), 3),
    (3, "建工机施集团工会开展职工家庭开放日活动", "", (0.04, 0.30, 0.96, 0.96), 3),
]
JUMPED = 1  # STORIES[1] continues on page 3 (转版)
CONTINUATION_BOX = (0.04, 0.05, 0.96, 0.26)


def paragraphs(title):
    return [p.format(name=title[:6]) for p in PARAGRAPHS]


def issue_pdf(day, stories=STORIES):
    """The PDF of the test issue and the PageSpecs it was drawn from."""
    pages = [PageSpec(n, name, day, masthead=n == 1) for n, name in ((1, "要闻"), (2, "工会新闻"), (3, "基层"))]
    for number, title, kicker, box, columns in stories:
        pages[number - 1].stories.append(
            StoryBox(title, box, paragraphs(title), kicker=kicker, columns=columns)
        )
    jumped = pages[0].stories[JUMPED]
    pages[2].stories.insert(0, StoryBox(
        jumped.title, CONTINUATION_BOX, jumped.paragraphs[2:], columns=3, continued_from=1,
    ))
    jumped.paragraphs, jumped.continues_on = jumped.paragraphs[:2], 3
    return draw_edition(pages), pages


def make_stories(day, status=Article.Status.PUBLISHED):
    """The test issue's stories, published on the morning of `day`, or drafts with the
    print date and page the text importer gives an old page's stories."""
    when = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=7)
    published = status == Article.Status.PUBLISHED
    return [
        make_article(title, kicker=kicker, status=status, published_at=when if published else None,
                     body="".join(f"<p>{p}</p>" for p in paragraphs(title)[1:]),
                     print_date=None if published else day, print_page=None if published else number)
        for number, title, kicker, _, _ in STORIES
    ]


def make_issue(day=None, publish=True, stories=True):
    """Stories, the PDF imported for `day` (default yesterday) and the issue published."""
    day = day or timezone.localdate() - timedelta(days=1)
    made = make_stories(day) if stories else []
    data, _ = issue_pdf(day)
    result = epaper.import_edition(
        files=[("edition.pdf", data)], date=day, user=SystemActor("测试"),
        names={1: "要闻", 2: "工会新闻", 3: "基层"},
    )
    if publish:
        epaper.publish_issue(issue=result.issue, user=SystemActor("测试"))
    return result.issue, made


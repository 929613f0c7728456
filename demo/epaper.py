"""Printed pages for the demo's e-paper, drawn as PDFs with reportlab.

`draw_edition(pages)` sets stories in boxes on broadsheet pages the way a paper
does (kicker, headline, a dateline and body text in columns, an optional photo,
下转/上接 lines for a story that continues on another page) and returns the PDF
with every page. reportlab's built-in CID font STSong-Light needs no font file,
so the demo and the tests draw Chinese text on any machine. The boxes are known,
so tests can check where the regions proposed from the text layer land.

`load_epaper(out)` makes three days of four-page issues from the demo's published
stories, imports them through `import_edition` (as the newsroom's system) and
publishes them.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.html import strip_tags
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
PAGE_SIZE = (842, 1191)  # points: A3, a broadsheet's shape
MARGIN = 0.04
KICKER_SIZE, HEADLINE_SIZE, BODY_SIZE, JUMP_HEAD_SIZE = 12, 22, 9.5, 15
COLUMN_GAP = 12  # points


@dataclass
class StoryBox:
    """A story set in `box` = (left, top, right, bottom), page-relative from the top left."""

    title: str
    box: tuple
    paragraphs: list
    kicker: str = ""
    columns: int = 2
    photo: bytes = b""  # a JPEG set under the headline
    continues_on: int = 0  # prints （下转第N版） at the end
    continued_from: int = 0  # a continuation: （上接第N版） over a smaller headline


@dataclass
class PageSpec:
    number: int
    name: str
    day: date
    stories: list = field(default_factory=list)
    masthead: bool = False


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def draw_edition(pages):
    """The PDF (bytes) of `pages` (PageSpec), one PDF page each, in order."""
    _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE_SIZE, invariant=1)
    pdf.setTitle("工会新闻")
    for spec in pages:
        _draw_page(pdf, spec)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_page(pdf, spec):
    width, height = PAGE_SIZE
    top = height * (1 - MARGIN / 2)
    weekday = "一二三四五六日"[spec.day.weekday()]
    header = f"{spec.day:%Y年%m月%d日} 星期{weekday}    第{spec.number}版  {spec.name}"
    if spec.masthead:
        pdf.setFillColorRGB(0.7, 0, 0.05)
        pdf.rect(width * MARGIN, top - 64, width * (1 - 2 * MARGIN), 64, stroke=0, fill=1)
        pdf.setFillColorRGB(1, 1, 1)
        pdf.setFont(FONT, 40)
        pdf.drawString(width * MARGIN + 20, top - 48, "工会新闻")
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(FONT, 9)
        pdf.drawString(width * MARGIN, top - 80, header)
    else:
        pdf.setFont(FONT, 9)
        pdf.drawString(width * MARGIN, top - 12, header)
        pdf.setLineWidth(1.5)
        pdf.line(width * MARGIN, top - 18, width * (1 - MARGIN), top - 18)
    for story in spec.stories:
        _draw_story(pdf, story)


def _wrap(text, size, width):
    """Lines of `text` at most `width` points wide (Chinese breaks anywhere)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width and line:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    return lines


def _draw_story(pdf, story):
    width, height = PAGE_SIZE
    left, top = story.box[0] * width, (1 - story.box[1]) * height
    right, bottom = story.box[2] * width, (1 - story.box[3]) * height
    y = top
    if story.continued_from:
        pdf.setFont(FONT, BODY_SIZE)
        pdf.drawString(left, y - BODY_SIZE, f"（上接第{story.continued_from}版）")
        y -= BODY_SIZE * 1.8
    if story.kicker and not story.continued_from:
        pdf.setFont(FONT, KICKER_SIZE)
        for line in _wrap(story.kicker, KICKER_SIZE, right - left):
            pdf.drawString(left, y - KICKER_SIZE, line)
            y -= KICKER_SIZE * 1.4
    size = JUMP_HEAD_SIZE if story.continued_from else HEADLINE_SIZE
    pdf.setFont(FONT, size)
    for line in _wrap(story.title, size, right - left):
        pdf.drawString(left, y - size, line)
        y -= size * 1.25
    y -= size * 0.5
    if story.photo:
        photo_height = (y - bottom) * 0.4
        pdf.drawImage(ImageReader(io.BytesIO(story.photo)), left, y - photo_height,
                      width=right - left, height=photo_height, preserveAspectRatio=True)
        y -= photo_height + BODY_SIZE
    _draw_columns(pdf, story, left, right, y, bottom)
    pdf.setLineWidth(0.5)
    pdf.line(left, bottom - 6, right, bottom - 6)


def _draw_columns(pdf, story, left, right, top, bottom):
    """Body paragraphs (indented two characters) in columns, down to `bottom`."""
    columns = max(1, story.columns)
    column_width = (right - left - COLUMN_GAP * (columns - 1)) / columns
    leading = BODY_SIZE * 1.6
    lines = []
    for paragraph in story.paragraphs:
        wrapped = _wrap(paragraph, BODY_SIZE, column_width - 2 * BODY_SIZE)
        lines.append((True, wrapped[0]))
        for rest in _wrap(paragraph[len(wrapped[0]):], BODY_SIZE, column_width):
            lines.append((False, rest))
    if story.continues_on:
        lines.append((False, f"（下转第{story.continues_on}版）"))
    # Columns balanced, as a paper sets them, as far as the box allows.
    per_column = max(1, min(int((top - bottom) // leading), -(-len(lines) // columns)))
    pdf.setFont(FONT, BODY_SIZE)
    for index, (first, text) in enumerate(lines[: per_column * columns]):
        column, row = divmod(index, per_column)
        x = left + column * (column_width + COLUMN_GAP) + (2 * BODY_SIZE if first else 0)
        pdf.drawString(x, top - BODY_SIZE - row * leading, text)


# --- The demo's issues ---------------------------------------------------------------

PAGE_NAMES = ["要闻", "工会新闻", "基层动态", "职工生活"]
# Story boxes per page (page-relative, top left origin): (box, columns).
LAYOUTS = {
    1: [((0.04, 0.12, 0.96, 0.50), 3), ((0.04, 0.53, 0.49, 0.97), 2), ((0.51, 0.53, 0.96, 0.97), 2)],
    2: [((0.04, 0.05, 0.96, 0.50), 3), ((0.04, 0.53, 0.96, 0.97), 3)],
    3: [((0.04, 0.05, 0.49, 0.97), 2), ((0.51, 0.05, 0.96, 0.97), 2)],
    4: [((0.04, 0.30, 0.96, 0.97), 3)],
}
CONTINUATION_BOX = (0.04, 0.05, 0.96, 0.27)
STORIES_PER_ISSUE = sum(len(boxes) for boxes in LAYOUTS.values())
DEMO_ISSUES = 3


def story_paragraphs(article):
    """The story as printed: 本报讯（记者 …）and the lead, then the body's paragraphs."""
    credit = article.credit_line()
    dateline = (article.source_label or "") + (f"（{credit}）" if credit else "")
    paragraphs = [p.strip() for p in strip_tags(article.body.replace("</p>", "</p>\n")).split("\n")]
    return [dateline + article.lead] + [p for p in paragraphs if p]


def issue_pages(day, stories, photos=None):
    """PageSpecs for a four-page issue of `stories` (STORIES_PER_ISSUE); the first page's
    second story continues on page 4 (转版)."""
    photos = photos or {}
    stories = iter(stories)
    pages = []
    for number, name in enumerate(PAGE_NAMES, start=1):
        spec = PageSpec(number, name, day, masthead=number == 1)
        if number == 4:
            jumped = pages[0].stories[1]
            half = len(jumped.paragraphs) // 2 or 1
            spec.stories.append(StoryBox(
                jumped.title, CONTINUATION_BOX, jumped.paragraphs[half:], columns=3, continued_from=1,
            ))
            jumped.paragraphs, jumped.continues_on = jumped.paragraphs[:half], 4
        for box, columns in LAYOUTS[number]:
            article = next(stories, None)
            if article is None:
                break
            spec.stories.append(StoryBox(
                article.title, box, story_paragraphs(article), kicker=article.kicker,
                columns=columns, photo=photos.get(article.pk, b""),
            ))
        pages.append(spec)
    return pages


def load_epaper(out=print):
    """Three days of four-page issues from the newest published stories; returns the issues.

    Does nothing when issues exist already (load_demo stays idempotent).
    """
    from articles.models import Article, Issue
    from articles.services import epaper
    from articles.services.permissions import SystemActor

    if Issue.objects.exists():
        return []
    actor = SystemActor("load_demo 命令")
    stories = list(
        Article.objects.published().current().newest_first().with_bylines().with_lead_photo()
        [: STORIES_PER_ISSUE * DEMO_ISSUES]
    )
    issues, day = [], None
    for start in range(0, len(stories) - STORIES_PER_ISSUE + 1, STORIES_PER_ISSUE):
        chunk = stories[start:start + STORIES_PER_ISSUE]
        newest = timezone.localdate(chunk[0].published_at)
        day = newest if day is None else min(newest, day - timedelta(days=1))
        photos = {}
        for article in chunk:
            photo = article.lead_photo()
            if photo is not None:
                with photo.image.open("rb") as handle:
                    photos[article.pk] = handle.read()
        pages = issue_pages(day, chunk, photos)
        out(f"   数字报 {day:%Y-%m-%d}：{len(pages)} 个版面 …")
        result = epaper.import_edition(
            files=[(f"{day:%Y%m%d}.pdf", draw_edition(pages))], date=day, user=actor,
            names={page.number: page.name for page in pages},
        )
        issue = result.issue
        issue.number = day.timetuple().tm_yday
        issue.total_number = (day - date(1990, 1, 1)).days
        issue.is_published = True
        issue.save()
        issues.append(issue)
    return issues

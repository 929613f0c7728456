"""The 审稿单 (review slip) pages: printable HTML and a PDF download.

Both read articles/selectors/slip.py. The PDF is drawn with reportlab and its
built-in CID font STSong-Light (宋体), which every PDF reader has: no font file
is shipped or embedded.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

from ..selectors.slip import review_slip
from .article_views import _page, _story
from .common import local_time

FONT = "STSong-Light"


def slip_view(request, model_admin, object_id):
    story = _story(model_admin, request, object_id)
    return _page(model_admin, request, "admin/articles/article/slip.html",
                 f"审稿单：《{story.title}》", **review_slip(story))


def slip_pdf(request, model_admin, object_id):
    story = _story(model_admin, request, object_id)
    response = HttpResponse(render_pdf(review_slip(story)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-slip-{story.pk}.pdf"'
    return response


def render_pdf(slip):
    """The slip as PDF bytes (A4, one table of steps)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    text = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=text, fontSize=18, leading=26, alignment=1)
    head = ParagraphStyle("head", parent=text, fontSize=14, leading=20)

    def p(value, style=text):
        return Paragraph(escape(str(value or "")).replace("\n", "<br/>"), style)

    story = slip["story"]
    flow = [p("审 稿 单", title), Spacer(1, 4 * mm)]
    if story.kicker:
        flow.append(p(story.kicker))
    flow.append(p(f"《{story.title}》", head))
    if story.subtitle:
        flow.append(p(story.subtitle))
    facts = [
        ["署名", slip["credit"] or "—"],
        ["工会组织", "、".join(body.name for body in slip["union_bodies"]) or "—"],
        ["审稿流程", f"{slip['policy'].name}：{slip['policy'].describe()}" if slip["policy"] else "—"],
        ["签发", f"{slip['signed'].who}（{local_time(slip['signed'].created_at)}）" if slip["signed"] else "未签发"],
        ["发布时间", local_time(story.published_at) if story.published_at else "未发布"],
    ]
    rows = [[p(k), p(v)] for k, v in facts]
    table = Table(rows, colWidths=[28 * mm, 142 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke)]))
    flow += [Spacer(1, 3 * mm), table, Spacer(1, 5 * mm)]
    steps = [[p("环节"), p("审稿人"), p("时间"), p("意见 / 理由")]]
    for step in slip["steps"]:
        event = step.event
        opinion = event.comment
        if event.acknowledged:
            opinion += "\n已确认机审提示：" + "；".join(event.acknowledged)
        steps.append([p(step.what), p(event.who), p(local_time(event.created_at)), p(opinion or "—")])
    table = Table(steps, colWidths=[40 * mm, 26 * mm, 30 * mm, 74 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    flow += [table, Spacer(1, 4 * mm),
             p(f"打印时间：{timezone.localtime():%Y-%m-%d %H:%M}　稿件编号：{story.pk}　第 {story.version} 版")]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"审稿单：{story.title}", author="工会新闻编辑部",
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm).build(flow)
    return buffer.getvalue()

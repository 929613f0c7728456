"""The printed paper: a day's Issue (期), its Pages (版) and the Placement of stories on them.

- An Issue is one date's paper (unique date), public only once `is_published`.
- A Page is one printed page of an issue (unique number per issue): its name
  (要闻, 工会新闻 …), the page's PDF, and the page image rendered from it with
  its web renditions (made by articles/epaper/pdf.py through the photo
  library's rendition code). A page imported from text alone has neither.
- A Placement puts a story on a page, with the regions it occupies there: a
  list of polygons in page-relative coordinates (0–1, origin top left), so
  they hold at any rendering size. A story that continues on another page
  (转版) has one placement per page; the first in page order is where it starts.

What the public sees of all this is decided here (`Issue.objects.published()`,
`Placement.objects.public()`); reading it for pages is articles/selectors/epaper.py.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .articles import Article
from .text import TextCleaning

MAX_REGIONS = 12  # per story and page
MAX_POINTS = 64  # per polygon


def validate_regions(value):
    """Regions are a list of polygons, each a list of 3–64 [x, y] points within 0–1."""
    if not isinstance(value, list):
        raise ValidationError("版面区域应为多边形的列表。", code="regions")
    if len(value) > MAX_REGIONS:
        raise ValidationError(f"一篇稿件在一个版面上最多 {MAX_REGIONS} 个区域。", code="regions")
    for number, polygon in enumerate(value, start=1):
        if not isinstance(polygon, list) or not 3 <= len(polygon) <= MAX_POINTS:
            raise ValidationError(
                f"第 {number} 个区域应有 3 到 {MAX_POINTS} 个顶点。", code="regions"
            )
        for point in polygon:
            if (
                not isinstance(point, (list, tuple)) or len(point) != 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point)
                or not all(0 <= c <= 1 for c in point)
            ):
                raise ValidationError(
                    f"第 {number} 个区域的顶点超出版面（坐标须在 0 到 1 之间）。", code="regions"
                )


class IssueQuerySet(models.QuerySet):
    def published(self):
        """Issues the public may see."""
        return self.filter(is_published=True)


class Issue(TextCleaning, models.Model):
    """One day's printed paper (一期)."""

    date = models.DateField("出版日期", unique=True)
    number = models.PositiveIntegerField("期号", null=True, blank=True, help_text="当年第几期。")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    is_published = models.BooleanField(
        "已发布", default=False, help_text="发布后读者才能在数字报中看到本期。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "报纸（期）"
        verbose_name_plural = "报纸（期）"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["total_number"], condition=Q(total_number__isnull=False),
                name="issue_total_number_unique",
            ),
            models.CheckConstraint(condition=Q(number__gte=1) | Q(number__isnull=True),
                                   name="issue_number_positive"),
        ]
        indexes = [
            # The e-paper's latest issue and its calendar read published issues by date.
            models.Index(fields=["is_published", "-date"], name="issue_published_date_idx"),
        ]

    def __str__(self):
        label = f"{self.date:%Y年%m月%d日}"
        if self.number:
            label += f" 第{self.number}期"
        return label

    def get_absolute_url(self):
        return reverse("articles:epaper_day", kwargs=self.url_kwargs())

    def url_kwargs(self):
        return {"year": f"{self.date:%Y}", "month": f"{self.date:%m}", "day": f"{self.date:%d}"}


class Page(TextCleaning, models.Model):
    """One printed page (一版) of an issue: number, name, PDF and the rendered image."""

    issue = models.ForeignKey(Issue, verbose_name="报纸", on_delete=models.CASCADE,
                              related_name="pages")
    number = models.PositiveSmallIntegerField("版次")
    name = models.CharField("版名", max_length=40, blank=True, help_text="如：要闻、工会新闻。")
    pdf = models.FileField("版面 PDF", blank=True, max_length=200)
    image = models.FileField("版面图", blank=True, max_length=200, editable=False)
    width = models.PositiveIntegerField("图宽", null=True, blank=True, editable=False)
    height = models.PositiveIntegerField("图高", null=True, blank=True, editable=False)
    # {kind: [{"width", "height", "webp", "jpeg"}]}, as Photo.renditions.
    renditions = models.JSONField("尺寸", default=dict, blank=True, editable=False)
    # The text layer's story blocks as read from the PDF: [{"points", "kicker",
    # "title", "text"}]; what regions are proposed from and drafts made from.
    blocks = models.JSONField("文字块", default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self):
        return f"{self.issue.date:%Y-%m-%d} 第{self.number}版{(' ' + self.name) if self.name else ''}"

    def get_absolute_url(self):
        return reverse("articles:epaper_page",
                       kwargs={**self.issue.url_kwargs(), "number": self.number})

    @property
    def label(self):
        """第3版 要闻"""
        return f"第{self.number}版" + (f" {self.name}" if self.name else "")

    @property
    def aspect(self):
        """Height over width of the page image (a printed page's, when there is none)."""
        if self.width and self.height:
            return self.height / self.width
        return 1.414


class PlacementQuerySet(models.QuerySet):
    def public(self):
        """Placements the public may see: published stories in published issues."""
        return self.filter(
            page__issue__is_published=True, article__in=Article.objects.published()
        )

    def in_print_order(self):
        return self.order_by("page__issue__date", "page__number", "order", "id")


class Placement(models.Model):
    """A story on a page, with the regions (polygons, 0–1) it occupies there."""

    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE,
                             related_name="placements")
    article = models.ForeignKey(Article, verbose_name="稿件", on_delete=models.CASCADE,
                                related_name="placements")
    # Checked by clean() (validate_regions), not a field validator: migrations
    # would have to import this module to know the field.
    regions = models.JSONField("区域", default=list, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "见报位置"
        verbose_name_plural = "见报位置"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "article"], name="placement_unique_story"),
        ]
        indexes = [models.Index(fields=["article", "page"], name="placement_article_idx")]

    def __str__(self):
        return f"{self.article} · {self.page}"

    def clean(self):
        try:
            validate_regions(self.regions)
        except ValidationError as error:
            raise ValidationError({"regions": error.messages}) from None

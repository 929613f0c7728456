"""The newsroom's domain: union bodies, reporters, photos, articles and their events.

Rules that other code relies on live here, next to the data:
- `Article.objects.published()` is the only way public code selects stories.
- Union bodies form a tree; `UnionBody.objects.subtree_ids()` gives a body and
  all its descendants, so "reports of a body" include its sub-bodies' reports.
- Deleting a union body, reporter or photo that stories use is refused (PROTECT).
- Deleting a story moves it to the 回收站 (soft delete): `Article.objects` and
  every list built on it no longer see it, `Article.all_objects` does, and an
  editor can restore it. Nothing in the newsroom removes a story's row.
"""

import datetime
import uuid
from pathlib import PurePath

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from .sanitize import sanitize_html
from .search import SearchEntry, index_article  # noqa: F401  (SearchEntry is a model of this app)
from .storage import originals_storage

ascii_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "只能使用小写英文字母、数字和连字符（例如 shijingshan）。",
)


# --- Union bodies -------------------------------------------------------------


class UnionBodyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def roots(self):
        return self.filter(parent__isnull=True)

    def subtree_ids(self, root):
        """Return the ids of `root` (a body or its id) and all its descendants.

        The directory holds hundreds of bodies, not millions: one query for the
        whole (id, parent) list and a walk in Python beats a recursive query per
        level and works the same on SQLite and PostgreSQL.
        """
        root_id = getattr(root, "pk", root)
        children = {}
        for body_id, parent_id in UnionBody.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(body_id)
        found, stack = [], [root_id]
        while stack:
            body_id = stack.pop()
            found.append(body_id)
            stack.extend(children.get(body_id, ()))
        return found

    def in_tree_order(self):
        """Every body, parents before their children, each with a `depth` (one query)."""
        bodies = list(self.order_by("sort_order", "name"))
        known = {body.pk for body in bodies}
        children = {}
        for body in bodies:
            parent = body.parent_id if body.parent_id in known else None
            children.setdefault(parent, []).append(body)
        ordered, seen = [], set()
        stack = [(body, 0) for body in reversed(children.get(None, []))]
        while stack:
            body, depth = stack.pop()
            if body.pk in seen:  # a cycle in bad data must not loop forever
                continue
            seen.add(body.pk)
            body.depth = depth
            ordered.append(body)
            stack.extend((child, depth + 1) for child in reversed(children.get(body.pk, [])))
        return ordered


class UnionBody(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", "市总工会"
        DISTRICT = "district", "区总工会"
        STREET = "street", "街道·乡镇总工会"
        INDUSTRY = "industry", "产业工会"
        ENTERPRISE = "enterprise", "企业工会"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    slug = models.SlugField(
        "网址名", max_length=80, unique=True, validators=[ascii_slug],
        help_text="用于网址，只能使用小写英文字母、数字和连字符。",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name="上级工会", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    aliases = models.TextField(
        "别名", blank=True, help_text="在正文中识别该工会时使用的其他叫法，每行一个。"
    )
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = UnionBodyQuerySet.as_manager()

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="unionbody_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:union_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk and self.pk in self.ancestor_ids(self.parent):
            raise ValidationError({"parent": "上级工会不能是它自己或它的下级工会。"})

    @staticmethod
    def ancestor_ids(body):
        """Ids from `body` up to its root (guards against cycles in bad data)."""
        seen = []
        while body is not None and body.pk not in seen:
            seen.append(body.pk)
            body = body.parent
        return seen

    def ancestors(self):
        """The chain from the root down to this body's parent (for breadcrumbs)."""
        chain, body = [], self.parent
        while body is not None and body not in chain:
            chain.insert(0, body)
            body = body.parent
        return chain

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def subtree_ids(self):
        return UnionBody.objects.subtree_ids(self)


# --- Reporters ----------------------------------------------------------------


class Reporter(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "记者"
        PHOTOGRAPHER = "photographer", "摄影记者"
        CORRESPONDENT = "correspondent", "通讯员"
        EDITOR = "editor", "编辑"

    name = models.CharField("姓名", max_length=50)
    slug = models.SlugField("网址名", max_length=80, unique=True, validators=[ascii_slug])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reporter",
        help_text="通讯员可以没有账号。",
    )
    role = models.CharField("身份", max_length=20, choices=Role.choices, default=Role.REPORTER)
    bio = models.TextField("简介", blank=True)
    is_active = models.BooleanField("在职", default=True)
    needs_review = models.BooleanField(
        "待管理员核实", default=False, help_text="导入时自动建立的作者，需要管理员确认。"
    )

    class Meta:
        verbose_name = "记者"
        verbose_name_plural = "记者"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    def get_absolute_url(self):
        return reverse("articles:reporter_detail", kwargs={"slug": self.slug})


# --- Photos -------------------------------------------------------------------


def photo_upload_to(instance, filename):
    """A random name under photos/yyyy/mm/: uploads cannot collide or pick their path."""
    suffix = PurePath(filename).suffix.lower()[:5] or ".jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Photo(models.Model):
    """One picture in the library; reusable in any number of stories.

    Files are written only by articles/photos.py (`ingest_photo`), which
    validates the upload, keeps the original privately in `original` and makes
    `image` (the public, re-encoded copy without EXIF) and the `renditions`.
    """

    # The public copy: re-encoded JPEG, orientation applied, no metadata.
    image = models.ImageField(
        "图片", upload_to=photo_upload_to, width_field="width", height_field="height",
        editable=False,
    )
    # The file exactly as uploaded (EXIF, GPS and all), outside MEDIA_ROOT.
    original = models.FileField(
        "原件", storage=originals_storage, max_length=200, blank=True, editable=False
    )
    original_name = models.CharField("原文件名", max_length=200, blank=True, editable=False)
    # {"list": [{"width": 480, "height": 320, "webp": name, "jpeg": name}, ...], ...},
    # made once on ingest; see articles/photos.py RENDITIONS.
    renditions = models.JSONField("尺寸版本", default=dict, blank=True, editable=False)
    caption = models.TextField("图片说明", blank=True)
    alt_text = models.CharField(
        "替代文字", max_length=200, blank=True, help_text="给看不到图片的读者的简短描述。"
    )
    credit_reporter = models.ForeignKey(
        Reporter, verbose_name="摄影", null=True, blank=True,
        on_delete=models.PROTECT, related_name="photos",
    )
    credit_text = models.CharField(
        "署名（自由文字）", max_length=100, blank=True, help_text="摄影者不在记者名录中时填写。"
    )
    taken_on = models.DateField("拍摄日期", null=True, blank=True)
    union_body = models.ForeignKey(
        UnionBody, verbose_name="工会组织", null=True, blank=True,
        on_delete=models.PROTECT, related_name="photos",
    )
    width = models.PositiveIntegerField("宽度", null=True, editable=False)
    height = models.PositiveIntegerField("高度", null=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["union_body", "-taken_on"], name="photo_union_taken_idx")]

    def __str__(self):
        return self.caption[:30] or f"图片 {self.pk}"

    @property
    def credit(self):
        """The credit as printed: a roster reporter's name or the free text."""
        if self.credit_reporter_id:
            return self.credit_reporter.name
        return self.credit_text

    @property
    def credit_line(self):
        """The credit under a picture: 本报记者 边磊 摄, 通讯员 王立新 摄, or the free text."""
        if not self.credit_reporter_id:
            return self.credit_text
        reporter = self.credit_reporter
        who = "通讯员" if reporter.role == Reporter.Role.CORRESPONDENT else "本报记者"
        return f"{who} {reporter.name} 摄"

    @property
    def alt(self):
        return self.alt_text or self.caption

    def rendition(self, kind):
        """The `kind` ('list', 'article', 'social') rendition, for templates and feeds."""
        from .photos import Rendition

        return Rendition.of(self, kind)


# --- Articles -----------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    # Set by years_by_probe(): answer datetimes(..., "year") with one index probe
    # per year instead of a DISTINCT over every story (the admin's date hierarchy).
    _year_probe = False

    def _clone(self):
        clone = super()._clone()
        clone._year_probe = self._year_probe
        return clone

    def years_by_probe(self):
        clone = self._chain()
        clone._year_probe = True
        return clone

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if not (self._year_probe and kind == "year" and field_name == "published_at"):
            return super().datetimes(field_name, kind, order, tzinfo)
        bounds = self.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return []
        zone = tzinfo or timezone.get_current_timezone()
        first, last = (timezone.localtime(bounds[k], zone).year for k in ("first", "last"))
        years = []
        for year in range(first, last + 1):
            start = datetime.datetime(year, 1, 1, tzinfo=zone)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
            if self.filter(published_at__gte=start, published_at__lt=end).exists():
                years.append(start)
        return years if order == "ASC" else years[::-1]

    def published(self):
        """Stories the public may see: published, and their time has come.

        A story published with a future time is scheduled: it stays out of every
        public page until then, and appears by itself afterwards (no cron job).
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def deleted(self):
        """Stories in the 回收站 (read through `Article.all_objects`)."""
        return self.filter(deleted_at__isnull=False)

    def delete(self, user=None):
        """Move the stories to the 回收站, one by one (each logged); never removes a row.

        Django's admin deletes through `QuerySet.delete()` and `Model.delete()`;
        both are soft here, so no code path loses a story by accident.
        """
        count = 0
        for article in self.filter(deleted_at__isnull=True):
            article.delete(user=user)
            count += 1
        return count, {Article._meta.label: count}

    delete.alters_data = True
    delete.queryset_only = True

    def hard_delete(self):
        """Really remove the rows (tests and data repair only; the newsroom never does)."""
        return super().delete()

    hard_delete.alters_data = True
    hard_delete.queryset_only = True

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_union_subtree(self, body):
        """Stories tagged with `body` or any of its descendants, without duplicates."""
        links = ArticleUnionBody.objects.filter(
            article=OuterRef("pk"), union_body_id__in=UnionBody.objects.subtree_ids(body)
        )
        return self.filter(Exists(links))

    def by_reporter(self, reporter):
        return self.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), reporter=reporter)))

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def photo_stories(self):
        """Published stories with a lead photo, newest first: two queries for any number.

        The lead photo and its credited reporter come with one prefetch;
        `article.lead_photo()` reads it without another query.
        """
        leads = ArticlePhoto.objects.filter(is_lead=True).select_related("photo__credit_reporter")
        return (
            self.published()
            .filter(Exists(ArticlePhoto.objects.filter(article=OuterRef("pk"), is_lead=True)))
            .newest_first()
            .prefetch_related(Prefetch("photo_links", queryset=leads, to_attr="lead_links"))
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    """The default manager: stories in the 回收站 do not exist for the newsroom or the public."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审"
        PUBLISHED = "published", "已发布"

    kicker = models.CharField("引题", max_length=200, blank=True)
    title = models.CharField("主题", max_length=200)
    subtitle = models.CharField("副题", max_length=200, blank=True)
    source_label = models.CharField("消息来源", max_length=30, default="本报讯", blank=True)
    lead = models.TextField("导语", blank=True)
    body = RichTextUploadingField("正文", blank=True)

    union_bodies = models.ManyToManyField(
        UnionBody, verbose_name="工会组织", through="ArticleUnionBody",
        related_name="articles", blank=True,
    )
    reporters = models.ManyToManyField(
        Reporter, verbose_name="署名", through="Byline", related_name="articles", blank=True
    )
    photos = models.ManyToManyField(
        Photo, verbose_name="图片", through="ArticlePhoto", related_name="articles", blank=True
    )

    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=False
    )
    published_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="晚于现在即为定时发布。"
    )
    print_date = models.DateField("见报日期", null=True, blank=True)
    print_page = models.PositiveSmallIntegerField("版面", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True)
    version = models.PositiveIntegerField(
        "版本", default=1, editable=False,
        help_text="每次保存加一；保存时版本不符说明别人已改过（乐观锁）。",
    )
    # Soft delete: set when the story goes to the 回收站, cleared when restored.
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="删除人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    # The first manager is the default one (admin, related lists, dumpdata):
    # it hides the 回收站. `all_objects` sees every row.
    objects = ArticleManager()
    all_objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-published_at", "-id"]
        indexes = [
            # Public lists: published stories newest first.
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # The review desk: stories waiting, oldest first.
            models.Index(fields=["status", "submitted_at"], name="article_status_sub_idx"),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The admin's list of every story, newest first (Meta.ordering), and its
            # date hierarchy's MIN/MAX: without it PostgreSQL sorts the whole archive.
            models.Index(fields=["-published_at", "-id"], name="article_pub_id_idx"),
            # The 回收站: only deleted rows are indexed.
            models.Index(
                fields=["-deleted_at"], name="article_deleted_idx",
                condition=Q(deleted_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Sanitise the body, count the version, keep the union listing and search index in step."""
        self.body = sanitize_html(self.body)
        if self.pk is not None:
            self.version = (self.version or 0) + 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.union_links.update(published_at=self.listing_time)
            index_article(self)

    def delete(self, using=None, keep_parents=False, user=None):
        """Move the story to the 回收站 (logged); its row, links and events stay.

        Goes off every public page and newsroom list at once (the save bumps the
        page cache); `restore()` brings it back exactly as it was.
        """
        if self.deleted_at is not None:
            return 0, {}
        with transaction.atomic():
            self.deleted_at, self.deleted_by = timezone.now(), user
            self.save()
            ArticleEvent.objects.create(
                article=self, action=ArticleEvent.Action.DELETED, from_status=self.status,
                to_status=self.status, actor=user, comment="移入回收站",
            )
        return 1, {self._meta.label: 1}

    delete.alters_data = True

    def undelete(self, user=None):
        """Take the story out of the 回收站, in the state it was deleted in (logged)."""
        if self.deleted_at is None:
            return
        with transaction.atomic():
            self.deleted_at, self.deleted_by = None, None
            self.save()
            ArticleEvent.objects.create(
                article=self, action=ArticleEvent.Action.UNDELETED, from_status=self.status,
                to_status=self.status, actor=user, comment="从回收站恢复",
            )

    undelete.alters_data = True

    def hard_delete(self):
        """Really remove the row (tests and data repair only)."""
        return super().delete()

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"pk": self.pk})

    @property
    def listing_time(self):
        """When the story lists on public pages; None while it is not published (or deleted)."""
        if self.status != self.Status.PUBLISHED or self.deleted_at is not None:
            return None
        return self.published_at

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def is_published(self):
        return (
            self.deleted_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def bylines_in_order(self):
        """Bylines in print order; uses a prefetch of `bylines__reporter` when present."""
        return sorted(self.bylines.all(), key=lambda b: (b.order, b.pk))

    def credit_line(self):
        """The byline as the paper prints it inside the brackets: 记者 张晶 周美玉 通讯员 李明."""
        parts, last_role = [], None
        for byline in self.bylines_in_order():
            if byline.role != last_role:
                parts.append(byline.get_role_display())
                last_role = byline.role
            parts.append(byline.reporter.name)
        return " ".join(parts)

    def lead_photo(self):
        if hasattr(self, "lead_links"):  # prefetched (photo_stories() and the public lists)
            links = self.lead_links
        else:
            links = self.photo_links.filter(is_lead=True).select_related("photo")[:1]
        return links[0].photo if links else None


class ArticleUnionBody(models.Model):
    """An article tagged with a union body.

    `published_at` copies the article's publication time while it is published
    (NULL otherwise), so a union body's page reads one index on
    (union_body, published_at) instead of joining every story of the archive.
    Article.save() and the m2m_changed hook below keep it in step.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="union_links")
    union_body = models.ForeignKey(
        UnionBody, verbose_name="工会组织", on_delete=models.PROTECT, related_name="article_links"
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "稿件所属工会"
        verbose_name_plural = "稿件所属工会"
        constraints = [
            models.UniqueConstraint(fields=["article", "union_body"], name="article_union_unique"),
        ]
        indexes = [
            models.Index(fields=["union_body", "-published_at"], name="articleunion_pub_idx"),
            # The front page's "union bodies with recent activity": the last 30 days of
            # links, read by time across all bodies, whatever the archive's size.
            models.Index(fields=["-published_at"], name="articleunion_recent_idx"),
        ]

    def __str__(self):
        return f"{self.article} · {self.union_body}"

    def save(self, *args, **kwargs):
        self.published_at = self.article.listing_time
        super().save(*args, **kwargs)


class Byline(models.Model):
    """One reporter in an article's byline, in print order, with their role in this story."""

    class Role(models.TextChoices):
        REPORTER = "reporter", "记者"
        PHOTOGRAPHER = "photographer", "摄影"
        CORRESPONDENT = "correspondent", "通讯员"
        EDITOR = "editor", "编辑"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    reporter = models.ForeignKey(
        Reporter, verbose_name="记者", on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.REPORTER)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "reporter"], name="byline_unique_reporter"),
        ]
        indexes = [models.Index(fields=["reporter", "article"], name="byline_reporter_idx")]

    def __str__(self):
        return f"{self.get_role_display()} {self.reporter.name}"


class ArticlePhoto(models.Model):
    """A photo placed in an article, in order; at most one is the lead photo."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photo_links")
    photo = models.ForeignKey(
        Photo, verbose_name="图片", on_delete=models.PROTECT, related_name="article_links"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_lead = models.BooleanField("题图", default=False)

    class Meta:
        verbose_name = "稿件图片"
        verbose_name_plural = "稿件图片"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="articlephoto_unique"),
            models.UniqueConstraint(
                fields=["article"], condition=Q(is_lead=True), name="articlephoto_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.article} · {self.photo}"


# --- Events -------------------------------------------------------------------


class ArticleEvent(models.Model):
    """One workflow transition or correction of an article: who, when, from → to, why."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        SUBMITTED = "submitted", "送审"
        RETURNED = "returned", "退回"
        PUBLISHED = "published", "发布"
        SCHEDULED = "scheduled", "定时发布"
        WITHDRAWN = "withdrawn", "撤回"
        CORRECTED = "corrected", "更正"
        RESTORED = "restored", "恢复历史版本"
        DELETED = "deleted", "删除"
        UNDELETED = "undeleted", "从回收站恢复"

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=Article.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Article.Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    comment = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "稿件记录"
        verbose_name_plural = "稿件记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="event_article_time_idx")]

    def __str__(self):
        return f"{self.get_action_display()}：{self.article}"


def _sync_union_listing(sender, instance, action, reverse, pk_set, **kwargs):
    """Copy the publication time onto links made by .add()/.set(), which skip save()."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # union_body.articles.add(...)
        for article in Article.all_objects.filter(pk__in=pk_set):
            article.union_links.update(published_at=article.listing_time)
    else:
        instance.union_links.filter(union_body_id__in=pk_set).update(
            published_at=instance.listing_time
        )


models.signals.m2m_changed.connect(
    _sync_union_listing, sender=ArticleUnionBody, dispatch_uid="articles_sync_union_listing"
)


# The conversation around a story (scopes, comments, share links, corrections).
from .editorial import Correction, EditorialComment, EditorScope, ShareLink  # noqa: E402,F401

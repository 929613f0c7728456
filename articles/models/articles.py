"""Stories and their parts: bylines, union-body links and photo placements.

Rules that other code relies on live here, next to the data:
- `Article.objects.published()` is the only way public code selects stories;
  what a page shows of each story comes with the `with_…()` prefetches below
  (`for_listings()` for the site's lists, `for_lists()` for feeds, `with_story_parts()`),
  which every list, feed and page composes.
- Deleting a union body, reporter or photo that stories use is refused (PROTECT).
- A story in the 回收站 (soft delete, `deleted_at` set) does not exist for
  `Article.objects` or any list built on it; `Article.all_objects` sees it.
- Status, publication time and deletion change only through the workflow
  services (articles/services/workflow.py).
"""


from datetime import date

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone

from ..sanitize import sanitize_html
from .links import public_url
from .photos import Photo
from .reporters import Reporter
from .review import ReviewLevel, ReviewPolicy
from .text import TextCleaning
from .unions import UnionBody


class StoryDeletionRefused(TypeError):
    """A story row is never deleted: workflow.delete_article moves it to the 回收站."""

    def __init__(self):
        super().__init__(
            "稿件不能直接删除：请调用 articles.services.workflow.delete_article()，"
            "它检查权限、移入回收站并记入稿件记录。"
        )


# What a story list shows of each story (for_listings()): fewer columns to read and convert
# (a story row holds six times, a list needs one). Reading another field on a listed story
# costs a query per story; the list pages' query counts are pinned in the tests.
LISTED_FIELDS = ("id", "kicker", "title", "subtitle", "lead", "published_at")
# What the public sees of a story's union bodies: a tag with the short name (or the
# name) linking to the body's page (listed_union_bodies()).
LISTED_UNION_FIELDS = ("id", "slug", "name", "short_name")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories the public may see: published, and their time has come.

        A story published with a future time is scheduled: it stays out of every
        public page until then, and appears by itself afterwards (no cron job).
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def current(self):
        """Leave out back-filled stories (补录): old printed pages published at their printed
        date are archive, never news, so the front page and the latest feeds skip them."""
        return self.filter(backfilled_at__isnull=True)

    def with_print_placement(self, on_date=None):
        """Annotate where each story was printed, from its placements in published issues.

        `print_placement`: {"date", "number", "name"} of the first page in print order,
        where the story starts, or None when the story was not printed (or `on_date` is
        given and it was not printed that day); `print_line` reads it. One subquery in
        the same SELECT, so pages that show it cost no extra query; one rather than a
        subquery per value, since building and planning each costs more than the row.
        With `on_date` (a day's page, sorted by page) the page number comes as
        `print_page_number` too, for ORDER BY.
        """
        from .epaper import Placement  # epaper.py imports this module

        placements = Placement.objects.filter(article=OuterRef("pk"), page__issue__is_published=True)
        if on_date is not None:
            placements = placements.filter(page__issue__date=on_date)
        first = placements.in_print_order()
        placement = JSONObject(date="page__issue__date", number="page__number", name="page__name")
        stories = self.annotate(
            print_placement=Subquery(first.values(placement=placement)[:1], output_field=models.JSONField())
        )
        if on_date is not None:
            stories = stories.annotate(print_page_number=Subquery(first.values("page__number")[:1]))
        return stories

    def deleted(self):
        """Stories in the 回收站 (read through `Article.all_objects`)."""
        return self.filter(deleted_at__isnull=False)

    def delete(self):
        """Refused: a story leaves only through workflow.delete_article (the 回收站, logged)."""
        raise StoryDeletionRefused

    delete.alters_data = True
    delete.queryset_only = True

    def sync_listing(self):
        """Copy each story's listing time onto its union links, in one UPDATE.

        `Article.save()` and the m2m hook keep the links in step one story at a
        time; rows written in bulk (bench archives) skip both and call this.
        """
        listed = Article.all_objects.filter(
            pk=OuterRef("article_id"), status=Article.Status.PUBLISHED, deleted_at__isnull=True
        ).values("published_at")[:1]
        return ArticleUnionBody.objects.filter(article__in=self.values("pk")).update(
            published_at=Subquery(listed)
        )

    sync_listing.queryset_only = True

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_union_subtree(self, body):
        """Stories tagged with `body` or any of its descendants, without duplicates."""
        links = ArticleUnionBody.objects.filter(
            article=OuterRef("pk"), union_body_id__in=UnionBody.objects.directory().subtree_ids(body)
        )
        return self.filter(Exists(links))

    def by_reporter(self, reporter):
        return self.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), reporter=reporter)))

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def photo_stories(self, lead_photos=True):
        """Published stories with a lead photo, newest first: two queries for any number
        (one with `lead_photos=False`, for a page that attaches them with others')."""
        has_lead = Exists(ArticlePhoto.objects.filter(article=OuterRef("pk"), is_lead=True))
        stories = self.published().filter(has_lead).newest_first()
        return stories.with_lead_photo() if lead_photos else stories

    # What pages show of each story, prefetched: a fixed number of queries for any
    # number of stories. Every list, feed, page and admin list composes these.

    def with_bylines(self):
        """Each story's bylines with their reporters, in print order: one query.

        `bylines_in_order()` and `credit_line()` read it without another query.
        """
        bylines = Byline.objects.select_related("reporter").order_by("order", "id")
        return self.prefetch_related(Prefetch("bylines", queryset=bylines))

    def with_lead_photo(self):
        """Each story's lead photo with its photographer: one query.

        `lead_photo()` reads it without another query.
        """
        return self.prefetch_related(_lead_photos())

    def with_list_parts(self):
        """What a list shows of each story: its union bodies, byline and lead photo."""
        return self.with_listed_union_bodies().with_bylines().with_lead_photo()

    def for_lists(self):
        """Published stories newest first, with what a list shows: four queries for any number."""
        return self.published().newest_first().with_list_parts()

    def for_listings(self, lead_photos=True):
        """Published stories newest first, with what the site's story lists show (kicker,
        headline, subtitle, lead, time, union bodies, lead photo): three queries for any
        number, reading only LISTED_FIELDS of each story. No bylines and no body text,
        which a list never shows (feeds and story pages read those through for_lists() and
        with_story_parts()). `lead_photos=False` leaves the photos to attach_lead_photos(),
        with another list's."""
        stories = self.published().newest_first().only(*LISTED_FIELDS).with_listed_union_bodies()
        return stories.with_lead_photo() if lead_photos else stories

    def with_listed_union_bodies(self):
        """Each story's union bodies as the public pages, feeds and API show them (name,
        short name, address), in one query, for `listed_union_bodies()`. Read through the
        union links with the body joined: the many-to-many prefetch builds a related manager
        for every story and reads every column of every body, which cost a list page more
        than its stories."""
        links = ArticleUnionBody.objects.select_related("union_body").only(
            "article_id", *(f"union_body__{name}" for name in LISTED_UNION_FIELDS)
        ).order_by(*(f"union_body__{name}" for name in UnionBody._meta.ordering), "union_body_id")
        return self.prefetch_related(Prefetch("union_links", queryset=links, to_attr="listed_union_links"))

    def with_story_parts(self):
        """What a story's page shows besides the story: its union bodies, byline, every
        photo with its photographer, and its public corrections (`public_corrections`)."""
        from .editorial import Correction  # editorial.py imports this module

        photos = ArticlePhoto.objects.select_related("photo__credit_reporter")
        corrections = Correction.objects.public()
        return (
            # For one story the many-to-many prefetch costs less than the links' join;
            # listed_union_bodies() reads either.
            self.prefetch_related("union_bodies")
            .with_bylines()
            .prefetch_related(
                Prefetch("photo_links", queryset=photos),
                Prefetch("corrections", queryset=corrections, to_attr="public_corrections"),
            )
        )

    def with_sign_offs(self):
        """The events a story's page reads for its 责任编辑 and 更新 lines, in one query
        (`responsible_editor()`, `corrected_at()`)."""
        from .events import ArticleEvent  # events.py imports this module

        events = ArticleEvent.objects.filter(action__in=ArticleEvent.PAGE_ACTIONS).select_related("actor")
        return self.prefetch_related(Prefetch("events", queryset=events, to_attr="public_events"))


def _lead_photos():
    leads = ArticlePhoto.objects.filter(is_lead=True).select_related("photo__credit_reporter")
    return Prefetch("photo_links", queryset=leads, to_attr="lead_links")


def attach_lead_photos(stories):
    """Each story's lead photo, for stories already fetched, in one query however many
    lists they come from (the front page's news and photo news); `lead_photo()` reads it."""
    prefetch_related_objects(stories, _lead_photos())


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    """The default manager: stories in the 回收站 do not exist for the newsroom or the public."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Article(TextCleaning, models.Model):
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
    # Where the text importer says the story was printed. The 见报 line, the e-paper
    # and the day archive read Placements (models/epaper.py); saving placements keeps
    # these two in step with the story's first page (services/epaper.py).
    print_date = models.DateField("见报日期", null=True, blank=True)
    print_page = models.PositiveSmallIntegerField("版面", null=True, blank=True)
    # Set when an old printed page's story was published at its printed date (补录,
    # services/archive.py): archive, never news (`current()`).
    backfilled_at = models.DateTimeField("补录时间", null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True)
    # Where a story in review waits (三审三校), and the policy it was submitted under;
    # only the workflow sets them (articles/services/workflow.py).
    review_level = models.ForeignKey(
        ReviewLevel, verbose_name="审级", null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="waiting",
    )
    review_policy = models.ForeignKey(
        ReviewPolicy, verbose_name="审稿流程", null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
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
            # Is this story listed publicly? Searches ask it of up to a thousand matches
            # for their count and facets: answered from this small index alone (an
            # index-only scan), not from the archive's heap, which a million stories
            # spread over far more pages than stay in memory.
            models.Index(
                fields=["id", "published_at"], name="article_listed_idx",
                condition=Q(status="published", deleted_at__isnull=True),
            ),
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
            # A story in review waits at a level; no other story does.
            models.CheckConstraint(
                condition=Q(status="review", review_level__isnull=False)
                | (~Q(status="review") & Q(review_level__isnull=True)),
                name="article_review_has_level",
            ),
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
            from ..search import index_article  # the index segments text: not a model concern

            index_article(self)

    def delete(self, using=None, keep_parents=False):
        """Refused: a story leaves only through workflow.delete_article (the 回收站, logged)."""
        raise StoryDeletionRefused

    delete.alters_data = True

    def get_absolute_url(self):
        return public_url("articles:article_detail", pk=self.pk)

    @property
    def listing_time(self):
        """When the story lists on public pages; None while it is not published (or deleted)."""
        if self.status != self.Status.PUBLISHED or self.deleted_at is not None:
            return None
        return self.published_at

    @property
    def last_modified(self):
        """When the story last changed for the public: its last save, or its publication
        if that came later (a scheduled story edited before its time)."""
        return max(self.updated_at, self.published_at or self.updated_at)

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

    @property
    def print_line(self):
        """(date, page number, page name) of where the story was printed, or None.

        Reads `with_print_placement()`'s annotation.
        """
        placement = getattr(self, "print_placement", None)
        if placement is None:
            return None
        # JSON carries the date as its ISO text, on PostgreSQL and SQLite alike.
        return date.fromisoformat(placement["date"]), placement["number"], placement["name"] or ""

    def print_page_url(self):
        """The e-paper page the story starts on (`with_print_placement()`), or ""."""
        line = self.print_line
        if line is None:
            return ""
        day, number, _ = line
        return reverse("articles:epaper_page", kwargs={
            "year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}", "number": number,
        })

    def bylines_in_order(self):
        """Bylines in print order; reads the prefetch of `with_bylines()` when the story has it."""
        return sorted(self.bylines.all(), key=lambda b: (b.order, b.pk))

    def _public_events(self):
        """Sign-offs and corrections, oldest first: the prefetch of `with_sign_offs()` if any."""
        from .events import ArticleEvent

        events = getattr(self, "public_events", None)
        if events is None:
            events = list(self.events.filter(action__in=ArticleEvent.PAGE_ACTIONS).select_related("actor"))
        return events

    def responsible_editor(self):
        """The 责任编辑: the name of who last signed the story off for publication (发布,
        定时发布 or 补录); "" when no sign-off is logged (stories from before the log).

        Only an account's full name is shown: a login name is never put on a public page.
        """
        from .events import ArticleEvent

        signed = [e for e in self._public_events() if e.action in ArticleEvent.SIGN_OFF_ACTIONS]
        if not signed or signed[-1].actor is None:
            return ""
        return signed[-1].actor.get_full_name()

    def corrected_at(self):
        """When the published story was last corrected (更新), or None if it never was.

        A correction is any saved change after publication (logged as 更正), public note or not.
        """
        from .events import ArticleEvent

        corrected = [e for e in self._public_events() if e.action == ArticleEvent.Action.CORRECTED]
        if not corrected or self.published_at is None or corrected[-1].created_at <= self.published_at:
            return None
        return corrected[-1].created_at

    def credit_line(self):
        """The byline as the paper prints it inside the brackets: 记者 张晶 周美玉 通讯员 李明."""
        parts, last_role = [], None
        for byline in self.bylines_in_order():
            if byline.role != last_role:
                parts.append(byline.get_role_display())
                last_role = byline.role
            parts.append(byline.reporter.name)
        return " ".join(parts)

    def listed_union_bodies(self):
        """The union bodies the public sees; reads the prefetch of `with_listed_union_bodies()`
        when the story has it (fields LISTED_UNION_FIELDS only)."""
        links = getattr(self, "listed_union_links", None)
        if links is None:
            return list(self.union_bodies.all())
        return [link.union_body for link in links]

    def lead_photo(self):
        """The lead photo or None; reads the prefetch of `with_lead_photo()` when the story has it."""
        links = getattr(self, "lead_links", None)
        if links is None:
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


class Byline(TextCleaning, models.Model):
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


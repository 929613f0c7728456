"""The printed paper in the newsroom: importing a day's PDFs, regions, drafts from a page.

Keyword-only functions that check permission first, like the workflow:

    import_edition    a day's PDF files (one per page, or one with every page):
                      all checked and rendered first, then written in one
                      transaction; files written are removed if anything fails
    propose_regions   match a page's text blocks to that date's stories and give
                      each matched story its block as a region (never over an
                      editor's own regions)
    save_regions      what the editor drew: the page's placements, replaced
    drafts_from_page  stories made from the blocks no story matches, through the
                      text importer (articles/importer/load.py) and so the workflow
    place_imported    the text importer's stories on their issue's page

Who may do it: `can_manage_epaper` — editors without a union-body limit, and
administrators (the paper is the whole newsroom's). Publishing an issue is a
field an editor sets; publishing old pages' stories at their printed date is
services/archive.py (补录).
"""

import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import PurePath

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone

from ..epaper import layout, pdf
from ..models import Article, Issue, Page, Placement
from ..photos.processing import delete_files, encode_jpeg, scaled_renditions, store_renditions
from ..public.cache import bump_generation
from . import permissions
from .workflow import NotAllowed

PAGE_RENDITIONS = ("page", "page_thumb")
# Stories published online this many days before a page's date may be on it.
MATCH_DAYS = 7


def can_manage_epaper(user):
    """Upload pages, edit regions, make drafts from a page, publish an issue."""
    return permissions.is_editor(user) and permissions.scope_ids(user) is None


def _require(user):
    if not can_manage_epaper(user):
        raise NotAllowed("只有编辑（不限工会范围）和管理员可以管理数字报。")


# --- Importing PDFs ---------------------------------------------------------------


@dataclass
class PreparedPage:
    """One page, checked and rendered in memory, ready to be written."""

    number: int
    source: str  # "文件名 第 n 页", for messages and progress
    pdf: bytes  # this page alone
    image: bytes  # the rendered page, JPEG
    width: int
    height: int
    renditions: dict
    blocks: list = field(default_factory=list)


@dataclass
class EditionResult:
    issue: Issue
    pages: list = field(default_factory=list)  # Page rows written
    placed: dict = field(default_factory=dict)  # page number -> stories given a region


def prepare_edition(files, *, first_number=1, progress=None):
    """Check every file, then render every page: [PreparedPage], or a ValidationError
    listing each refused file. `files` are (name, bytes) in page order."""
    progress = progress or (lambda message: None)
    documents, errors = [], []
    for name, data in files:
        name = PurePath(name or "").name or "（无文件名）"
        try:
            documents.append((name, pdf.open_pdf(data, name)))
        except ValidationError as error:
            errors.extend(error.messages)
    try:
        total = sum(len(document) for _, document in documents)
        if not errors and total > settings.EPAPER_MAX_PAGES:
            errors.append(f"这些文件共有 {total} 页，超过一期报纸的上限 {settings.EPAPER_MAX_PAGES} 页。")
        if errors:
            raise ValidationError(
                [ValidationError(message, code="pdf") for message in errors]
                + [ValidationError("以上文件未通过检查，本期版面都没有保存。", code="pdf")]
            )
        prepared, number = [], first_number
        for name, document in documents:
            for index in range(len(document)):
                source = name if len(document) == 1 else f"{name} 第 {index + 1} 页"
                progress(f"第 {number} 版（{source}）：渲染、读取文字 …")
                prepared.append(_prepare_page(document, index, number, source))
                number += 1
        return prepared
    finally:
        for _, document in documents:
            document.close()


def _prepare_page(document, index, number, source):
    page = document[index]
    try:
        try:
            image = pdf.render(page)
            lines = pdf.text_lines(page)
        except pdfium.PdfiumError:
            raise pdf.refuse(source, "无法渲染（文件可能已损坏），请重新导出后再上传。") from None
        single = pdfium.PdfDocument.new()
        try:
            single.import_pages(document, [index])
            buffer = io.BytesIO()
            single.save(buffer)
        finally:
            single.close()
    finally:
        page.close()
    return PreparedPage(
        number=number, source=source, pdf=buffer.getvalue(), image=encode_jpeg(image),
        width=image.width, height=image.height,
        renditions=scaled_renditions(image, PAGE_RENDITIONS),
        blocks=[block.as_dict() for block in layout.find_blocks(lines)],
    )


@transaction.atomic
def _write_pages(issue, prepared, names, written):
    pages = []
    folder = f"epaper/{issue.date:%Y/%m/%d}"

    def put(storage, name, content):
        saved = storage.save(name, content)
        written.append((storage, saved))
        return saved

    for item in prepared:
        page, _ = Page.objects.get_or_create(issue=issue, number=item.number)
        old_files = stored_files(page)
        key = uuid.uuid4().hex
        page.pdf = put(default_storage, f"{folder}/{key}-{item.number}.pdf", ContentFile(item.pdf))
        page.image = put(default_storage, f"{folder}/{key}.jpg", ContentFile(item.image))
        page.width, page.height = item.width, item.height
        page.renditions = store_renditions(item.renditions, folder, key, put)
        page.blocks = item.blocks
        if names.get(item.number):
            page.name = names[item.number]
        page.full_clean()
        page.save()
        if old_files:
            transaction.on_commit(lambda files=old_files: delete_files(files))
        pages.append(page)
    return pages


def import_edition(*, files, date, user, names=None, progress=None, first_number=1):
    """Import a day's pages from PDF `files` [(name, bytes)] as `user`; all or nothing.

    Pages are numbered from `first_number` in the order given (a file with
    several pages gives several). A page that exists is replaced (a corrected
    page), its old files removed once the new ones are saved. `names` maps page
    numbers to page names (要闻 …). Each page's regions are proposed from its
    text layer. Returns an EditionResult.
    """
    _require(user)
    progress = progress or (lambda message: None)
    prepared = prepare_edition(files, first_number=first_number, progress=progress)
    written = []
    try:
        with transaction.atomic():
            issue, _ = Issue.objects.get_or_create(date=date)
            result = EditionResult(issue)
            result.pages = _write_pages(issue, prepared, names or {}, written)
            for page in result.pages:
                result.placed[page.number] = propose_regions(page=page, user=user)
                progress(f"第 {page.number} 版：找到 {len(page.blocks)} 篇稿件的文字，"
                         f"对上 {len(result.placed[page.number])} 篇。")
    except BaseException:
        delete_files(written)
        raise
    return result


def stored_files(page):
    """Every (storage, name) a page's row points at."""
    files = [(default_storage, f.name) for f in (page.pdf, page.image) if f]
    for items in (page.renditions or {}).values():
        for item in items:
            files += [(default_storage, item["webp"]), (default_storage, item["jpeg"])]
    return files


def _delete_page_files(sender, instance, **kwargs):
    files = stored_files(instance)
    transaction.on_commit(lambda: delete_files(files))


def connect_signals():
    """Called once from ArticlesConfig.ready(): a deleted page takes its files along."""
    post_delete.connect(_delete_page_files, sender=Page, dispatch_uid="articles_page_files")


def publish_issue(*, issue, user, published=True):
    """Show the issue in the e-paper (or take it off); its unpublished stories stay hidden."""
    _require(user)
    issue.is_published = published
    issue.save(update_fields=["is_published", "updated_at"])
    return issue


# --- Regions --------------------------------------------------------------------------


def candidate_stories(page):
    """The stories a page's blocks may be: this date's, stories on this page first.

    Those imported for this date, placed in this issue, or published online in
    the MATCH_DAYS before or on the day (typed in the newsroom), not in the 回收站
    and not printed in another issue.
    """
    day = page.issue.date
    start = timezone.make_aware(datetime.combine(day - timedelta(days=MATCH_DAYS), time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    stories = list(
        Article.objects.filter(
            Q(print_date=day) | Q(placements__page__issue=page.issue)
            | Q(status=Article.Status.PUBLISHED, published_at__gte=start, published_at__lt=end)
        ).exclude(placements__page__issue__date__lt=day).exclude(placements__page__issue__date__gt=day)
        .distinct().only("id", "title", "kicker", "print_date", "print_page").order_by("id")
    )
    on_page = set(page.placements.values_list("article_id", flat=True))
    return sorted(stories, key=lambda s: (s.pk not in on_page and s.print_page != page.number, s.pk))


def unplaced_blocks(page, placed=None):
    """Indexes of the page's blocks that no story placed on the page matches."""
    if placed is None:
        placed = [p.article for p in page.placements.select_related("article")]
    matched = {index for index, _ in layout.match_blocks(page.blocks, placed)}
    return [index for index in range(len(page.blocks)) if index not in matched]


@transaction.atomic
def propose_regions(*, page, user):
    """Give each story whose headline a block of `page` matches that block as its region.

    Stories on this page by the text import are preferred; a story placed here
    already keeps the regions an editor drew. Returns the stories given a region.
    """
    _require(user)
    if not page.blocks:
        return []
    candidates = candidate_stories(page)
    existing = {p.article_id: p for p in page.placements.all()}
    # A story already placed on another page of the issue with regions is not
    # proposed here unless its headline repeats here (a 转版 continuation).
    proposed = []
    for index, story in layout.match_blocks(page.blocks, candidates):
        placement = existing.get(story.pk)
        if placement is None:
            placement = Placement(page=page, article=story, order=index)
        elif placement.regions:
            continue
        placement.regions = [page.blocks[index]["points"]]
        placement.full_clean(validate_unique=False)
        placement.save()
        proposed.append(story)
    _sync_print_fields([story.pk for story in proposed])
    return proposed


@transaction.atomic
def save_regions(*, page, user, assignments):
    """Replace the page's placements with `assignments` [{"article": id, "regions": [...]}].

    Every region is checked (polygons within 0–1); one bad region saves
    nothing. Stories must exist (not in the 回收站). Returns the placements.
    """
    _require(user)
    if not isinstance(assignments, list):
        raise ValidationError("版面区域的数据格式不对。", code="regions")
    wanted = {}
    for number, item in enumerate(assignments, start=1):
        try:
            article_id = int(item["article"])
            regions = item.get("regions", [])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(f"第 {number} 个区域没有对应的稿件。", code="regions") from None
        wanted.setdefault(article_id, []).extend(regions if isinstance(regions, list) else [None])
    stories = Article.objects.in_bulk(list(wanted))
    missing = [str(pk) for pk in wanted if pk not in stories]
    if missing:
        raise ValidationError(f"找不到稿件（编号 {'、'.join(missing)}），可能已删除。", code="regions")
    existing = {p.article_id: p for p in page.placements.all()}
    touched = set(existing) | set(wanted)
    page.placements.exclude(article_id__in=list(wanted)).delete()
    placements = []
    for order, (article_id, regions) in enumerate(wanted.items()):
        placement = existing.get(article_id) or Placement(page=page, article=stories[article_id])
        placement.regions, placement.order = regions, order
        try:
            placement.full_clean(validate_unique=False)
        except ValidationError as error:
            raise ValidationError(
                f"“{stories[article_id].title}”：{'；'.join(error.messages)}", code="regions"
            ) from None
        placement.save()
        placements.append(placement)
    _sync_print_fields(touched)
    return placements


def _sync_print_fields(article_ids):
    """Keep Article.print_date / print_page at each story's first page in print order."""
    for article_id in set(article_ids):
        first = (
            Placement.objects.filter(article_id=article_id).in_print_order()
            .values_list("page__issue__date", "page__number").first()
        )
        day, number = first if first else (None, None)
        Article.all_objects.filter(pk=article_id).update(print_date=day, print_page=number)
    if article_ids:
        bump_generation()


# --- Stories from the printed page ------------------------------------------------


def drafts_from_page(*, page, user, indexes=None):
    """Draft stories from the page's blocks that no placed story matches (or `indexes`).

    The blocks are written as the text importer reads a page and imported
    through it (kicker, headline, byline, union bodies and body found the same
    way; created through the workflow as drafts, logged), then placed on the page
    with their blocks as regions. Returns the ImportResult.
    """
    from ..importer import load  # the importer places its stories through this module

    _require(user)
    chosen = unplaced_blocks(page) if indexes is None else [
        i for i in indexes if 0 <= i < len(page.blocks)
    ]
    if not chosen:
        raise ValidationError("这个版面没有未对应稿件的文字块，无需新建。", code="blocks")
    blocks = [page.blocks[i] for i in chosen]
    with transaction.atomic():
        result = load.import_page(
            layout.block_page_text(blocks), user=user, print_date=page.issue.date,
            print_page=page.number, source_name=f"{page.label} 版面 PDF",
        )
        propose_regions(page=page, user=user)
    return result


def place_imported(stories, *, print_date, print_page):
    """Put a text import's stories on their page (the issue and page made if missing).

    Called by the importer inside its transaction. An issue made here is not
    published. If the page's PDF is in already, regions are proposed at once.
    """
    if print_date is None or print_page is None or not stories:
        return None
    issue, _ = Issue.objects.get_or_create(date=print_date)
    page, _ = Page.objects.get_or_create(issue=issue, number=print_page)
    start = page.placements.count()
    for order, story in enumerate(stories, start=start):
        Placement.objects.get_or_create(page=page, article=story, defaults={"order": order})
    if page.blocks:
        placements = {p.article_id: p for p in page.placements.all()}
        for index, story in layout.match_blocks(page.blocks, stories):
            placement = placements[story.pk]
            if not placement.regions:
                placement.regions = [page.blocks[index]["points"]]
                placement.save(update_fields=["regions"])
    bump_generation()
    return page

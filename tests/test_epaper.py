"""The printed page's PDF: regions proposed from the text layer, hostile files, the command.

A generated three-page PDF (tests/epaper_data.py) holds six known stories in
known boxes, one continued on page 3 (转版).
"""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from reportlab.pdfgen import canvas

from articles.models import Article, ArticleEvent, Issue, Page, Placement
from articles.services import epaper
from articles.services.permissions import SystemActor
from articles.services.workflow import NotAllowed
from demo.epaper import HEADLINE_SIZE, KICKER_SIZE, PAGE_SIZE
from tests.epaper_data import CONTINUATION_BOX, JUMPED, STORIES, issue_pdf, make_issue, make_stories
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("测试")


@pytest.fixture(autouse=True)
def small_pages(settings):
    """Pages rendered 700 px wide: the same code, a quarter of the pixels."""
    settings.EPAPER_RENDER_WIDTH = 700


def bounds(polygon):
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestProposedRegions:
    def test_every_story_gets_a_region_that_covers_its_headline_inside_the_page(self):
        issue, stories = make_issue()
        for story, (number, title, kicker, box, _) in zip(stories, STORIES):
            placement = Placement.objects.get(article=story, page__number=number)
            assert len(placement.regions) == 1, title
            left, top, right, bottom = bounds(placement.regions[0])
            assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1
            # The headline is set at the box's top left, HEADLINE_SIZE points high,
            # under the kicker when there is one: the region covers all of it.
            width, height = PAGE_SIZE
            head_top = box[1] + (KICKER_SIZE * 1.4 / height if kicker else 0)
            head_bottom = head_top + HEADLINE_SIZE / height
            head_right = box[0] + min(len(title) * HEADLINE_SIZE / width, box[2] - box[0])
            assert left <= box[0] + 0.002 and top <= head_top + 0.002, title
            assert bottom >= head_bottom - 0.002 and right >= head_right - 0.01, title
            # … and stays inside the story's own box (with the padding), not its neighbours'.
            assert box[0] - 0.01 <= left and right <= box[2] + 0.01, title
            assert box[1] - 0.01 <= top and bottom <= box[3] + 0.01, title

    def test_a_story_continued_on_another_page_has_a_region_on_each(self):
        issue, stories = make_issue()
        jumped = stories[JUMPED]
        parts = list(Placement.objects.filter(article=jumped).in_print_order())
        assert [p.page.number for p in parts] == [STORIES[JUMPED][0], 3]
        left, top, right, bottom = bounds(parts[1].regions[0])
        assert CONTINUATION_BOX[1] - 0.03 <= top and bottom <= CONTINUATION_BOX[3] + 0.01
        jumped.refresh_from_db()
        assert (jumped.print_date, jumped.print_page) == (issue.date, 1)  # where it starts

    def test_pages_are_rendered_with_renditions_and_each_page_has_its_own_pdf(self, settings):
        issue, _ = make_issue()
        pages = list(issue.pages.order_by("number"))
        assert [(p.number, p.name) for p in pages] == [(1, "要闻"), (2, "工会新闻"), (3, "基层")]
        for page in pages:
            assert page.width == settings.EPAPER_RENDER_WIDTH
            assert abs(page.height / page.width - PAGE_SIZE[1] / PAGE_SIZE[0]) < 0.01
            assert [r["width"] for r in page.renditions["page"]] == [600, 700]  # never enlarged
            assert [r["width"] for r in page.renditions["page_thumb"]] == [160]
            assert (settings.MEDIA_ROOT / page.image.name).exists()
            data = (settings.MEDIA_ROOT / page.pdf.name).read_bytes()
            assert data.startswith(b"%PDF-") and data.count(b"/Type /Page\n") + data.count(b"/Type/Page") >= 1

    def test_headlines_that_differ_by_a_place_name_do_not_pair(self):
        """A story missing from the newsroom leaves its block unplaced, never given to a look-alike."""
        day = timezone.localdate() - timedelta(days=1)
        make_stories(day)
        Article.objects.filter(title=STORIES[2][1]).update(title="石景山区总工会为一线职工送清凉")
        issue, _ = make_issue(day, stories=False)
        page = issue.pages.get(number=1)
        assert not Placement.objects.filter(article__title="石景山区总工会为一线职工送清凉").exists()
        assert [page.blocks[i]["title"] for i in epaper.unplaced_blocks(page)] == [STORIES[2][1]]

    def test_regions_drawn_by_an_editor_survive_a_new_pdf(self):
        issue, stories = make_issue()
        page = issue.pages.get(number=2)
        mine = [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]]
        epaper.save_regions(page=page, user=SYSTEM, assignments=[
            {"article": stories[3].pk, "regions": [mine]}, {"article": stories[4].pk, "regions": []},
        ])
        data, _ = issue_pdf(issue.date)
        epaper.import_edition(files=[("again.pdf", data)], date=issue.date, user=SYSTEM)
        assert Placement.objects.get(page=page, article=stories[3]).regions == [mine]
        assert len(Placement.objects.get(page=page, article=stories[4]).regions) == 1  # proposed again


class TestSavingRegions:
    def test_points_outside_the_page_are_refused_and_nothing_changes(self):
        issue, stories = make_issue()
        page = issue.pages.get(number=1)
        before = list(page.placements.values_list("article_id", "regions"))
        for bad in ([[0, 0], [1.2, 0], [1, 1]], [[0, 0], [1, 1]], "x", [[0, 0], [True, 0], [1, 1]]):
            with pytest.raises(ValidationError):
                epaper.save_regions(page=page, user=SYSTEM, assignments=[
                    {"article": stories[0].pk, "regions": [[[0, 0], [0.5, 0], [0.5, 0.5]]]},
                    {"article": stories[1].pk, "regions": [bad]},
                ])
        assert list(page.placements.values_list("article_id", "regions")) == before

    def test_a_missing_story_is_refused(self):
        issue, _ = make_issue()
        with pytest.raises(ValidationError, match="找不到稿件"):
            epaper.save_regions(page=issue.pages.first(), user=SYSTEM,
                                assignments=[{"article": 999999, "regions": []}])

    def test_only_unlimited_editors_and_administrators_manage_the_paper(self, districts):
        issue, _ = make_issue()
        page = issue.pages.first()
        for user in (make_user(group="记者"), districts.district_editor, make_user()):
            assert not epaper.can_manage_epaper(user)
            with pytest.raises(NotAllowed):
                epaper.save_regions(page=page, user=user, assignments=[])
            with pytest.raises(NotAllowed):
                epaper.import_edition(files=[], date=issue.date, user=user)
        assert epaper.can_manage_epaper(make_user(group="编辑"))
        assert epaper.can_manage_epaper(make_user(is_superuser=True))


class TestDraftsFromThePage:
    def test_blocks_without_a_story_become_placed_drafts_read_by_the_text_importer(self):
        issue, _ = make_issue(stories=False)
        page = issue.pages.get(number=1)
        editor = make_user(group="编辑")
        result = epaper.drafts_from_page(page=page, user=editor)
        titles = {a.title: a for a in result.created}
        assert set(titles) == {title for number, title, *_ in STORIES if number == 1}
        first = titles[STORIES[0][1]]
        assert first.status == Article.Status.DRAFT and first.kicker == STORIES[0][2]
        assert first.source_label == "本报讯" and first.credit_line() == "记者 张晶"
        assert first.lead.startswith("近日，")
        assert ArticleEvent.objects.filter(article=first, action="created", actor=editor).exists()
        for article in result.created:
            assert len(Placement.objects.get(page=page, article=article).regions) == 1
        with pytest.raises(ValidationError, match="无需新建"):
            epaper.drafts_from_page(page=page, user=editor)


def blank_pdf(pages=1, size=(842, 1191), **options):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, **options)
    for _ in range(pages):
        pdf.drawString(72, 72, "page")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class TestHostilePdfs:
    @pytest.mark.parametrize("name,data,message", [
        ("page.pdf", b"", "空文件"),
        ("page.pdf", b"<html><body>not a pdf</body></html>", "不是 PDF"),
        ("photo.pdf", b"\xff\xd8\xff\xe0" + b"0" * 2000, "不是 PDF"),
        ("cut.pdf", None, "不完整"),
        ("locked.pdf", None, "已加密"),
        ("bomb.pdf", None, "超过一期报纸的上限"),
        ("huge.pdf", None, "尺寸异常"),
        ("broken.pdf", b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n", "已损坏"),
    ])
    def test_refused_with_a_chinese_message_naming_the_file_and_nothing_saved(
            self, settings, name, data, message):
        settings.EPAPER_MAX_PAGES = 5
        if name == "cut.pdf":
            whole = blank_pdf(2)
            data = whole[: len(whole) * 2 // 3]
        elif name == "locked.pdf":
            data = blank_pdf(encrypt="secret")
        elif name == "bomb.pdf":
            data = blank_pdf(pages=6)
        elif name == "huge.pdf":
            data = blank_pdf(size=(14400, 14400))
        good = blank_pdf()
        with pytest.raises(ValidationError) as refused:
            epaper.import_edition(files=[("good.pdf", good), (name, data)],
                                  date=timezone.localdate(), user=SYSTEM)
        text = "".join(refused.value.messages)
        assert f"「{name}」" in text and message in text and "都没有保存" in text
        assert not Issue.objects.exists() and not Page.objects.exists()
        assert files_under(settings.MEDIA_ROOT) == []

    def test_the_pages_of_several_files_count_together(self, settings):
        settings.EPAPER_MAX_PAGES = 3
        with pytest.raises(ValidationError, match="共有 4 页"):
            epaper.import_edition(files=[("a.pdf", blank_pdf(2)), ("b.pdf", blank_pdf(2))],
                                  date=timezone.localdate(), user=SYSTEM)

    def test_files_written_before_a_failure_are_removed(self, settings, monkeypatch):
        def fail(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(epaper, "propose_regions", fail)
        with pytest.raises(RuntimeError):
            epaper.import_edition(files=[("a.pdf", blank_pdf(2))], date=timezone.localdate(), user=SYSTEM)
        assert not Page.objects.exists()
        assert files_under(settings.MEDIA_ROOT) == []

    def test_a_replaced_page_leaves_no_old_files(self, settings, django_capture_on_commit_callbacks):
        day = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            epaper.import_edition(files=[("a.pdf", blank_pdf())], date=day, user=SYSTEM)
        first = set(files_under(settings.MEDIA_ROOT))
        with django_capture_on_commit_callbacks(execute=True):
            epaper.import_edition(files=[("a.pdf", blank_pdf())], date=day, user=SYSTEM)
        second = set(files_under(settings.MEDIA_ROOT))
        assert len(second) == len(first) and not first & second


class TestImportEditionCommand:
    def test_progress_per_page_and_a_summary(self, tmp_path):
        day = timezone.localdate() - timedelta(days=1)
        make_stories(day)
        path = tmp_path / "edition.pdf"
        path.write_bytes(issue_pdf(day)[0])
        out = StringIO()
        call_command("import_edition", str(path), "--date", day.isoformat(),
                     "--names", "要闻,工会新闻,基层", "--publish", stdout=out)
        text = out.getvalue()
        for number in (1, 2, 3):
            assert f"第 {number} 版（edition.pdf 第 {number} 页）" in text
        assert "导入 3 个版面，7 篇稿件有了热区" in text and "本期数字报已发布" in text
        issue = Issue.objects.get(date=day)
        assert issue.is_published and issue.pages.get(number=2).name == "工会新闻"

    def test_a_bad_file_is_a_command_error(self, tmp_path):
        path = tmp_path / "bad.pdf"
        path.write_bytes(b"hello")
        with pytest.raises(CommandError, match="不是 PDF"):
            call_command("import_edition", str(path), "--date", "2025-06-12", stdout=StringIO())
        with pytest.raises(CommandError, match="格式不对"):
            call_command("import_edition", str(path), "--date", "12.6.2025", stdout=StringIO())
        assert not Issue.objects.exists()

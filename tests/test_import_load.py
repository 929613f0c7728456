"""Importing the seed page into drafts: every story, idempotency, new reporters, all-or-nothing."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importer.load import import_page, plan_import, unique_slug
from articles.importer.parser import PageImportError
from articles.models import Article, ArticleEvent, Byline, Reporter
from articles.services.permissions import SystemActor
from articles.services.workflow import NotAllowed

from .factories import make_reporter, make_user

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "seed_page.txt"
PRINT_DATE = date(2025, 6, 12)
SYSTEM = SystemActor("测试导入")


@pytest.fixture
def imported(directory, editor):
    result = import_page(SEED.read_bytes(), print_date=PRINT_DATE, print_page=1, user=editor,
                         source_name="seed_page.txt")
    return {article.title: article for article in result.created}


def bylines(article):
    return [(b.reporter.name, b.role) for b in article.bylines.select_related("reporter")]


def unions(article):
    return sorted(article.union_bodies.values_list("name", flat=True))


def paragraphs(article):
    return article.body.count("<p>") + (1 if article.lead else 0)


EXPECTED = [
    # title, kicker, bylines, union bodies, paragraphs (lead included)
    ("北京市总工会深化产业工人队伍建设改革暨工会系统青年干部创新能力提升培训班举办", "", [],
     ["北京市总工会"], 5),
    ("打造善沟通、会协商的集体协商人才队伍", "石景山区总工会举办集体协商竞赛",
     [("张晶", "reporter")], ["石景山区总工会"], 3),
    ("昌平54名工会干部同台竞技经审业务", "", [("周美玉", "reporter")], ["昌平区总工会"], 5),
    ("北汽集团近2000个职工家庭乐享“家”年华", "", [("马超", "reporter")], ["北汽集团工会"], 3),
    ("奥运村街道总工会为青年职工搭建社交平台", "", [("刘欣欣", "reporter")], ["奥运村街道总工会"], 3),
    ("朝外街道总工会开办急救培训课", "", [("刘欣欣", "reporter")], ["朝外街道总工会"], 4),
    ("关爱离退休职工", "", [("边磊", "photographer")], ["北京建工机施集团工会"], 1),
]


@pytest.mark.parametrize("title, kicker, byline, bodies, count", EXPECTED, ids=range(1, 8))
def test_seed_story_is_imported(imported, title, kicker, byline, bodies, count):
    article = imported[title]
    assert article.kicker == kicker
    assert bylines(article) == byline
    assert unions(article) == bodies
    assert paragraphs(article) == count
    assert (article.status, article.print_date, article.print_page) == ("draft", PRINT_DATE, 1)


def test_seed_imports_seven_drafts(imported):
    assert len(imported) == 7
    assert Article.objects.count() == 7


def test_reports_have_source_label_and_lead_without_dateline(imported):
    article = imported["打造善沟通、会协商的集体协商人才队伍"]
    assert article.source_label == "本报讯"
    assert article.lead.startswith("近日，石景山区总工会举办集体协商竞赛，")
    assert "本报讯" not in article.lead and "张晶" not in article.lead


def test_rejoined_paragraphs_are_stored_whole(imported):
    body = imported["北京市总工会深化产业工人队伍建设改革暨工会系统青年干部创新能力提升培训班举办"].body
    assert "<p>举办本次培训班，是全面学习贯彻习近平总书记在庆祝中华全国总工会成立100周年" in body
    assert "<p>培训班对学习纪律、学习成果转化等提出明确要求，" in body
    assert "是全面</p>" not in body and "学习成</p>" not in body


def test_photo_story_has_caption_as_body_and_photographer_credit(imported):
    article = imported["关爱离退休职工"]
    assert article.lead == "" and article.source_label == ""
    assert article.body == (
        "<p>近日，北京建工机施集团工会主席带队来到该集团离退休职工家中，为老人庆贺百岁寿辰，并送上祝福和慰问。</p>"
    )
    assert article.credit_line() == "摄影 边磊"


def test_importer_and_history_are_recorded(imported, editor):
    for article in imported.values():
        assert article.created_by == editor
        event = article.events.get()
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            ArticleEvent.Action.CREATED, "", "draft", editor
        )
        assert event.comment == "导入自 seed_page.txt（2025-06-12 第 1 版）"


def test_importing_the_same_page_twice_creates_nothing(imported, editor):
    counts = (Article.objects.count(), Byline.objects.count(), Reporter.objects.count(),
              ArticleEvent.objects.count())
    result = import_page(SEED.read_bytes(), print_date=PRINT_DATE, print_page=1, user=editor)
    assert result.created == [] and len(result.plan.skipped) == 7
    assert counts == (Article.objects.count(), Byline.objects.count(), Reporter.objects.count(),
                      ArticleEvent.objects.count())


def test_same_page_on_another_date_is_new(imported, editor):
    result = import_page(SEED.read_bytes(), print_date=date(2025, 6, 13), print_page=1, user=editor)
    assert len(result.created) == 7


def test_import_for_review_sets_submitted_time(directory):
    result = import_page(SEED.read_bytes(), print_date=PRINT_DATE, status="review", user=SYSTEM)
    assert {a.status for a in result.created} == {"review"}
    assert all(a.submitted_at for a in result.created)


def test_an_unattended_import_is_logged_as_the_system_not_as_nobody(directory):
    article = import_page(SEED.read_bytes(), print_date=PRINT_DATE, status="review", user=SYSTEM).created[0]
    created, submitted = article.events.order_by("created_at", "id")
    assert (created.action, submitted.action) == ("created", "submitted")
    assert created.actor is None and created.comment.startswith("系统（测试导入）：导入自")
    assert submitted.actor is None and submitted.comment.startswith("系统（测试导入）：送初审")
    assert submitted.actor_name == "系统（测试导入）"
    assert article.created_by is None


def test_a_reporter_cannot_import_and_nothing_is_written(directory):
    with pytest.raises(NotAllowed):
        import_page(SEED.read_bytes(), print_date=PRINT_DATE, user=make_user("r", group="记者"))
    with pytest.raises(NotAllowed):
        import_page(SEED.read_bytes(), print_date=PRINT_DATE, user=None)
    assert Article.objects.count() == 0 and Reporter.objects.filter(needs_review=True).count() == 0


def test_unknown_reporters_become_inactive_entries_for_review(directory):
    page = "## 工会举办活动\n\n**本报讯**（记者 张晶 吕小军 通讯员 单田芳）近日，工会举办活动。\n"
    result = import_page(page, print_date=PRINT_DATE, user=SYSTEM)
    article = result.created[0]
    assert bylines(article) == [("张晶", "reporter"), ("吕小军", "reporter"), ("单田芳", "correspondent")]
    new = Reporter.objects.get(name="吕小军")
    assert (new.is_active, new.needs_review, new.role, new.slug) == (False, True, "reporter", "lv-xiao-jun")
    assert Reporter.objects.get(name="单田芳").role == "correspondent"
    assert [r.name for r in result.new_reporters] == ["吕小军", "单田芳"]
    # The next page with the same name reuses the entry instead of making another.
    import_page(page.replace("工会举办活动", "工会又举办活动"), print_date=PRINT_DATE, user=SYSTEM)
    assert Reporter.objects.filter(name="吕小军").count() == 1


def test_a_name_on_the_roster_twice_prefers_the_active_confirmed_one(directory):
    make_reporter("张晶", slug="zhang-jing-old", is_active=False)
    result = import_page("## 标题\n\n**本报讯**（记者 张晶）近日。\n", print_date=PRINT_DATE, user=SYSTEM)
    assert result.created[0].bylines.get().reporter.slug == "zhang-jing"


def test_slugs_are_pinyin_and_unique(db):
    make_reporter("张晶", slug="zhang-jing")
    assert unique_slug("张晶") == "zhang-jing-2"
    assert unique_slug("阿依古丽·买买提") == "a-yi-gu-li-mai-mai-ti"
    assert unique_slug("···") == "imported-2"


def test_dry_run_plan_writes_nothing(directory):
    plan = plan_import(SEED.read_bytes(), print_date=PRINT_DATE, print_page=1)
    assert len(plan.to_create) == 7 and plan.new_reporter_names == []
    assert Article.objects.count() == 0


def test_malformed_page_imports_nothing(directory):
    page = SEED.read_text() + "\n### 没有主题的引题\n"
    with pytest.raises(PageImportError) as info:
        import_page(page, print_date=PRINT_DATE, user=SYSTEM)
    assert info.value.line == 88  # the seed has 87 lines
    assert Article.objects.count() == 0


def test_a_failure_while_writing_rolls_everything_back(directory, monkeypatch):
    calls = []
    original = ArticleEvent.objects.create

    def fail_on_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(ArticleEvent.objects, "create", fail_on_third)
    with pytest.raises(RuntimeError):
        import_page(SEED.read_bytes(), print_date=PRINT_DATE, user=SYSTEM)
    assert Article.objects.count() == 0 and Byline.objects.count() == 0


def test_model_rules_are_reported_with_the_headline_line(directory):
    page = "## 短标题\n\n正文。\n\n## " + "长" * 201 + "\n\n正文。\n"
    with pytest.raises(PageImportError) as info:
        import_page(page, print_date=PRINT_DATE, user=SYSTEM)
    assert info.value.line == 5 and "主题" in info.value.message
    assert Article.objects.count() == 0


def test_two_stories_with_one_headline_on_a_page_are_refused(directory):
    with pytest.raises(PageImportError) as info:
        import_page("## 同题\n\n正文。\n\n## 同题\n\n正文。\n", print_date=PRINT_DATE, user=SYSTEM)
    assert info.value.line == 5


def test_text_is_escaped_not_taken_as_html(directory):
    result = import_page("## 标题\n\n导语。\n\n<script>alert(1)</script>第二段。\n", print_date=PRINT_DATE, user=SYSTEM)
    assert result.created[0].body == "<p>&lt;script&gt;alert(1)&lt;/script&gt;第二段。</p>"


# --- The command --------------------------------------------------------------------


def test_command_imports_and_reports(directory, editor, capsys):
    call_command("import_page", str(SEED), "--date", "2025-06-12", "--page", "1",
                 "--status", "review", "--user", editor.username)
    out = capsys.readouterr().out
    assert "已导入 7 篇，跳过已存在的 0 篇。" in out
    assert Article.objects.filter(status="review", created_by=editor).count() == 7


def test_command_without_a_user_imports_as_the_system(directory, capsys):
    call_command("import_page", str(SEED), "--date", "2025-06-12")
    story = Article.objects.get(title="昌平54名工会干部同台竞技经审业务")
    assert story.events.get().comment.startswith("系统（import_page 命令）：导入自 seed_page.txt")


def test_command_refuses_a_reporter_and_writes_nothing(directory):
    reporter = make_user("reporter-x", group="记者")
    with pytest.raises(CommandError, match="不能导入版面"):
        call_command("import_page", str(SEED), "--date", "2025-06-12", "--user", reporter.username)
    assert Article.objects.count() == 0


def test_command_dry_run_writes_nothing(directory, capsys):
    call_command("import_page", str(SEED), "--date", "2025-06-12", "--dry-run")
    out = capsys.readouterr().out
    assert "[新建] 【石景山区总工会举办集体协商竞赛】打造善沟通、会协商的集体协商人才队伍" in out
    assert "试运行" in out and Article.objects.count() == 0


def test_command_error_names_the_file_and_line(tmp_path, directory):
    bad = tmp_path / "bad.txt"
    bad.write_text("## 主题\n\n### 引题\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.txt 第 3 行：引题“引题”后面缺少主题行"):
        call_command("import_page", str(bad), "--date", "2025-06-12")


def test_command_rejects_a_bad_date(directory):
    with pytest.raises(CommandError, match="日期“2025-13-01”的格式不对"):
        call_command("import_page", str(SEED), "--date", "2025-13-01")


def test_text_without_any_headline_is_not_imported_under_a_placeholder(tmp_path, directory):
    """A plain page whose first text has no headline: the importer proposes a story titled
    （待补主题） for the editor to fix in the preview, but never imports it so."""
    bad = tmp_path / "plain.txt"
    bad.write_text("正文。\n", encoding="utf-8")
    with pytest.raises(CommandError, match="plain.txt 第 1 行：有稿件的主题还是“（待补主题）”"):
        call_command("import_page", str(bad), "--date", "2025-06-12")
    assert not Article.objects.exists()


def test_command_dry_run_lists_the_unsure_places_of_a_plain_page(directory, capsys):
    plain = Path(__file__).parent / "data" / "plain_pages" / "05_briefs_broken_columns.txt"
    call_command("import_page", str(plain), "--date", "2025-06-12", "--dry-run")
    out = capsys.readouterr().out
    assert "没有“## ”标记" in out
    assert "请核对（第 2 行）：两行标题" in out
    assert "分栏接续读不通" in out and "发放宣传｜，北汽集团职工技协" in out
    assert not Article.objects.exists()

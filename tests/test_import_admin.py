"""The admin import (upload or paste → preview → confirm) and the union suggestions on a story."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, UnionBody

from .a11y import Validator, a11y_context, axe_violations, require_axe, require_vnu
from .browser import admin_login
from .factories import make_article, make_user

SEED = Path(__file__).parent / "data" / "seed_page.txt"
IMPORT_URL = "/admin/articles/article/import/"
CHANGELIST_URL = "/admin/articles/article/"

# Every test imports into, or is refused on, the seed page's union bodies and reporters.
pytestmark = pytest.mark.usefixtures("directory")


def upload(name="seed_page.txt", data=None):
    return SimpleUploadedFile(name, SEED.read_bytes() if data is None else data, "text/plain")


def preview(client, **extra):
    data = {"print_date": "2025-06-12", "print_page": "1", "status": "draft", "preview": "预览"}
    data.update(extra)
    return client.post(IMPORT_URL, data)


def test_import_url_is_the_named_admin_url():
    assert reverse("admin:articles_article_import") == IMPORT_URL


@pytest.mark.django_db
def test_upload_previews_the_stories_without_creating_them(editor_client):
    response = preview(editor_client, file=upload())
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["plan"] is not None
    assert len(response.context["rows"]) == 7
    for title in ["打造善沟通、会协商的集体协商人才队伍", "关爱离退休职工", "昌平54名工会干部同台竞技经审业务"]:
        assert title in html
    assert "石景山区总工会举办集体协商竞赛" in html and "记者 张晶" in html
    assert "图片新闻：本报记者 边磊 摄影报道" in html and "奥运村街道总工会" in html
    assert "将新建 <strong>7</strong> 篇稿件" in html
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_confirm_creates_the_stories(editor_client, editor):
    form = preview(editor_client, file=upload()).context["form"]
    response = editor_client.post(IMPORT_URL, {
        "text": form["text"].value(), "previewed": form["previewed"].value(),
        "print_date": "2025-06-12", "print_page": "1", "status": "review",
        "source_name": "seed_page.txt", "confirm": "确认导入",
    }, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "已导入 7 篇稿件（待审）。" in response.content.decode()
    articles = Article.objects.filter(print_page=1, status="review")
    assert articles.count() == 7
    assert {a.created_by.username for a in articles} == {editor.username}
    created, submitted = articles.get(title="关爱离退休职工").events.order_by("id")
    assert created.comment == "导入自 seed_page.txt（2025-06-12 第 1 版）"
    # Stories for review go through the workflow's submit, logged like any other.
    assert (submitted.action, submitted.from_status, submitted.to_status) == (
        "submitted", "draft", "review"
    )
    assert submitted.actor.username == editor.username


@pytest.mark.django_db
def test_pasted_text_previews_and_a_second_import_skips(editor_client):
    pasted = SEED.read_text(encoding="utf-8")
    previewed = preview(editor_client, text=pasted).context["form"]["previewed"].value()
    editor_client.post(IMPORT_URL, {"text": pasted, "print_date": "2025-06-12", "print_page": "1",
                                    "status": "draft", "previewed": previewed, "confirm": "确认导入"})
    assert Article.objects.count() == 7
    response = preview(editor_client, text=pasted)
    assert "7 篇已导入过，将跳过" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


@pytest.mark.django_db
def test_new_reporters_are_flagged_in_the_preview(editor_client):
    page = "## 工会举办活动\n\n**本报讯**（记者 吕小军）近日，工会举办活动。\n"
    html = preview(editor_client, text=page).content.decode()
    assert "记者 吕小军 <span class=\"new-reporter\">（新作者，待核实）</span>" in html


@pytest.mark.django_db
def test_malformed_upload_shows_the_line_and_keeps_the_text(editor_client):
    bad = "## 工会举办活动\n\n**本报讯**（记者 ）近日，工会举办活动。\n".encode()
    response = preview(editor_client, file=upload("bad.txt", bad))
    html = response.content.decode()
    assert "第 3 行：署名“记者”后面没有姓名。" in html
    assert "近日，工会举办活动。" in html  # in the textarea, to fix and try again
    assert 'name="print_date" value="2025-06-12"' in html  # a date input reads ISO dates only
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_binary_upload_is_refused_clearly(editor_client):
    response = preview(editor_client, file=upload("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
    assert "这是一个二进制文件" in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_nothing_to_import_asks_for_a_file_or_text(editor_client):
    response = preview(editor_client)
    assert "请上传版面文件，或把整版文字粘贴到文本框里。" in response.content.decode()


@pytest.mark.django_db
def test_reporter_cannot_import(client):
    client.force_login(make_user("reporter-a", group="记者"))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"text": SEED.read_text(), "print_date": "2025-06-12",
                                        "status": "draft", "confirm": "确认导入"})
    assert response.status_code == 403
    assert Article.objects.count() == 0
    assert "导入版面" not in client.get(CHANGELIST_URL).content.decode()


@pytest.mark.django_db
def test_editor_sees_the_import_button(editor_client):
    response = editor_client.get(CHANGELIST_URL)
    assert f'href="{IMPORT_URL}"' in response.content.decode()


@pytest.mark.django_db
def test_administrator_can_import(admin_client):
    assert admin_client.get(IMPORT_URL).status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Suggestions on the change form ------------------------------------------------------


@pytest.mark.django_db
def test_change_form_suggests_bodies_named_but_not_tagged(editor_client):
    article = make_article(
        "石景山区总工会举办竞赛", status="draft", body="<p>北汽集团工会也派队参加。</p>",
        unions=[UnionBody.objects.get(name="石景山区总工会")],
    )
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "识别到的工会" in html
    section = html.split("识别到的工会", 1)[1]
    assert "北汽集团工会</a>" in section
    assert "石景山区总工会</a>" not in section


@pytest.mark.django_db
def test_change_form_says_when_everything_is_tagged(editor_client):
    article = make_article("无关的稿件", status="draft")
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "正文里提到的工会都已添加" in html


# --- In a browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_imports_the_seed_page_in_the_browser(live_server, page, screenshots):
    make_user("editor-b", group="编辑")
    admin_login(page, live_server, "editor-b")
    page.goto(live_server.url + CHANGELIST_URL)
    page.click("text=导入版面")
    page.set_input_files("#id_file", str(SEED))
    page.fill("#id_print_date", "2025-06-12")
    page.fill("#id_print_page", "1")
    screenshots.take(page, "upload")
    page.click("input[name=preview]")
    assert page.locator("#import-preview tbody tr").count() == 7
    screenshots.take(page, "preview")
    page.click("input[name=confirm]")
    page.wait_for_url(live_server.url + CHANGELIST_URL)
    assert "已导入 7 篇稿件（草稿）" in page.locator(".messagelist").inner_text()
    screenshots.take(page, "done")
    assert Article.objects.filter(print_page=1).count() == 7


# --- Plain pages (no ## marks): proposal, correction, confirmation ------------------------

PLAIN = Path(__file__).parent / "data" / "plain_pages"


@pytest.mark.django_db
def test_a_plain_page_comes_back_marked_with_its_unsure_places_and_broken_joins(editor_client):
    pasted = (PLAIN / "05_briefs_broken_columns.txt").read_text(encoding="utf-8")
    response = preview(editor_client, text=pasted)
    html = response.content.decode()
    assert 'id="import-proposed"' in html
    marked = response.context["form"]["text"].value()
    assert "### 工会简讯\n## 东城区总工会开展职工心理健康讲座" in marked
    assert "请核对（第 2 行）：两行标题" in html
    assert "分栏接续读不通" in html and "发放宣传<mark>｜</mark>，北汽集团职工技协" in html
    assert html.count('class="doubtful-join"') == 1
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_the_editor_fixes_the_proposal_and_imports_what_the_preview_showed(editor_client):
    pasted = (PLAIN / "02_word_no_blank_lines.txt").read_text(encoding="utf-8")
    form = preview(editor_client, text=pasted).context["form"]
    marked, previewed = form["text"].value(), form["previewed"].value()
    # The editor changes a headline in the text, then presses 确认导入 without previewing:
    # nothing is imported; the new text is previewed, kept, and confirmed next.
    fixed = marked.replace("## 延庆区总工会为户外劳动者建驿站", "## 延庆区建成12家户外劳动者服务站")
    data = {"print_date": "2025-06-12", "print_page": "3", "status": "draft", "confirm": "确认导入"}
    response = editor_client.post(IMPORT_URL, {**data, "text": fixed, "previewed": previewed})
    assert response.status_code == 200 and Article.objects.count() == 0
    assert "文字在预览后改过了" in response.content.decode()
    assert response.context["form"]["text"].value() == fixed
    previewed = response.context["form"]["previewed"].value()
    response = editor_client.post(IMPORT_URL, {**data, "text": fixed, "previewed": previewed}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert set(Article.objects.values_list("title", flat=True)) == {
        "丰台区总工会启动职工夏季送清凉活动", "守护“小巷总理”的健康", "延庆区建成12家户外劳动者服务站",
    }
    feature = Article.objects.get(title="守护“小巷总理”的健康")
    assert feature.subtitle == "记西城区展览路街道社区工作者健康服务站"
    assert [b.reporter.name for b in feature.bylines_in_order()] == ["周美玉"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_corrects_a_proposed_boundary_in_the_browser(live_server, page, screenshots):
    make_user("editor-c", group="编辑")
    admin_login(page, live_server, "editor-c")
    page.goto(live_server.url + IMPORT_URL)
    page.fill("#id_text", (PLAIN / "05_briefs_broken_columns.txt").read_text(encoding="utf-8"))
    page.fill("#id_print_date", "2025-06-12")
    page.click("input[name=preview]")
    assert page.locator("#import-preview tbody tr").count() == 4
    assert page.locator(".doubtful-join").count() == 1
    screenshots.take(page, "proposed")
    # 工会简讯 is the column's name, not a 引题: the editor deletes the line and previews again.
    text = page.locator("#import-text").input_value()
    page.fill("#import-text", text.replace("### 工会简讯\n", ""))
    page.click("input[name=preview]")
    first = page.locator("#import-preview tbody tr").first
    assert "工会简讯" not in first.inner_text()
    assert page.locator(".import-note").count() == 0
    screenshots.take(page, "corrected")
    page.click("input[name=confirm]")
    page.wait_for_url(live_server.url + CHANGELIST_URL)
    assert Article.objects.filter(kicker="").count() == 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_form_and_preview_pass_axe_and_the_html_checker(live_server, chromium):
    """The import page and a plain page's preview (notes, flagged joins, the editable text):
    WCAG 2.1 AA (axe-core) at 1366 and 390 px, and valid HTML (one Nu checker run)."""
    require_axe()
    require_vnu()
    make_user("editor-a11y", group="编辑")
    validator, problems = Validator(), {}
    for width, height in ((1366, 768), (390, 844)):
        context = a11y_context(chromium, width, height)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            admin_login(page, live_server, "editor-a11y")
            form_html = page.goto(live_server.url + IMPORT_URL).text()
            problems[f"form {width}"] = axe_violations(page)
            page.fill("#id_text", (PLAIN / "05_briefs_broken_columns.txt").read_text(encoding="utf-8"))
            page.fill("#id_print_date", "2025-06-12")
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.click("input[name=preview]")
            preview_html = posted.value.text()
            assert page.locator(".doubtful-join").count() == 1
            problems[f"preview {width}"] = axe_violations(page)
            if width == 1366:
                validator.add("form", form_html)
                validator.add("preview", preview_html)
        finally:
            context.close()
    problems.update({f"vnu {name}": errors for name, errors in validator.errors().items()})
    assert not any(problems.values()), problems

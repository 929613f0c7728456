"""The article admin as a newsroom uses it: list, filters, desk, buttons, stale saves, sanitising."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleEvent
from articles.sanitize import sanitize_html
from articles.services import workflow

from .factories import make_article, make_reporter, make_union
from .newsroom import at_final, change_url, form_data, story_of, transition_url

pytestmark = pytest.mark.django_db

S = Article.Status


class TestList:
    def test_list_shows_badges_bodies_byline_and_scheduled_time(self, client, cast):
        make_article("定时稿", published_at=timezone.now() + timedelta(days=1),
                     unions=[cast.body], reporters=[cast.alice_profile])
        make_article("待审稿", status=S.REVIEW)
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/").content.decode()
        assert "badge--scheduled" in page and "定时 " in page
        assert "badge--review" in page
        assert "朝阳区总工会" in page and "记者 爱丽丝" in page

    def test_list_query_count_does_not_grow_with_the_stories(self, client, cast, django_assert_num_queries):
        """A fixed 13 queries whatever the list holds and however many years it spans,
        and no uncapped COUNT(*).

        Session, user, user and group permissions, role groups, the editor's
        union-body scope (permissions.scope_ids), the union-tree and
        reporter filters' choices, the publication-time filter's years (one
        MIN/MAX), the capped count, the page, union bodies, bylines with their
        reporters.
        """
        reporter = make_reporter()
        now = timezone.now()
        for n in range(30):  # thirty stories over thirty years
            make_article(unions=[cast.body], reporters=[reporter],
                         published_at=now - timedelta(days=366 * n))
        client.force_login(cast.editor)
        client.get("/admin/articles/article/")  # warm the content-type cache
        with django_assert_num_queries(13) as captured:
            page = client.get("/admin/articles/article/").content.decode()
        year = timezone.localtime(now).year
        assert f"{year - 29} 年" in page and f"{year} 年" in page
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts and all("LIMIT" in sql.upper() for sql in counts)

    def test_the_selection_checkbox_is_djangos_markup_without_its_widget_templates(self, client, cast):
        """ArticleAdmin writes the row checkbox directly (speed); it must stay what
        Django's CheckboxInput renders, which the admin's actions script reads."""
        from django.contrib import admin as django_admin

        story = make_article("<标题 & 引号\">")
        ours = django_admin.site._registry[Article].action_checkbox(story)
        djangos = django_admin.ModelAdmin.action_checkbox(django_admin.site._registry[Article], story)
        assert ours == djangos
        client.force_login(cast.editor)
        assert ours in client.get("/admin/articles/article/").content.decode()

    def test_the_time_filter_reads_years_in_beijing_time_and_ignores_nonsense(self, client, cast):
        """发布时间 replaces the date hierarchy: years by Beijing time, bad values ignored."""
        import datetime as dt

        make_article("北京已是新年", published_at=dt.datetime(2021, 12, 31, 16, 30, tzinfo=dt.timezone.utc))
        make_article("前一年的稿件", published_at=dt.datetime(2021, 6, 1, 1, tzinfo=dt.timezone.utc))
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/?published=2022").content.decode()
        assert "北京已是新年" in page and "前一年的稿件" not in page
        for nonsense in ("²⁰²²", "9" * 5000, "0", "today'--"):
            response = client.get("/admin/articles/article/", {"published": nonsense})
            assert response.status_code in (200, 302)

    def test_long_filters_are_drop_downs_that_keep_the_rest_of_the_query(self, client, cast):
        """The union and reporter filters are one <select> each in a GET form: the other
        parameters (search, filters, ordering) ride along as hidden fields, the page
        number does not, the current choice is selected, and names are escaped."""
        street = make_union("奥运村<街道>总工会", parent=cast.body)
        make_reporter("马超")
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/", {
            "union": street.pk, "q": "工会 a&b", "status": "draft", "o": "1", "p": "2"}).content.decode()
        form = re.search(r'<form method="get" class="select-filter">(.*?)</form>',
                         page[page.index('name="union"') - 600:], re.S).group(1)
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
        assert hidden == {"q": "工会 a&amp;b", "status": "draft", "o": "1"}
        assert f'<option value="{street.pk}" selected>\u3000奥运村&lt;街道&gt;总工会</option>' in form
        assert f'<option value="{cast.body.pk}">朝阳区总工会</option>' in form
        assert "不按工会组织（含下级）筛选" in page
        reporters = re.search(r'<select name="reporter"[^>]*>(.*?)</select>', page, re.S).group(1)
        assert ">马超</option>" in reporters and " selected>" not in reporters.split("</option>", 1)[1]

    def test_row_links_are_djangos_own(self, rf, cast):
        """The change-page address is reversed once per list (TolerantChangeList); each
        row's must be the string Django's ChangeList.url_for_result() makes."""
        from django.contrib import admin as django_admin
        from django.contrib.admin.views.main import ChangeList
        from django.urls import resolve

        stories = [make_article("一"), make_article("二")]
        request = rf.get("/admin/articles/article/")
        request.user, request.resolver_match = cast.editor, resolve("/admin/articles/article/")
        changelist = django_admin.site._registry[Article].get_changelist_instance(request)
        for story in stories * 2:
            assert changelist.url_for_result(story) == ChangeList.url_for_result(changelist, story)
        assert changelist.url_for_result(stories[0]) == f"/admin/articles/article/{stories[0].pk}/change/"

    def test_an_empty_drop_down_choice_is_no_filter(self, client, cast):
        make_article("街道的稿件", unions=[make_union("奥运村街道总工会", parent=cast.body)])
        make_article("别处的稿件")
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/", {"union": "", "reporter": ""}).content.decode()
        assert "街道的稿件" in page and "别处的稿件" in page
        assert '<option value="" selected>全部</option>' in page

    def test_union_filter_includes_sub_bodies(self, client, cast):
        street = make_union("奥运村街道总工会", parent=cast.body)
        make_article("街道的稿件", unions=[street])
        make_article("别处的稿件", unions=[make_union("昌平区总工会")])
        client.force_login(cast.editor)
        page = client.get(f"/admin/articles/article/?union={cast.body.pk}").content.decode()
        assert "街道的稿件" in page and "别处的稿件" not in page

    def test_status_filter_separates_scheduled_from_live(self, client, cast):
        make_article("早上的稿件")
        make_article("还没到时间", published_at=timezone.now() + timedelta(hours=1))
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/?status=scheduled").content.decode()
        assert "还没到时间" in page and "早上的稿件" not in page

    def test_search_finds_words_in_the_body(self, client, cast):
        make_article("普通标题", body="<p>海姆立克急救法</p>")
        client.force_login(cast.editor)
        assert "普通标题" in client.get("/admin/articles/article/?q=海姆立克").content.decode()

    def test_union_body_list_is_indented_as_a_tree(self, client, cast):
        make_union("奥运村街道总工会", parent=cast.body)
        client.force_login(cast.admin)
        page = client.get("/admin/articles/unionbody/").content.decode()
        assert page.index("朝阳区总工会") < page.index("奥运村街道总工会")
        assert "padding-left:1.5em" in page


class TestDesk:
    def test_editor_sees_the_review_queue_oldest_first_with_counts(self, client, cast):
        now = timezone.now()
        make_article("后送的", status=S.REVIEW, submitted_at=now)
        make_article("先送的", status=S.REVIEW, submitted_at=now - timedelta(hours=2))
        client.force_login(cast.editor)
        page = client.get("/admin/articles/article/desk/").content.decode()
        assert "全部审稿中的稿件（2 篇" in page and "待我审的稿件（2 篇" in page
        assert page.index("先送的") < page.index("后送的")

    def test_admin_index_leads_to_the_desk(self, client, cast):
        make_article("等审的", status=S.REVIEW)
        client.force_login(cast.editor)
        page = client.get("/admin/").content.decode()
        assert "/admin/articles/article/desk/" in page and "待审稿件 <strong>1</strong>" in page

    def test_reporter_sees_returned_stories_with_the_reason(self, client, cast):
        story = story_of(cast, S.REVIEW, title="被退回的稿")
        workflow.return_to_reporter(article=story, user=cast.editor, reason="请补充采访对象姓名")
        client.force_login(cast.alice)
        page = client.get("/admin/articles/article/desk/").content.decode()
        assert "被退回的稿" in page and "请补充采访对象姓名" in page
        assert "待审稿件（" not in page  # the queue is for editors
        assert "1</strong> 篇被退回" in client.get("/admin/").content.decode()

    def test_a_resubmitted_story_leaves_the_returned_list(self, client, cast):
        story = story_of(cast, S.REVIEW, title="改好了")
        workflow.return_to_reporter(article=story, user=cast.editor, reason="改")
        workflow.submit(article=story, user=cast.alice)
        client.force_login(cast.alice)
        assert "改好了" not in client.get("/admin/articles/article/desk/").context["returned"].values_list(
            "title", flat=True)


class TestChangeForm:
    def test_timeline_shows_events_with_comments(self, client, cast):
        story = story_of(cast, S.REVIEW)
        workflow.return_to_reporter(article=story, user=cast.editor, reason="标题太长")
        client.force_login(cast.alice)
        page = client.get(change_url(story)).content.decode()
        assert "稿件记录" in page and "退回" in page and "标题太长" in page
        assert "workflow-panel__returned" in page

    def test_status_and_publication_time_are_read_only(self, client, cast):
        client.force_login(cast.editor)
        page = client.get(change_url(story_of(cast, S.DRAFT))).content.decode()
        assert 'name="status"' not in page and 'name="published_at' not in page
        assert 'name="expected_version"' in page

    def test_a_stale_save_is_refused_and_the_typed_text_shown_back(self, client, cast):
        story = story_of(cast, S.DRAFT, title="原标题")
        opened = form_data(story, title="我刚写的标题", body="<p>我刚写的正文</p>")
        other = Article.objects.get(pk=story.pk)
        other.title = "别人改的标题"
        workflow.save_article(article=other, user=cast.editor, expected_version=other.version)

        client.force_login(cast.alice)
        response = client.post(change_url(story), opened)
        assert response.status_code == 200
        page = response.content.decode()
        assert "已被他人保存" in page
        assert "我刚写的标题" in page and "我刚写的正文" in page
        assert Article.objects.get(pk=story.pk).title == "别人改的标题"
        # The form now carries the stored version: saving again is a deliberate overwrite.
        assert f'value="{other.version}"' in page

    def test_a_post_without_the_version_is_refused(self, client, cast):
        story = story_of(cast, S.DRAFT, title="原标题")
        data = form_data(story, title="新标题")
        del data["expected_version"]
        client.force_login(cast.alice)
        response = client.post(change_url(story), data)
        assert "缺少稿件版本号" in response.content.decode()
        assert Article.objects.get(pk=story.pk).title == "原标题"

    def test_editing_a_published_story_asks_for_a_correction_note(self, client, cast):
        story = story_of(cast, S.PUBLISHED, title="原标题")
        client.force_login(cast.editor)
        response = client.post(change_url(story), form_data(story, title="新标题"))
        assert "请填写更正说明" in response.content.decode()
        assert Article.objects.get(pk=story.pk).title == "原标题"

    def test_a_new_story_gets_union_body_and_is_owned_by_its_author(self, client, cast):
        data = form_data(title="记者新写的")
        data["union_links-TOTAL_FORMS"] = "1"
        data["union_links-0-union_body"] = str(cast.body.pk)
        client.force_login(cast.alice)
        assert client.post("/admin/articles/article/add/", data).status_code == 302
        story = Article.objects.get(title="记者新写的")
        assert story.created_by == cast.alice and story.status == S.DRAFT
        assert list(story.union_bodies.all()) == [cast.body]
        assert story.events.get().action == ArticleEvent.Action.CREATED

    def test_schedule_button_with_a_bad_time_explains(self, client, cast):
        story = story_of(cast, S.REVIEW)
        client.force_login(cast.editor)
        response = client.post(transition_url(story, "schedule"),
                               {"version": story.version, "publish_at": "明天"}, follow=True)
        assert "请填写正确的定时发布时间" in response.content.decode()
        story.refresh_from_db()
        assert story.status == S.REVIEW

    def test_transitions_are_post_only(self, client, cast):
        story = story_of(cast, S.REVIEW)
        client.force_login(cast.editor)
        assert client.get(transition_url(story, "publish")).status_code == 405
        story.refresh_from_db()
        assert story.status == S.REVIEW


class TestBulkPublish:
    def test_publishes_what_it_may_and_reports_what_it_refused(self, client, cast):
        ready = at_final(cast, title="可以发")
        draft = story_of(cast, S.DRAFT, title="还是草稿")
        early = story_of(cast, S.REVIEW, title="还在初审")
        client.force_login(cast.editor)
        response = client.post("/admin/articles/article/", {
            "action": "publish_selected", "_selected_action": [ready.pk, draft.pk, early.pk],
        }, follow=True)
        page = response.content.decode()
        assert "已发布 1 篇" in page and "还是草稿" in page and "只有“待审”或“定时”的稿件可以签发" in page
        assert "还在初审" in page and "只有最后一级（终审）可以签发" in page
        assert ready in Article.objects.published()
        assert ready.events.last().comment == "同意签发（批量签发）。"
        draft.refresh_from_db()
        assert draft.status == S.DRAFT

    def test_reporters_do_not_get_the_action(self, client, cast):
        story = story_of(cast, S.REVIEW)
        client.force_login(cast.alice)
        assert "publish_selected" not in client.get("/admin/articles/article/").content.decode()
        client.post("/admin/articles/article/", {
            "action": "publish_selected", "_selected_action": [story.pk]})
        story.refresh_from_db()
        assert story.status == S.REVIEW


class TestSanitising:
    @pytest.mark.parametrize("dirty, gone", [
        ("<p>正文<script>alert(1)</script></p>", ["<script", "alert"]),
        ('<p onclick="steal()" onmouseover="x()">正文</p>', ["onclick", "onmouseover", "steal"]),
        ('<p><a href="javascript:alert(1)">链接</a></p>', ["javascript:"]),
        ('<p><a href=" JaVaScRiPt:alert(1)">链接</a></p>', ["javascript", "JaVaScRiPt"]),
        ('<p style="color:red">正文</p><style>p{}</style>', ["style", "color:red"]),
        ('<p>正文</p><iframe src="https://evil.example/">框内</iframe>', ["<iframe", "evil", "框内"]),
        ('<p>正文<img src="x.jpg" onerror="alert(1)"></p>', ["onerror", "alert"]),
        ('<p>正文<svg><script>1</script></svg><object data="x.swf">后备</object></p>', ["<svg", "<object", "后备"]),
    ])
    def test_dangerous_markup_is_removed(self, dirty, gone):
        clean = sanitize_html(dirty)
        for fragment in gone:
            assert fragment not in clean
        assert "正文" in clean or "链接" in clean

    def test_news_markup_is_kept(self):
        html = ('<h2>小标题</h2><p><strong>粗体</strong><em>斜体</em></p><ul><li>一</li></ul>'
                '<blockquote>引文</blockquote><p><a href="https://example.com/">链接</a></p>')
        clean = sanitize_html(html)
        for tag in ("<h2>", "<strong>", "<em>", "<ul>", "<li>", "<blockquote>", 'href="https://example.com/"'):
            assert tag in clean

    def test_a_body_posted_through_the_admin_is_sanitised(self, client, cast):
        story = story_of(cast, S.DRAFT)
        client.force_login(cast.alice)
        client.post(change_url(story), form_data(
            story, body='<p onclick="x()">干净<script>alert(1)</script><iframe src="//e"></iframe></p>'))
        story.refresh_from_db()
        assert story.body == "<p>干净</p>"

"""The desk as a newsroom uses it all day (issue 15): one-click steps from the story form,
保存 that stays on the story, bulk submit and sign-off, typing never lost to a workflow button."""

import pytest

from articles.models import Article, ArticleEvent, Reporter, ReviewLevel
from articles.services import workflow

from .factories import make_article, make_user
from .newsroom import add_inline_row, change_url, form_data, story_of

pytestmark = pytest.mark.django_db

S = Article.Status
ADD_URL = "/admin/articles/article/add/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


class TestSaveButtons:
    def test_save_keeps_the_writer_on_the_story(self, client, cast):
        client.force_login(cast.alice)
        response = client.post(ADD_URL, form_data(title="街道工会开展慰问"))
        story = Article.objects.get(title="街道工会开展慰问")
        assert response.status_code == 302 and response["Location"] == change_url(story)
        response = client.post(change_url(story), form_data(story, title="街道工会开展节日慰问"), follow=True)
        assert response.redirect_chain[-1][0] == change_url(story)
        assert any("已保存" in m for m in messages_of(response))

    def test_save_and_close_goes_back_to_the_list(self, client, cast):
        client.force_login(cast.alice)
        response = client.post(ADD_URL, form_data(title="保存后回列表", _close="1"))
        assert response["Location"] == "/admin/articles/article/"

    def test_a_reporter_files_and_submits_a_new_story_in_one_click(self, client, cast):
        client.force_login(cast.alice)
        page = client.get(ADD_URL).content.decode()
        assert 'name="_then" value="submit"' in page and "保存并送审" in page
        response = client.post(ADD_URL, form_data(title="一次点击送审", _then="submit"), follow=True)
        story = Article.objects.get(title="一次点击送审")
        assert story.status == S.REVIEW and story.review_level.name == "初审"
        assert response.redirect_chain[-1][0] == change_url(story)
        assert list(story.events.values_list("action", flat=True)) == [
            ArticleEvent.Action.CREATED, ArticleEvent.Action.SUBMITTED]
        assert any("已保存并送审" in m for m in messages_of(response))

    def test_save_and_submit_keeps_the_typing_when_the_submission_is_refused(self, client, cast):
        """An empty body cannot be submitted: the story is saved as a draft, the refusal said."""
        story = story_of(cast, S.DRAFT)
        client.force_login(cast.alice)
        response = client.post(change_url(story), form_data(story, title="改过的主题", body="", _then="submit"),
                               follow=True)
        story.refresh_from_db()
        assert story.title == "改过的主题" and story.status == S.DRAFT
        assert any("修改已保存" in m and "送审未成功" in m and "正文为空" in m for m in messages_of(response))

    def test_a_reporter_is_not_offered_steps_they_may_not_take(self, client, cast):
        story = story_of(cast, S.DRAFT)
        client.force_login(cast.alice)
        page = client.get(change_url(story)).content.decode()
        assert 'value="submit"' in page and 'value="publish"' not in page and 'value="pass"' not in page

    def test_a_crafted_step_is_still_refused_by_its_rule(self, client, cast):
        """A reporter posting _then=publish on their draft saves it and publishes nothing."""
        story = story_of(cast, S.DRAFT)
        client.force_login(cast.alice)
        client.post(change_url(story), form_data(story, title="想直接发布", _then="publish", _reason="同意"))
        story.refresh_from_db()
        assert story.title == "想直接发布" and story.status == S.DRAFT

    def test_an_editor_saves_and_signs_off_at_the_last_level(self, client, cast):
        final = ReviewLevel.objects.order_by("-order").first()
        story = story_of(cast, S.REVIEW, review_level=final)
        client.force_login(cast.editor)
        page = client.get(change_url(story)).content.decode()
        assert "保存并签发，立即发布" in page
        response = client.post(change_url(story), form_data(story, title="终审改定的主题", _then="publish",
                                                             _reason="同意签发。"), follow=True)
        story.refresh_from_db()
        assert story.status == S.PUBLISHED and story.title == "终审改定的主题"
        signed = story.events.get(action=ArticleEvent.Action.PUBLISHED)
        assert signed.comment == "同意签发。" and signed.actor == cast.editor
        assert any("已保存并签发" in m for m in messages_of(response))

    def test_sign_off_without_an_opinion_saves_and_asks_for_it(self, client, cast):
        final = ReviewLevel.objects.order_by("-order").first()
        story = story_of(cast, S.REVIEW, review_level=final)
        client.force_login(cast.editor)
        response = client.post(change_url(story), form_data(story, title="没写意见", _then="publish"), follow=True)
        story.refresh_from_db()
        assert story.status == S.REVIEW and story.title == "没写意见"
        assert any("请填写签发意见" in m for m in messages_of(response))


class TestTypingIsNotLostToAWorkflowButton:
    """Issue 16 #12: a workflow step taken from the story form saves the typing first, under
    the same rules (static/js/story-form.js routes a button pressed with unsaved changes here)."""

    def test_an_editor_returns_a_story_with_the_typing_saved(self, client, cast):
        story = story_of(cast, S.REVIEW)
        client.force_login(cast.editor)
        client.post(change_url(story), form_data(story, lead="编辑补上的导语", _then="return",
                                                 _reason="请补充采访对象"))
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.lead == "编辑补上的导语"
        assert story.events.last().comment == "请补充采访对象"

    def test_a_correction_still_needs_its_note_and_nothing_typed_is_lost(self, client, cast):
        story = story_of(cast, S.PUBLISHED)
        client.force_login(cast.editor)
        response = client.post(change_url(story), form_data(story, title="改了的主题", _then="withdraw",
                                                            _reason="撤下"))
        assert response.status_code == 200  # the form again, with the typing and the error
        assert "改了的主题" in response.content.decode() and "请填写更正说明" in response.content.decode()
        story.refresh_from_db()
        assert story.status == S.PUBLISHED and story.title != "改了的主题"


class TestBulkActions:
    def test_bulk_submit_submits_each_draft_under_its_rules_and_reports_each_refusal(self, client, cast):
        mine = [story_of(cast, S.DRAFT, title=f"导入稿{n}") for n in range(3)]
        empty = story_of(cast, S.DRAFT, title="空稿")
        Article.objects.filter(pk=empty.pk).update(body="")
        published = make_article("已发布的稿件")
        client.force_login(cast.editor)
        response = client.post("/admin/articles/article/", {
            "action": "submit_selected", "_selected_action": [s.pk for s in [*mine, empty, published]],
        }, follow=True)
        statuses = dict(Article.objects.values_list("title", "status"))
        assert all(statuses[s.title] == S.REVIEW for s in mine)
        assert statuses["空稿"] == S.DRAFT and statuses["已发布的稿件"] == S.PUBLISHED
        said = " ".join(messages_of(response))
        assert "已送审 3 篇稿件" in said
        assert "《空稿》：正文为空" in said and "《已发布的稿件》：稿件当前为“已发布”" in said

    def test_a_reporter_bulk_submits_only_their_own(self, client, cast):
        mine = story_of(cast, S.DRAFT, title="我的稿")
        client.force_login(cast.alice)
        page = client.get("/admin/articles/article/").content.decode()
        assert 'value="submit_selected"' in page and 'value="publish_selected"' not in page
        client.post("/admin/articles/article/", {"action": "submit_selected", "_selected_action": [mine.pk]})
        mine.refresh_from_db()
        assert mine.status == S.REVIEW

    def test_bulk_publish_signs_off_at_the_last_level_and_reports_the_rest(self, client, cast):
        final = ReviewLevel.objects.order_by("-order").first()
        ready = [story_of(cast, S.REVIEW, title=f"终审稿{n}", review_level=final) for n in range(2)]
        early = story_of(cast, S.REVIEW, title="初审稿")
        other_editor = make_user("editor2", group="编辑")
        client.force_login(other_editor)
        response = client.post("/admin/articles/article/", {
            "action": "publish_selected", "_selected_action": [s.pk for s in [*ready, early]],
        }, follow=True)
        assert all(Article.objects.get(pk=s.pk).status == S.PUBLISHED for s in ready)
        assert Article.objects.get(pk=early.pk).status == S.REVIEW
        said = " ".join(messages_of(response))
        assert "已发布 2 篇稿件" in said and "《初审稿》" in said


def test_recall_is_offered_until_review_starts(client, cast):
    story = story_of(cast, S.DRAFT)
    workflow.submit(article=story, user=cast.alice)
    client.force_login(cast.alice)
    assert "撤回送审" in client.get(change_url(story)).content.decode()
    workflow.pass_level(article=story, user=cast.editor, opinion="同意")
    assert "撤回送审" not in client.get(change_url(story)).content.decode()


class TestByline:
    def test_a_new_story_starts_with_the_writing_reporter(self, client, cast):
        client.force_login(cast.alice)
        page = client.get(ADD_URL).content.decode()
        assert f'<option value="{cast.alice_profile.pk}" selected>' in page

    def test_an_untouched_prefilled_row_is_saved(self, client, cast):
        client.force_login(cast.alice)
        data = add_inline_row(form_data(title="带署名的稿件"), "bylines", reporter=cast.alice_profile.pk,
                              role="reporter", order=0)
        client.post(ADD_URL, data)
        story = Article.objects.get(title="带署名的稿件")
        assert list(story.reporters.all()) == [cast.alice_profile]

    def test_an_account_without_a_roster_entry_gets_an_empty_byline(self, client, cast):
        client.force_login(cast.bob)
        page = client.get(ADD_URL).content.decode()
        select = page.split('name="bylines-0-reporter"')[1].split("</select>")[0]
        assert "selected" not in select

    def test_a_new_correspondent_is_added_from_the_byline_for_an_administrator_to_confirm(self, client, cast):
        client.force_login(cast.alice)
        data = add_inline_row(form_data(title="有通讯员的稿件"), "bylines", reporter=cast.alice_profile.pk,
                              role="reporter", order=0)
        add_inline_row(data, "bylines", new_correspondent=" 李 明 ", role="reporter", order=1)
        client.post(ADD_URL, data)
        story = Article.objects.get(title="有通讯员的稿件")
        new = Reporter.objects.get(name="李 明")
        assert (new.is_active, new.needs_review, new.role, new.slug) == (False, True, "correspondent", "li-ming")
        assert "记者 爱丽丝" in new.bio
        assert [(b.reporter, b.role) for b in story.bylines.all()] == [
            (cast.alice_profile, "reporter"), (new, "correspondent")]
        # The same name again is the same roster entry, not a second one.
        data = add_inline_row(form_data(title="又一篇"), "bylines", new_correspondent="李 明", role="reporter",
                              order=0)
        client.post(ADD_URL, data)
        assert Reporter.objects.filter(name="李 明").count() == 1
        assert Article.objects.get(title="又一篇").reporters.get() == new

    def test_a_byline_row_needs_a_reporter_or_a_name_and_duplicates_are_said_in_chinese(self, client, cast):
        client.force_login(cast.alice)
        data = add_inline_row(form_data(title="空署名"), "bylines", role="photographer", order=0)
        page = client.post(ADD_URL, data).content.decode()
        assert "请选择署名的记者，或填写新通讯员的姓名。" in page
        data = add_inline_row(form_data(title="重复署名"), "bylines", reporter=cast.alice_profile.pk, role="reporter",
                              order=0)
        add_inline_row(data, "bylines", reporter=cast.alice_profile.pk, role="reporter", order=1)
        page = client.post(ADD_URL, data).content.decode()
        assert "同一记者只能出现一次" in page and "reporter的重复数据" not in page
        assert not Article.objects.filter(title__in=["空署名", "重复署名"]).exists()

    def test_a_reporter_cannot_see_the_new_name_box_on_a_story_in_review(self, client, cast):
        story = story_of(cast, S.REVIEW, via="byline")
        client.force_login(cast.alice)
        page = client.get(change_url(story)).content.decode()
        assert "new_correspondent" not in page and "爱丽丝" in page

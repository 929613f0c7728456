"""Revisions (articles/revisions.py, django-reversion): kept on every save, compared, restored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, ArticleEvent, Byline, Correction
from articles.services import revisions, workflow

from .factories import in_review_at, make_article, make_photo, make_reporter
from .newsroom import change_url, form_data, level_editors, story_of

pytestmark = pytest.mark.django_db

S, A = Article.Status, ArticleEvent.Action


def versions(story):
    return list(revisions.history(story))


def retitled_draft(cast):
    """alice's draft 原标题, which she then saved as 新标题; and its version titled 原标题."""
    story = story_of(cast, S.DRAFT, title="原标题")
    story.save()
    first = versions(story)[0]
    story.title = "新标题"
    workflow.save_article(article=story, user=cast.alice, expected_version=story.version)
    return story, first


class TestKept:
    def test_every_workflow_save_and_transition_keeps_a_version(self, cast):
        story = Article(title="新稿", body="<p>正文</p>")
        workflow.save_article(article=story, user=cast.alice)
        story.lead = "导语"
        workflow.save_article(article=story, user=cast.alice, expected_version=story.version)
        workflow.submit(article=story, user=cast.alice)
        first, second = level_editors()
        workflow.pass_level(article=story, user=first, opinion="同意")
        workflow.pass_level(article=story, user=second, opinion="同意，送终审")
        workflow.publish(article=story, user=cast.editor, opinion="同意签发")
        kept = versions(story)
        assert [v.revision.comment for v in kept] == [
            "签发", "复审通过：同意，送终审", "初审通过：同意", "送审", "修改", "新建"]
        assert [revisions.number(v) for v in kept] == [6, 5, 4, 3, 2, 1]
        assert [v.revision.user for v in kept] == [
            cast.editor, second, first, cast.alice, cast.alice, cast.alice]

    def test_a_plain_save_keeps_a_version_too(self, cast):
        story = make_article("直接保存的稿件", status=S.DRAFT)
        before = len(versions(story))
        story.title = "改过"
        story.save()
        kept = versions(story)
        assert len(kept) == before + 1
        assert kept[0].field_dict["title"] == "改过"
        assert kept[0].revision.comment.startswith("直接保存")

    def test_a_version_holds_the_byline_union_bodies_and_photos(self, cast):
        photo = make_photo(caption="合影")
        story = story_of(cast, S.DRAFT, via="byline", photos=[photo])
        story.save()
        parts = revisions.parts_of(versions(story)[0])
        assert [b.reporter_id for b in parts["bylines"]] == [cast.alice_profile.pk]
        assert [u.union_body_id for u in parts["union_links"]] == [cast.body.pk]
        assert [(p.photo_id, p.is_lead) for p in parts["photo_links"]] == [(photo.pk, True)]

    def test_an_admin_save_is_one_revision_with_the_inline_rows_saved_after_the_story(self, client, cast):
        story = story_of(cast, S.DRAFT, via="byline")
        other = make_reporter("周美玉")
        before = len(versions(story))
        client.force_login(cast.alice)
        data = form_data(story, title="加了署名")
        data["bylines-TOTAL_FORMS"] = "2"
        data.update({"bylines-1-reporter": str(other.pk), "bylines-1-role": "reporter",
                     "bylines-1-order": "1", "bylines-1-article": str(story.pk)})
        assert client.post(change_url(story), data).status_code == 302
        kept = versions(story)
        assert len(kept) == before + 1
        latest = kept[0]
        assert latest.field_dict["title"] == "加了署名" and latest.revision.user == cast.alice
        assert {b.reporter_id for b in revisions.parts_of(latest)["bylines"]} == {
            cast.alice_profile.pk, other.pk}


class TestRestore:
    def test_restore_brings_back_text_and_byline_and_is_itself_logged(self, cast):
        story = story_of(cast, S.DRAFT, via="byline", title="原来的标题")
        story.save()
        first = versions(story)[0]
        newcomer = make_reporter("马超")
        Byline.objects.create(article=story, reporter=newcomer, order=1)
        story.title = "改坏的标题"
        workflow.save_article(article=story, user=cast.alice, expected_version=story.version)
        count = len(versions(story))

        workflow.restore_revision(article=story, user=cast.alice, version_id=first.pk)

        story.refresh_from_db()
        assert story.title == "原来的标题" and story.status == S.DRAFT
        assert [b.reporter for b in story.bylines.all()] == [cast.alice_profile]
        assert list(story.union_bodies.all()) == [cast.body]
        event = story.events.order_by("-id").first()
        assert event.action == A.RESTORED and event.actor == cast.alice
        assert f"恢复到第 {revisions.number(first)} 版" in event.comment
        assert len(versions(story)) == count + 1  # the restore is a new version, nothing lost
        assert versions(story)[0].revision.comment.startswith("恢复到")

    def test_restore_keeps_the_status_and_counts_the_version(self, cast):
        story = story_of(cast, S.REVIEW, title="旧")
        story.save()
        first = versions(story)[0]
        story.title = "新"
        workflow.save_article(article=story, user=cast.editor, expected_version=story.version)
        version = story.version
        workflow.restore_revision(article=story, user=cast.editor, version_id=first.pk,
                                  expected_version=version)
        stored = Article.objects.get(pk=story.pk)
        assert (stored.title, stored.status, stored.version) == ("旧", S.REVIEW, version + 1)

    def test_restoring_a_published_story_is_a_correction_and_needs_a_note(self, cast, client):
        story = story_of(cast, S.PUBLISHED, title="正确的标题")
        story.save()
        first = versions(story)[0]
        story.title = "错误的标题"
        workflow.save_article(article=story, user=cast.editor, expected_version=story.version, note="改标题")
        with pytest.raises(ValidationError, match="更正说明"):
            workflow.restore_revision(article=story, user=cast.editor, version_id=first.pk)
        workflow.restore_revision(article=story, user=cast.editor, version_id=first.pk,
                                  note="标题改错了，恢复", public_note="本报此前标题有误，已更正。")
        story.refresh_from_db()
        assert story.title == "正确的标题" and story.is_published()
        event = story.events.order_by("-id").first()
        assert event.action == A.CORRECTED and "标题改错了，恢复" in event.comment
        assert Correction.objects.get(article=story).note == "本报此前标题有误，已更正。"

    def test_a_reporter_may_restore_only_their_own_draft(self, cast):
        story = story_of(cast, S.DRAFT)
        story.save()
        first = versions(story)[0]
        with pytest.raises(PermissionDenied, match="只能恢复自己草稿"):
            workflow.restore_revision(article=story, user=cast.bob, version_id=first.pk)
        Article.objects.filter(pk=story.pk).update(status=S.REVIEW, **in_review_at())
        story.refresh_from_db()
        with pytest.raises(PermissionDenied):
            workflow.restore_revision(article=story, user=cast.alice, version_id=first.pk)
        published = story_of(cast, S.PUBLISHED)
        published.save()
        with pytest.raises(PermissionDenied, match="只有编辑可以更正"):
            workflow.restore_revision(article=published, user=cast.alice,
                                      version_id=versions(published)[0].pk, note="x")

    def test_another_storys_version_cannot_be_restored_onto_this_one(self, cast):
        story, other = story_of(cast, S.DRAFT, title="这篇"), story_of(cast, S.DRAFT, title="那篇")
        other.save()
        with pytest.raises(ValidationError, match="找不到"):
            workflow.restore_revision(article=story, user=cast.editor, version_id=versions(other)[0].pk)
        assert Article.objects.get(pk=story.pk).title == "这篇"

    def test_a_stale_restore_is_refused(self, cast):
        story = story_of(cast, S.DRAFT)
        story.save()
        stale = story.version
        Article.objects.get(pk=story.pk).save()
        with pytest.raises(workflow.StaleVersion):
            workflow.restore_revision(article=story, user=cast.alice, version_id=versions(story)[1].pk,
                                      expected_version=stale)


class TestAdmin:
    def test_compare_shows_two_versions_side_by_side_with_the_changes_marked(self, client, cast):
        story = story_of(cast, S.DRAFT, title="职工运动会开幕")
        story.body = "<p>三百名职工参加。</p>"
        story.save()
        story.title, story.body = "职工运动会隆重开幕", "<p>五百名职工参加。</p>"
        workflow.save_article(article=story, user=cast.alice, expected_version=story.version)
        new, old = versions(story)[:2]
        client.force_login(cast.editor)
        page = client.get(f"/admin/articles/article/{story.pk}/revisions/?a={old.pk}&b={new.pk}").content.decode()
        assert "<ins>隆重</ins>" in page
        assert "<del>三</del>" in page and "<ins>五</ins>" in page
        assert "恢复第" in page

    def test_a_reporter_cannot_open_the_versions_of_someone_elses_story(self, client, cast):
        story = story_of(cast, S.DRAFT)
        client.force_login(cast.bob)
        assert client.get(f"/admin/articles/article/{story.pk}/revisions/").status_code == 404

    def test_restore_through_the_admin(self, client, cast):
        story, first = retitled_draft(cast)
        client.force_login(cast.alice)
        response = client.post(f"/admin/articles/article/{story.pk}/revisions/{first.pk}/restore/",
                               {"version": story.version}, follow=True)
        assert "已恢复到所选版本" in response.content.decode()
        assert Article.objects.get(pk=story.pk).title == "原标题"

    def test_a_crafted_restore_by_another_reporter_changes_nothing(self, client, cast):
        story, first = retitled_draft(cast)
        client.force_login(cast.bob)
        response = client.post(f"/admin/articles/article/{story.pk}/revisions/{first.pk}/restore/", {})
        assert response.status_code == 404
        assert Article.objects.get(pk=story.pk).title == "新标题"

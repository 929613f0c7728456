"""articles/workflow.py: each transition, its refusals, scheduling, locking and corrections."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, ArticleEvent
from articles.services import workflow

from .newsroom import at_final, snapshot, story_of

pytestmark = pytest.mark.django_db

S, A = Article.Status, ArticleEvent.Action


def last_event(story):
    return story.events.order_by("-id").first()


class TestSubmit:
    def test_reporter_submits_own_draft(self, cast):
        story = story_of(cast, S.DRAFT)
        workflow.submit(article=story, user=cast.alice)
        story.refresh_from_db()
        assert story.status == S.REVIEW and story.submitted_at is not None
        event = last_event(story)
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            A.SUBMITTED, S.DRAFT, S.REVIEW, cast.alice)

    def test_reporter_cannot_submit_someone_elses_draft(self, cast):
        story = story_of(cast, S.DRAFT)
        with pytest.raises(PermissionDenied, match="只能送审自己的稿件"):
            workflow.submit(article=story, user=cast.bob)

    def test_a_story_in_review_cannot_be_submitted_again(self, cast):
        story = story_of(cast, S.REVIEW)
        before = snapshot()
        with pytest.raises(ValidationError, match="稿件当前为“待初审”，只有“草稿”的稿件可以送审"):
            workflow.submit(article=story, user=cast.editor)
        assert snapshot() == before

    def test_an_empty_body_cannot_be_submitted(self, cast):
        story = story_of(cast, S.DRAFT)
        Article.objects.filter(pk=story.pk).update(body="")
        story.refresh_from_db()
        with pytest.raises(ValidationError, match="正文为空"):
            workflow.submit(article=story, user=cast.alice)


class TestReturn:
    def test_editor_returns_with_a_reason(self, cast):
        story = story_of(cast, S.REVIEW)
        workflow.return_to_reporter(article=story, user=cast.editor, reason="  导语太长  ")
        story.refresh_from_db()
        assert story.status == S.DRAFT
        assert last_event(story).comment == "导语太长"
        assert last_event(story).action == A.RETURNED

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_return_needs_a_reason(self, cast, reason):
        story = story_of(cast, S.REVIEW)
        before = snapshot()
        with pytest.raises(ValidationError, match="请填写退回理由"):
            workflow.return_to_reporter(article=story, user=cast.editor, reason=reason)
        assert snapshot() == before

    def test_a_draft_cannot_be_returned(self, cast):
        with pytest.raises(ValidationError, match="稿件当前为“草稿”，只有“待审”的稿件可以退回"):
            workflow.return_to_reporter(article=story_of(cast, S.DRAFT), user=cast.editor, reason="x")


class TestPublish:
    def test_publish_now(self, cast):
        story = at_final(cast)
        workflow.publish(article=story, user=cast.editor, opinion="同意签发。")
        assert story in Article.objects.published()
        event = last_event(story)
        assert (event.action, event.level_name, event.comment) == (A.PUBLISHED, "终审", "同意签发。")
        assert story.review_level_id is None

    def test_a_sign_off_needs_an_opinion(self, cast):
        story = at_final(cast)
        before = snapshot()
        with pytest.raises(ValidationError, match="请填写签发意见"):
            workflow.publish(article=story, user=cast.editor, opinion="  ")
        assert snapshot() == before

    def test_a_scheduled_story_is_hidden_until_its_time_then_appears(self, cast, client):
        story = at_final(cast, title="定时见报的稿件")
        at = timezone.now() + timedelta(hours=3)
        workflow.publish(article=story, user=cast.editor, at=at, opinion="同意，定时发布。")
        story.refresh_from_db()
        assert story.status == S.PUBLISHED and story.published_at == at
        assert last_event(story).action == A.SCHEDULED
        assert story not in Article.objects.published()
        assert "定时见报的稿件" not in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 404
        with mock.patch("django.utils.timezone.now", return_value=at + timedelta(seconds=1)):
            assert story in Article.objects.published()
            assert "定时见报的稿件" in client.get("/").content.decode()
            assert client.get(story.get_absolute_url()).status_code == 200

    def test_a_time_in_the_past_cannot_be_scheduled(self, cast):
        story = at_final(cast)
        with pytest.raises(ValidationError, match="必须晚于现在"):
            workflow.publish(article=story, user=cast.editor, at=timezone.now() - timedelta(minutes=1),
                             opinion="同意")
        story.refresh_from_db()
        assert story.status == S.REVIEW

    def test_a_scheduled_story_can_be_published_at_once(self, cast):
        story = at_final(cast)
        workflow.publish(article=story, user=cast.editor, at=timezone.now() + timedelta(days=1),
                         opinion="同意")
        workflow.publish(article=story, user=cast.editor)  # no second opinion: signed off already
        assert story in Article.objects.published()

    def test_a_draft_cannot_be_published(self, cast):
        with pytest.raises(ValidationError, match="只有“待审”或“定时”的稿件可以签发"):
            workflow.publish(article=story_of(cast, S.DRAFT), user=cast.editor, opinion="同意")

    def test_a_live_story_cannot_be_published_again(self, cast):
        with pytest.raises(ValidationError):
            workflow.publish(article=story_of(cast, S.PUBLISHED), user=cast.editor, opinion="同意")

    def test_reporter_cannot_publish_own_story(self, cast):
        story = at_final(cast)
        with pytest.raises(PermissionDenied, match="只有编辑可以审稿"):
            workflow.publish(article=story, user=cast.alice, opinion="同意")


class TestWithdraw:
    def test_editor_withdraws_with_a_reason(self, cast):
        story = story_of(cast, S.PUBLISHED)
        workflow.withdraw(article=story, user=cast.editor, reason="数据有误")
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.published_at is None
        assert story not in Article.objects.published()
        assert (last_event(story).action, last_event(story).comment) == (A.WITHDRAWN, "数据有误")

    def test_a_withdrawal_needs_a_reason(self, cast):
        story = story_of(cast, S.PUBLISHED)
        with pytest.raises(ValidationError, match="请填写撤回理由"):
            workflow.withdraw(article=story, user=cast.editor, reason="")
        assert story in Article.objects.published()


class TestSaveAndCorrect:
    def test_a_new_story_starts_as_a_draft_created_by_its_author(self, cast):
        story = Article(title="新稿", status=S.PUBLISHED, published_at=timezone.now())
        workflow.save_article(article=story, user=cast.alice)
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.published_at is None
        assert story.created_by == cast.alice
        assert last_event(story).action == A.CREATED

    def test_a_correction_of_a_published_story_is_logged(self, cast):
        story = story_of(cast, S.PUBLISHED)
        story.title = "更正后的标题"
        workflow.save_article(article=story, user=cast.editor, expected_version=story.version,
                              note="标题错字")
        event = last_event(story)
        assert (event.action, event.comment, event.actor) == (A.CORRECTED, "标题错字", cast.editor)

    def test_a_correction_needs_a_note(self, cast):
        story = story_of(cast, S.PUBLISHED)
        story.title = "更正后的标题"
        with pytest.raises(ValidationError, match="更正说明"):
            workflow.save_article(article=story, user=cast.editor, expected_version=story.version)

    def test_a_save_cannot_change_the_status(self, cast):
        story = story_of(cast, S.DRAFT)
        story.status, story.published_at = S.PUBLISHED, timezone.now()
        workflow.save_article(article=story, user=cast.alice, expected_version=story.version)
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.published_at is None


class TestOptimisticLocking:
    def test_a_stale_save_is_refused_and_the_other_save_kept(self, cast):
        opened = story_of(cast, S.DRAFT, title="原标题")
        other = Article.objects.get(pk=opened.pk)
        workflow.save_article(article=other, user=cast.editor, expected_version=other.version)
        other_version = Article.objects.get(pk=opened.pk).version
        opened.title = "我的标题"
        with pytest.raises(workflow.StaleVersion, match="已被他人保存"):
            workflow.save_article(article=opened, user=cast.alice, expected_version=opened.version)
        stored = Article.objects.get(pk=opened.pk)
        assert stored.title == "原标题" and stored.version == other_version

    def test_a_stale_transition_is_refused(self, cast):
        story = at_final(cast)
        stale = story.version
        Article.objects.get(pk=story.pk).save()  # someone else saved meanwhile
        before = snapshot()
        with pytest.raises(workflow.StaleVersion):
            workflow.publish(article=story, user=cast.editor, expected_version=stale, opinion="同意")
        assert snapshot() == before

    def test_state_is_checked_against_the_database_not_the_callers_copy(self, cast):
        story = at_final(cast)
        copy = Article.objects.get(pk=story.pk)
        workflow.return_to_reporter(article=story, user=cast.editor, reason="再改改")
        with pytest.raises(ValidationError, match="只有“待审”或“定时”的稿件可以签发"):
            workflow.publish(article=copy, user=cast.editor, opinion="同意")  # copy still says "review"

    def test_each_save_counts_one_version(self, cast):
        story = story_of(cast, S.DRAFT)
        start = story.version
        workflow.save_article(article=story, user=cast.alice, expected_version=start)
        workflow.submit(article=story, user=cast.alice, expected_version=start + 1)
        assert Article.objects.get(pk=story.pk).version == start + 2 == story.version


def test_a_failure_inside_a_transition_rolls_everything_back(cast):
    """Atomic: if logging the event fails, the status change is undone too."""
    story = story_of(cast, S.DRAFT)
    before = snapshot()
    with mock.patch.object(workflow, "_log", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            workflow.submit(article=story, user=cast.alice)
    assert snapshot() == before


class TestTheTransitionTable:
    """articles/services/transitions.py is the one vocabulary: the services, the
    buttons and the refusals all read it."""

    def test_every_row_is_carried_out_by_an_existing_service(self):
        from articles.services import transitions

        for step in transitions.TRANSITIONS.values():
            assert callable(getattr(workflow, step.service)), step.name

    def test_the_buttons_offered_are_the_rows_the_user_may_start(self, cast):
        from articles.services import transitions

        story = story_of(cast, S.DRAFT)
        workflow.submit(article=story, user=cast.alice)
        assert [t.name for t in transitions.available(cast.editor, story)] == ["pass", "return"]
        assert [t.name for t in transitions.available(cast.alice, story)] == ["recall"]
        story = at_final(cast)
        names = [t.name for t in transitions.available(cast.editor, story)]
        assert names == ["publish", "schedule", "send_back", "return"]
        assert [t.label_for(story) for t in transitions.available(cast.editor, story)] == [
            "签发，立即发布", "签发，定时发布", "退回复审", "退回记者"]
        assert transitions.available(cast.alice, story) == []
        published = story_of(cast, S.PUBLISHED)
        assert [t.name for t in transitions.available(cast.editor, published)] == ["withdraw"]

    def test_a_refused_row_says_why_from_the_table(self, cast):
        from articles.services import transitions

        story = story_of(cast, S.PUBLISHED)
        with pytest.raises(ValidationError, match="稿件当前为“已发布”，只有“待审”的稿件可以退回记者"):
            transitions.RETURN.run(article=story, user=cast.editor, reason="理由")

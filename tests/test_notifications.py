"""E-mail notifications (articles/notifications.py): exactly the right people, after the commit."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from articles.services import workflow

from .factories import make_article, make_reporter, make_user
from .newsroom2 import make_districts

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def d():
    return make_districts()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def street_story(d, status, **extra):
    """A story of 奥运村街道 (朝阳), created by alice and naming her in the byline."""
    return make_article("街道职工运动会", status=status, unions=[d.street], created_by=d.cast.alice,
                        reporters=[d.cast.alice_profile], body="<p>正文</p>", **extra)


def test_submit_mails_the_editors_who_may_approve(d, mailoutbox, commit):
    story = street_story(d, S.DRAFT)
    with commit():
        workflow.submit(article=story, user=d.cast.alice)
    # The unscoped editor and 朝阳's editor; not 石景山's, not the reporter herself.
    assert recipients(mailoutbox) == ["chaoyang@example.org", "editor@example.org"]
    message = mailoutbox[0]
    assert message.subject == "【待审】《街道职工运动会》"
    assert f"/admin/articles/article/{story.pk}/change/" in message.body
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees the others' addresses


def test_submit_of_a_story_no_editor_covers_mails_the_administrators(d, mailoutbox, commit):
    d.cast.editor.groups.clear()
    story = make_article("没有工会组织", status=S.DRAFT, created_by=d.cast.alice, body="<p>正文</p>")
    with commit():
        workflow.submit(article=story, user=d.cast.alice)
    assert recipients(mailoutbox) == ["boss@example.org"]


def test_return_mails_the_byline_with_the_reason(d, mailoutbox, commit):
    correspondent = make_reporter("通讯员李明")  # no account: nobody to mail
    no_email = make_user("nomail", group="记者")
    make_reporter("没有邮箱的记者", user=no_email)
    story = street_story(d, S.REVIEW)
    story.bylines.create(reporter=correspondent, order=1)
    story.bylines.create(reporter=no_email.reporter, order=2)
    with commit():
        workflow.return_to_reporter(article=story, user=d.district_editor, reason="请补充参赛人数。")
    assert recipients(mailoutbox) == ["alice@example.org"]
    message = mailoutbox[0]
    assert message.subject == "【退回】《街道职工运动会》"
    assert "请补充参赛人数。" in message.body and "朝阳编辑" in message.body


def test_publish_mails_the_byline(d, mailoutbox, commit):
    story = street_story(d, S.REVIEW)
    with commit():
        workflow.publish(article=story, user=d.cast.editor)
    assert recipients(mailoutbox) == ["alice@example.org"]
    assert mailoutbox[0].subject == "【已发布】《街道职工运动会》"


def test_a_scheduled_publication_says_when(d, mailoutbox, commit):
    story = street_story(d, S.REVIEW)
    at = timezone.now() + timedelta(days=1)
    with commit():
        workflow.publish(article=story, user=d.cast.editor, at=at)
    assert mailoutbox[0].subject.startswith("【定时发布】")
    assert timezone.localtime(at).strftime("%Y-%m-%d %H:%M") in mailoutbox[0].body


def test_a_correction_by_someone_else_mails_the_byline_with_the_note(d, mailoutbox, commit):
    editor_profile = make_reporter("编辑本人", user=d.cast.editor)
    story = street_story(d, S.PUBLISHED)
    story.bylines.create(reporter=editor_profile, order=1)
    story.title = "街道职工运动会开幕"
    with commit():
        workflow.save_article(article=story, user=d.cast.editor, expected_version=story.version,
                              note="标题补全", public_note="标题有误，已更正。")
    # The editor is in the byline too, but made the change: only alice is told.
    assert recipients(mailoutbox) == ["alice@example.org"]
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "【更正】《街道职工运动会开幕》"
    assert "标题补全" in body and "标题有误，已更正。" in body


def test_editing_a_draft_mails_nobody(d, mailoutbox, commit):
    story = street_story(d, S.DRAFT)
    with commit():
        workflow.save_article(article=story, user=d.cast.editor, expected_version=story.version)
    assert mailoutbox == []


def test_a_refused_step_mails_nobody(d, mailoutbox, commit):
    story = street_story(d, S.REVIEW, )
    story.union_bodies.set([d.other])
    with commit(), pytest.raises(PermissionDenied):
        workflow.return_to_reporter(article=story, user=d.district_editor, reason="x")
    assert mailoutbox == []


def test_nothing_is_sent_before_the_commit(d, mailoutbox, django_capture_on_commit_callbacks):
    story = street_story(d, S.REVIEW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.publish(article=story, user=d.cast.editor)
        assert mailoutbox == []
    assert mailoutbox == [] and len(callbacks) >= 1


def test_a_broken_mail_server_does_not_undo_the_step(d, mailoutbox, commit):
    story = street_story(d, S.REVIEW)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        with commit():
            workflow.publish(article=story, user=d.cast.editor)
    assert Article.objects.published().filter(pk=story.pk).exists()

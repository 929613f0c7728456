"""E-mail notifications (articles/notifications.py): exactly the right people, after the commit.

In review, "the right people" are those who may act at the level the story now
waits at: never its reporter, never someone who passed another of its levels.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from articles.services import workflow

from .factories import make_article, make_reporter, make_user
from .newsroom import walk

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def street_story(districts, status, **extra):
    """A story of 奥运村街道 (朝阳), created by alice and naming her in the byline."""
    return make_article("街道职工运动会", status=status, unions=[districts.street],
                        created_by=districts.cast.alice, reporters=[districts.cast.alice_profile],
                        body="<p>正文</p>", **extra)


def test_submit_mails_the_editors_who_may_approve(districts, mailoutbox, commit):
    story = street_story(districts, S.DRAFT)
    with commit():
        workflow.submit(article=story, user=districts.cast.alice)
    # The unscoped editor and 朝阳's editor; not 石景山's, not the reporter herself.
    assert recipients(mailoutbox) == ["chaoyang@example.org", "editor@example.org"]
    message = mailoutbox[0]
    assert message.subject == "【待初审】《街道职工运动会》"
    assert f"/admin/articles/article/{story.pk}/change/" in message.body
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees the others' addresses


def test_submit_of_a_story_no_editor_covers_mails_the_administrators(districts, mailoutbox, commit):
    districts.cast.editor.groups.clear()
    story = make_article("没有工会组织", status=S.DRAFT, created_by=districts.cast.alice, body="<p>正文</p>")
    with commit():
        workflow.submit(article=story, user=districts.cast.alice)
    assert recipients(mailoutbox) == ["boss@example.org"]


def test_return_mails_the_byline_with_the_reason(districts, mailoutbox, commit):
    correspondent = make_reporter("通讯员李明")  # no account: nobody to mail
    no_email = make_user("nomail", group="记者")
    make_reporter("没有邮箱的记者", user=no_email)
    story = street_story(districts, S.REVIEW)
    story.bylines.create(reporter=correspondent, order=1)
    story.bylines.create(reporter=no_email.reporter, order=2)
    with commit():
        workflow.return_to_reporter(article=story, user=districts.district_editor, reason="请补充参赛人数。")
    assert recipients(mailoutbox) == ["alice@example.org"]
    message = mailoutbox[0]
    assert message.subject == "【退回】《街道职工运动会》"
    assert "请补充参赛人数。" in message.body and "朝阳编辑" in message.body


def test_passing_a_level_mails_the_next_levels_reviewers_but_not_who_passed_one(districts, mailoutbox, commit):
    story = street_story(districts, S.REVIEW)
    with commit():
        workflow.pass_level(article=story, user=districts.district_editor, opinion="同意，送复审。")
    # 复审: the unscoped editor; 朝阳's editor passed 初审 and may not pass another level.
    assert recipients(mailoutbox) == ["editor@example.org"]
    assert mailoutbox[0].subject == "【待复审】《街道职工运动会》"
    assert "初审通过，送复审" in mailoutbox[0].body and "朝阳编辑" in mailoutbox[0].body


def test_sending_back_mails_the_lower_levels_reviewers_with_the_reason(districts, mailoutbox, commit):
    story = street_story(districts, S.REVIEW)
    workflow.pass_level(article=story, user=districts.cast.editor, opinion="同意")
    with commit():
        workflow.send_back(article=story, user=districts.district_editor, reason="数字请再核一遍。")
    # Back at 初审: who passed it may pass it again (朝阳's editor, who sent it back, is not told).
    assert recipients(mailoutbox) == ["editor@example.org"]
    assert mailoutbox[0].subject == "【待初审】《街道职工运动会》" and "数字请再核一遍。" in mailoutbox[0].body


def test_a_return_from_the_last_level_reaches_the_reporter_with_its_reason(districts, mailoutbox, commit):
    story = walk(street_story(districts, S.REVIEW))
    with commit():
        workflow.return_to_reporter(article=story, user=districts.cast.editor, reason="终审：标题须改。")
    assert recipients(mailoutbox) == ["alice@example.org"]
    assert "在终审被" in mailoutbox[0].body and "终审：标题须改。" in mailoutbox[0].body


def test_recalling_a_submission_tells_the_first_level(districts, mailoutbox, commit):
    story = street_story(districts, S.DRAFT)
    workflow.submit(article=story, user=districts.cast.alice)
    with commit():
        workflow.recall(article=story, user=districts.cast.alice)
    assert recipients(mailoutbox) == ["chaoyang@example.org", "editor@example.org"]
    assert mailoutbox[0].subject == "【撤回送审】《街道职工运动会》"


def test_publish_mails_the_byline(districts, mailoutbox, commit):
    story = walk(street_story(districts, S.REVIEW))
    with commit():
        workflow.publish(article=story, user=districts.cast.editor, opinion="同意")
    assert recipients(mailoutbox) == ["alice@example.org"]
    assert mailoutbox[0].subject == "【已发布】《街道职工运动会》"


def test_a_scheduled_publication_says_when(districts, mailoutbox, commit):
    story = walk(street_story(districts, S.REVIEW))
    at = timezone.now() + timedelta(days=1)
    with commit():
        workflow.publish(article=story, user=districts.cast.editor, at=at, opinion="同意")
    assert mailoutbox[0].subject.startswith("【定时发布】")
    assert timezone.localtime(at).strftime("%Y-%m-%d %H:%M") in mailoutbox[0].body


def test_a_correction_by_someone_else_mails_the_byline_with_the_note(districts, mailoutbox, commit):
    editor_profile = make_reporter("编辑本人", user=districts.cast.editor)
    story = street_story(districts, S.PUBLISHED)
    story.bylines.create(reporter=editor_profile, order=1)
    story.title = "街道职工运动会开幕"
    with commit():
        workflow.save_article(article=story, user=districts.cast.editor, expected_version=story.version,
                              note="标题补全", public_note="标题有误，已更正。")
    # The editor is in the byline too, but made the change: only alice is told.
    assert recipients(mailoutbox) == ["alice@example.org"]
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "【更正】《街道职工运动会开幕》"
    assert "标题补全" in body and "标题有误，已更正。" in body


def test_editing_a_draft_mails_nobody(districts, mailoutbox, commit):
    story = street_story(districts, S.DRAFT)
    with commit():
        workflow.save_article(article=story, user=districts.cast.editor, expected_version=story.version)
    assert mailoutbox == []


def test_a_refused_step_mails_nobody(districts, mailoutbox, commit):
    story = street_story(districts, S.REVIEW, )
    story.union_bodies.set([districts.other])
    with commit(), pytest.raises(PermissionDenied):
        workflow.return_to_reporter(article=story, user=districts.district_editor, reason="x")
    assert mailoutbox == []


def test_nothing_is_sent_before_the_commit(districts, mailoutbox, commit):
    story = walk(street_story(districts, S.REVIEW))
    with commit():
        workflow.publish(article=story, user=districts.cast.editor, opinion="同意")
        assert mailoutbox == []  # the transaction is still open
    assert recipients(mailoutbox) == ["alice@example.org"]  # committed: now it goes


def test_a_broken_mail_server_does_not_undo_the_step(districts, mailoutbox, commit):
    story = walk(street_story(districts, S.REVIEW))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        with commit():
            workflow.publish(article=story, user=districts.cast.editor, opinion="同意")
    assert Article.objects.published().filter(pk=story.pk).exists()

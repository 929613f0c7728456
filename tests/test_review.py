"""三审三校: a story passes 初审, 复审 and 终审 (签发) with three different people; levels,
who may act at each and policies are data; the 审稿单 keeps every step and cannot be altered.

Every refusal is tried twice: through the service, and as the admin's button and
a crafted POST (the button is not offered, and the POST changes nothing).
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone
from reportlab import rl_config

from articles.models import (
    Article,
    ArticleEvent,
    EventLogIsAppendOnly,
    ListedWord,
    ReviewerGroup,
    ReviewLevel,
    ReviewPolicy,
    WordList,
)
from articles.services import permissions, transitions, workflow

from .factories import make_article, make_user
from .newsroom import change_url, level_editors, snapshot, transition_url, walk
from .newsroom2 import fresh

pytestmark = pytest.mark.django_db

S, A = Article.Status, ArticleEvent.Action


@pytest.fixture
def newsroom(districts):
    """The districts' cast with an editor for 初审 and one for 复审 (editor1 signs off)."""
    districts.first, districts.second = level_editors()
    return districts


def filed(newsroom, title="街道职工运动会", body="<p>奥运村街道总工会举办职工运动会，300名职工参加。</p>",
          bodies=None):
    """A draft of alice's, submitted by her: it waits at 初审."""
    cast = newsroom.cast
    story = make_article(title, status=S.DRAFT, created_by=cast.alice, reporters=[cast.alice_profile],
                         unions=bodies or [newsroom.street], body=body)
    workflow.submit(article=story, user=cast.alice)
    return story


def pdf_text(pdf):
    """The text a reportlab PDF (uncompressed) draws: its strings are UCS-2 in STSong-Light."""
    found = []
    for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", pdf):
        raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                     else m.group(1), literal)
        found.append(raw.decode("utf-16-be", errors="replace") if len(raw) % 2 == 0 else "")
    return "\n".join(found)


def post_step(client, user, story, action, **data):
    client.force_login(user)
    return client.post(transition_url(story, action), {"version": story.version, **data}, follow=True)


def offered(client, user, story, action):
    client.force_login(user)
    return f"workflow-button--{action}" in client.get(change_url(story)).content.decode()


class TestThreeLevels:
    def test_a_story_passes_three_levels_with_three_editors_and_the_slip_shows_every_step(
            self, client, newsroom):
        cast = newsroom.cast
        story = filed(newsroom)
        assert (story.review_level.name, story.review_policy.name) == ("初审", "三审（默认）")
        response = post_step(client, newsroom.first, story, "pass", reason="事实已核，同意送复审。")
        assert "现在待复审" in response.content.decode()
        story.refresh_from_db()
        post_step(client, newsroom.second, story, "pass", reason="同意，送终审。")
        story.refresh_from_db()
        assert story.review_level.name == "终审"
        post_step(client, cast.editor, story, "publish", reason="同意签发。")
        story.refresh_from_db()
        assert story.is_published() and story.review_level_id is None

        passes = story.events.filter(action__in=ArticleEvent.PASSING_ACTIONS)
        assert list(passes.values_list("level_name", "actor", "comment")) == [
            ("初审", newsroom.first.pk, "事实已核，同意送复审。"),
            ("复审", newsroom.second.pk, "同意，送终审。"),
            ("终审", cast.editor.pk, "同意签发。"),
        ]
        client.force_login(cast.alice)  # the reporter may read her story's slip
        page = client.get(f"/admin/articles/article/{story.pk}/slip/").content.decode()
        for text in ("审 稿 单", "《街道职工运动会》", "记者 爱丽丝", "奥运村街道总工会", "三审（默认）",
                     "送审（送初审）", "初审通过", "初审 甲", "事实已核，同意送复审。", "复审通过", "复审 乙",
                     "终审签发（立即发布）", "同意签发。", timezone.localtime(story.published_at).strftime("%Y-%m-%d %H:%M")):
            assert text in page, text
        assert 'media="print"' in page  # the print stylesheet
        with mock.patch.object(rl_config, "pageCompression", 0):  # to read its text back
            pdf = client.get(f"/admin/articles/article/{story.pk}/slip.pdf")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert f"review-slip-{story.pk}.pdf" in pdf["Content-Disposition"]
        text = pdf_text(pdf.content)
        for line in ("审 稿 单", "《街道职工运动会》", "初审通过", "初审 甲", "事实已核，同意送复审。",
                     "复审 乙", "终审签发", "同意签发。"):
            assert line in text, line
        timeline = client.get(change_url(story)).content.decode()
        assert "初审 · 审核通过" in timeline and "事实已核，同意送复审。" in timeline

    def test_a_scheduled_sign_off_can_be_moved_by_the_final_level_only(self, newsroom):
        story = walk(filed(newsroom))
        at = timezone.now() + timedelta(hours=5)
        workflow.publish(article=story, user=newsroom.cast.editor, at=at, opinion="同意，明早发。")
        assert story.is_scheduled()
        with pytest.raises(PermissionDenied, match="同一篇稿件不能由一人审两级"):
            workflow.publish(article=story, user=newsroom.second)  # passed 复审
        workflow.publish(article=story, user=newsroom.cast.admin)  # any final-level reviewer
        assert story.is_published()


class TestRefusals:
    """Each refusal by the service, by the admin's buttons and by a crafted POST."""

    def refused(self, client, user, story, action, error, message, **data):
        assert not offered(client, user, story, action)
        before = snapshot()
        response = post_step(client, user, story, action, reason="同意", **data)
        assert message in response.content.decode()
        assert snapshot() == before
        story.refresh_from_db()
        with pytest.raises(error, match=message):
            transitions.TRANSITIONS[action].run(article=story, user=fresh(user), reason="同意",
                                                expected_version=story.version)

    def test_nobody_passes_two_levels_of_one_story(self, client, newsroom):
        story = filed(newsroom)
        workflow.pass_level(article=story, user=newsroom.first, opinion="同意")
        self.refused(client, newsroom.first, story, "pass", PermissionDenied, "同一篇稿件不能由一人审两级")
        walk(story, by=[newsroom.second])
        self.refused(client, newsroom.first, story, "publish", PermissionDenied, "同一篇稿件不能由一人审两级")

    def test_the_reporter_passes_no_level_of_her_story(self, client, newsroom):
        story = filed(newsroom)
        self.refused(client, newsroom.cast.alice, story, "pass", PermissionDenied, "只有编辑可以审稿")

    def test_an_editor_passes_no_level_of_a_story_they_wrote(self, client, newsroom):
        cast = newsroom.cast
        story = make_article("编辑写的稿件", status=S.DRAFT, created_by=cast.editor,
                             unions=[newsroom.street], body="<p>正文。</p>")
        workflow.submit(article=story, user=cast.editor)
        self.refused(client, cast.editor, story, "pass", PermissionDenied, "不能审自己写的或署名的稿件")

    def test_an_editor_out_of_scope_acts_at_no_level(self, client, newsroom):
        story = filed(newsroom, bodies=[newsroom.other])  # 石景山
        assert not offered(client, newsroom.district_editor, story, "pass")
        before = snapshot()
        client.force_login(newsroom.district_editor)
        client.post(transition_url(story, "pass"), {"version": story.version, "reason": "同意"})
        assert snapshot() == before
        with pytest.raises(PermissionDenied, match="限负责范围内的稿件"):
            workflow.pass_level(article=story, user=fresh(newsroom.district_editor), opinion="同意")

    def test_a_level_cannot_be_skipped(self, client, newsroom):
        story = filed(newsroom)
        # editor1 may act at 初审, but signing off is for the last level.
        self.refused(client, newsroom.cast.editor, story, "publish", ValidationError,
                     "只有最后一级（终审）可以签发")
        walk(story)
        self.refused(client, newsroom.cast.editor, story, "pass", ValidationError, "最后一级不再送下一级")

    def test_someone_not_in_a_levels_groups_cannot_act_there(self, client, newsroom):
        story = walk(filed(newsroom))
        ReviewerGroup.objects.filter(level__name="终审", group__name="编辑").delete()
        final = make_user("zhongshen1", group="编辑")
        final.groups.add(Group.objects.get(name="终审编辑"))
        self.refused(client, newsroom.cast.editor, story, "publish", PermissionDenied,
                     "你不在“终审”的审稿人之列")
        workflow.publish(article=story, user=final, opinion="同意签发")
        assert story.is_published()

    def test_a_stale_version_is_refused(self, client, newsroom):
        story = filed(newsroom)
        opened = story.version
        Article.objects.get(pk=story.pk).save()  # someone saved meanwhile
        before = snapshot()
        client.force_login(newsroom.first)
        response = client.post(transition_url(story, "pass"), {"version": opened, "reason": "同意"}, follow=True)
        assert "已被他人保存" in response.content.decode() and snapshot() == before
        with pytest.raises(workflow.StaleVersion):
            workflow.pass_level(article=story, user=newsroom.first, opinion="同意", expected_version=opened)

    def test_an_opinion_is_required_to_pass(self, newsroom):
        story = filed(newsroom)
        with pytest.raises(ValidationError, match="请填写审稿意见"):
            workflow.pass_level(article=story, user=newsroom.first, opinion=" ")

    def test_the_system_reviews_nothing(self, newsroom):
        story = filed(newsroom)
        with pytest.raises(PermissionDenied, match="系统不能审稿"):
            workflow.pass_level(article=story, user=permissions.SystemActor("测试"), opinion="同意")


class TestBackAndReturn:
    def test_a_level_sends_back_one_level_and_the_lower_level_reviews_again(self, newsroom):
        story = filed(newsroom)
        workflow.pass_level(article=story, user=newsroom.first, opinion="同意")
        workflow.send_back(article=story, user=newsroom.second, reason="人数请再核一遍。")
        assert story.review_level.name == "初审"
        workflow.pass_level(article=story, user=newsroom.first, opinion="已核，300人。")
        assert story.review_level.name == "复审"
        with pytest.raises(ValidationError, match="第一级没有上一级可退"):
            workflow.send_back(article=filed(newsroom, "另一篇"), user=newsroom.first, reason="x")

    def test_a_return_from_the_last_level_reaches_the_reporter_with_its_reason(self, client, newsroom):
        cast = newsroom.cast
        story = walk(filed(newsroom))
        post_step(client, cast.editor, story, "return", reason="终审意见：标题要改，数字要核。")
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.review_level_id is None
        client.force_login(cast.alice)
        desk = client.get("/admin/articles/article/desk/").content.decode()
        assert "街道职工运动会" in desk and "终审意见：标题要改，数字要核。" in desk and "editor1（终审）" in desk
        form = client.get(change_url(story)).content.decode()
        banner = form.split("workflow-panel__returned")[1].split("</p>")[0]
        assert "在终审被editor1退回" in banner and "终审意见：标题要改，数字要核。" in banner
        # Resubmitted, it starts again at 初审; who reviewed before keeps their level.
        workflow.submit(article=story, user=cast.alice)
        assert story.review_level.name == "初审"
        with pytest.raises(PermissionDenied, match="同一篇稿件不能由一人审两级"):
            workflow.pass_level(article=story, user=newsroom.second, opinion="同意")


class TestRecall:
    def test_the_reporter_pulls_a_story_back_until_its_first_review(self, client, newsroom):
        cast = newsroom.cast
        story = filed(newsroom)
        assert offered(client, cast.alice, story, "recall")
        post_step(client, cast.alice, story, "recall")
        story.refresh_from_db()
        assert story.status == S.DRAFT and story.events.last().action == A.RECALLED

        workflow.submit(article=story, user=cast.alice)
        workflow.pass_level(article=story, user=newsroom.first, opinion="同意")
        workflow.send_back(article=story, user=newsroom.second, reason="再核")  # back at 初审, but reviewed
        assert not offered(client, cast.alice, story, "recall")
        with pytest.raises(ValidationError, match="审稿已经开始，不能撤回送审"):
            workflow.recall(article=story, user=cast.alice)

    def test_nobody_else_recalls(self, newsroom):
        story = filed(newsroom)
        with pytest.raises(PermissionDenied, match="只有稿件的记者可以撤回送审"):
            workflow.recall(article=story, user=newsroom.cast.bob)
        with pytest.raises(PermissionDenied):
            workflow.recall(article=story, user=newsroom.cast.editor)


class TestLevelsAreData:
    def test_a_two_level_policy_for_short_street_notices(self, newsroom):
        policy = ReviewPolicy.objects.get(name="街道短讯（两审）")
        policy.is_active = True
        policy.save()  # as the admin does: the process's policy table is read again
        newsroom.street.kind = newsroom.street.Kind.STREET
        newsroom.street.save()
        short = filed(newsroom, "街道短讯", body="<p>奥运村街道总工会明天开放职工书屋。</p>")
        long = filed(newsroom, "街道长稿", body="<p>" + "职工书屋开放。" * 60 + "</p>")
        district = filed(newsroom, "区里的短讯", body="<p>朝阳区总工会开会。</p>", bodies=[newsroom.cast.body])
        assert short.review_policy.name == "街道短讯（两审）"
        assert long.review_policy.is_default and district.review_policy.is_default
        workflow.pass_level(article=short, user=newsroom.first, opinion="同意")
        assert short.review_level.name == "终审"  # 复审 is not on its path
        workflow.publish(article=short, user=newsroom.cast.editor, opinion="同意签发")
        assert list(short.events.filter(action__in=ArticleEvent.PASSING_ACTIONS)
                    .values_list("level_name", flat=True)) == ["初审", "终审"]

    def test_a_fourth_level_needs_no_code(self, newsroom):
        proof = ReviewLevel.objects.create(name="校对", order=4)
        ReviewerGroup.objects.create(level=proof, group=Group.objects.get(name="编辑"))
        ReviewPolicy.objects.get(is_default=True).levels.add(proof)
        story = walk(filed(newsroom))  # 初审 and 复审 by the two level editors
        assert [t.name for t in transitions.available(newsroom.cast.editor, story)][:1] == ["pass"]
        assert transitions.PASS.label_for(story) == "终审通过，送校对"
        workflow.pass_level(article=story, user=newsroom.cast.editor, opinion="同意")
        workflow.publish(article=story, user=newsroom.district_editor, opinion="校对无误，签发")
        assert story.is_published()

    def test_a_level_restricted_to_a_subtree(self, newsroom):
        ReviewerGroup.objects.filter(level__name="初审", group__name="编辑").delete()
        street_desk = Group.objects.create(name="街道初审")
        ReviewerGroup.objects.create(level=ReviewLevel.objects.get(name="初审"), group=street_desk,
                                     union_body=newsroom.street)
        newsroom.first.groups.add(street_desk)
        street, other = filed(newsroom), filed(newsroom, "石景山的稿件", bodies=[newsroom.other])
        assert permissions.can_review(fresh(newsroom.first), street)
        assert not permissions.can_review(fresh(newsroom.first), other)
        assert permissions.reviewers(other) == [newsroom.cast.admin]  # nobody else: administrators

    def test_a_level_that_stories_wait_at_cannot_be_deleted(self, newsroom):
        filed(newsroom)
        with pytest.raises(ProtectedError):
            ReviewLevel.objects.get(name="初审").delete()


class TestTheSlipCannotBeAltered:
    def test_the_model_refuses_changes_and_deletions(self, newsroom):
        story = walk(filed(newsroom))
        event = story.events.get(action=A.PASSED, level_name="初审")
        event.comment = "改过的意见"
        with pytest.raises(EventLogIsAppendOnly):
            event.save()
        with pytest.raises(EventLogIsAppendOnly):
            event.delete()
        with pytest.raises(EventLogIsAppendOnly):
            story.events.filter(pk=event.pk).update(comment="改过的意见")
        with pytest.raises(EventLogIsAppendOnly):
            ArticleEvent.objects.filter(article=story).delete()
        assert ArticleEvent.objects.get(pk=event.pk).comment == "初审同意。"

    def test_nobody_may_change_or_delete_a_step_in_the_admin(self, client, newsroom):
        story = walk(filed(newsroom))
        event = story.events.get(action=A.PASSED, level_name="初审")
        client.force_login(newsroom.cast.admin)
        before = snapshot()
        client.post(f"/admin/articles/articleevent/{event.pk}/change/", {"comment": "改过的意见"})
        client.post(f"/admin/articles/articleevent/{event.pk}/delete/", {"post": "yes"})
        assert snapshot() == before
        page = client.get(f"/admin/articles/articleevent/{event.pk}/change/").content.decode()
        assert 'name="comment"' not in page

    def test_a_reviewer_account_deleted_leaves_the_name_on_the_slip(self, client, newsroom):
        story = walk(filed(newsroom))
        newsroom.first.delete()
        client.force_login(newsroom.cast.admin)
        page = client.get(f"/admin/articles/article/{story.pk}/slip/").content.decode()
        assert "初审 甲" in page


class TestMachineCheckInTheWorkflow:
    @pytest.fixture
    def words(self):
        word_list = WordList.objects.create(name="词表")
        ListedWord.objects.create(word_list=word_list, word="此处待补", level=ListedWord.Level.BLOCK,
                                  reason="还有占位文字")
        return word_list

    def test_a_blocked_word_stops_submission_and_sign_off(self, client, newsroom, words):
        cast = newsroom.cast
        story = make_article("稿件", status=S.DRAFT, created_by=cast.alice, body="<p>此处待补。</p>")
        before = snapshot()
        response = post_step(client, cast.alice, story, "submit")
        page = response.content.decode()
        assert "机审发现禁用内容，不能送审：正文“此处待补”：还有占位文字" in page
        assert "checks__item--block" in page and snapshot() == before
        ok = walk(filed(newsroom))
        Article.objects.filter(pk=ok.pk).update(body="<p>此处待补。</p>")  # changed after review
        ok.refresh_from_db()
        with pytest.raises(ValidationError, match="不能签发"):
            workflow.publish(article=ok, user=cast.editor, opinion="同意")

    def test_warnings_are_acknowledged_by_the_person_acting_and_shown_on_the_slip(self, client, newsroom):
        cast = newsroom.cast
        story = make_article("稿件", status=S.DRAFT, created_by=cast.alice, body="<p>职工的的权益。</p>")
        client.force_login(cast.alice)
        form = client.get(change_url(story)).content.decode()
        assert "已核对机审提示（1 条）" in form and "<mark>的的</mark>" in form
        response = post_step(client, cast.alice, story, "submit")
        assert "机审有 1 条提示尚未确认" in response.content.decode()
        story.refresh_from_db()
        assert story.status == S.DRAFT
        fingerprint = form.split('name="acknowledged" value="')[1].split('"')[0]
        post_step(client, cast.alice, story, "submit", acknowledged=fingerprint)
        story.refresh_from_db()
        assert story.status == S.REVIEW
        submitted = story.events.get(action=A.SUBMITTED)
        assert submitted.acknowledged == ["正文“的的”：字重复了，请核对（建议改为“的”）"]
        page = client.get(f"/admin/articles/article/{story.pk}/slip/").content.decode()
        assert "已确认机审提示：正文“的的”" in page

    def test_an_acknowledgement_of_other_warnings_does_not_count(self, newsroom):
        cast = newsroom.cast
        story = make_article("稿件", status=S.DRAFT, created_by=cast.alice, body="<p>职工的的权益。</p>")
        with pytest.raises(ValidationError, match="尚未确认"):
            workflow.submit(article=story, user=cast.alice, acknowledged="0123456789abcdef")


class TestDesk:
    def test_each_editor_sees_what_waits_at_their_levels_oldest_first(self, client, newsroom):
        older = filed(newsroom, "先送的稿件")
        newer = filed(newsroom, "后送的稿件")
        Article.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(hours=3))
        at_second = walk(filed(newsroom, "在复审的稿件"), "复审")
        client.force_login(newsroom.first)  # passed 初审 of the third: not his at 复审
        page = client.get("/admin/articles/article/desk/").content.decode()
        mine = page.split("desk__queue--mine")[1].split("</table>")[0]
        assert mine.index("先送的稿件") < mine.index("后送的稿件")
        assert "在复审的稿件" not in mine and "待初审" in mine
        client.force_login(newsroom.second)
        mine = client.get("/admin/articles/article/desk/").content.decode().split("desk__queue--mine")[1]
        assert "在复审的稿件" in mine.split("</table>")[0] and "待复审" in mine
        assert {newer.pk, older.pk} <= {s.pk for s in client.get(
            "/admin/articles/article/desk/").context["queue"]}
        assert at_second.review_level.name == "复审"

    def test_reporters_see_their_storys_level_and_who_holds_it(self, client, newsroom):
        walk(filed(newsroom), "复审")
        client.force_login(newsroom.cast.alice)
        page = client.get("/admin/articles/article/desk/").content.decode()
        row = page.split("街道职工运动会")[1].split("</tr>")[0]
        # 复审 may be done by any editor of the story's scope but 初审 甲, who passed 初审.
        assert "待复审" in row and "复审 乙" in row and "朝阳编辑" in row and "editor1" in row
        assert "初审 甲" not in row and "石景山编辑" not in row

    def test_the_desk_costs_the_same_for_many_stories(self, client, newsroom, django_assert_max_num_queries):
        """Stories in review, their reviewers and the editor's own queue: a fixed number of
        queries (levels, editors, scopes, passes, owners and bodies read once for all)."""
        for n in range(3):
            filed(newsroom, f"稿件{n}")
        client.force_login(newsroom.cast.editor)
        client.get("/admin/articles/article/desk/")
        with django_assert_max_num_queries(40) as few:
            client.get("/admin/articles/article/desk/")
        for n in range(3, 15):
            walk(filed(newsroom, f"稿件{n}"), "复审" if n % 2 else "初审")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get("/admin/articles/article/desk/")

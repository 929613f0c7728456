"""Editors limited to a union-body subtree (EditorScope): they see and decide only their stories."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import Article
from articles.selectors import desk
from articles.services import permissions, workflow

from .factories import make_article
from .newsroom import change_url, snapshot, transition_url, walk
from .newsroom2 import fresh

pytestmark = pytest.mark.django_db

S = Article.Status


def in_review(title, *bodies):
    """A story waiting at 初审."""
    return make_article(title, status=S.REVIEW, unions=bodies, body="<p>正文</p>")


def at_final(title, *bodies):
    """A story waiting at 终审, 初审 and 复审 passed by two unlimited editors."""
    return walk(in_review(title, *bodies))


class TestRules:
    def test_a_district_editor_sees_the_district_and_its_streets_only(self, districts):
        district = in_review("朝阳的稿件", districts.cast.body)
        street = in_review("街道的稿件", districts.street)
        other = in_review("石景山的稿件", districts.other)
        untagged = in_review("没有工会组织的稿件")
        visible = set(permissions.visible_articles(districts.district_editor))
        assert visible == {district, street}
        assert permissions.can_view(fresh(districts.district_editor), street)
        assert not permissions.can_view(fresh(districts.district_editor), other)
        assert not permissions.can_view(fresh(districts.district_editor), untagged)

    def test_an_editor_without_scope_sees_everything(self, districts):
        stories = {in_review("a", districts.cast.body), in_review("b", districts.other), in_review("c")}
        assert set(permissions.visible_articles(districts.cast.editor)) == stories

    def test_a_story_tagged_with_two_districts_belongs_to_both_editors(self, districts):
        both = in_review("两区联合", districts.street, districts.other)
        assert permissions.can_publish(districts.district_editor, both)
        assert permissions.can_publish(districts.other_editor, both)

    def test_a_scoped_editor_still_sees_and_edits_own_drafts(self, districts):
        own = make_article("自己写的", status=S.DRAFT, created_by=districts.district_editor,
                           unions=[districts.other])
        assert own in permissions.visible_articles(districts.district_editor)
        assert permissions.can_edit(fresh(districts.district_editor), own)
        own.status = S.REVIEW
        assert not permissions.can_publish(fresh(districts.district_editor), own)

    @pytest.mark.parametrize("action", ["publish", "return", "withdraw", "correct"])
    def test_a_district_editor_cannot_decide_on_another_districts_story(self, districts, action):
        story = at_final("石景山的稿件", districts.other) if action == "publish" else in_review(
            "石景山的稿件", districts.other)
        if action in ("withdraw", "correct"):
            story = make_article("石景山已发布", unions=[districts.other], body="<p>正文</p>")
        before = snapshot()
        with pytest.raises(PermissionDenied):
            if action == "publish":
                workflow.publish(article=story, user=districts.district_editor, opinion="同意")
            elif action == "return":
                workflow.return_to_reporter(article=story, user=districts.district_editor, reason="x")
            elif action == "withdraw":
                workflow.withdraw(article=story, user=districts.district_editor, reason="x")
            else:
                story.title = "改"
                workflow.save_article(article=story, user=districts.district_editor,
                                      expected_version=story.version, note="x")
        assert snapshot() == before

    def test_a_district_editor_publishes_a_street_story(self, districts):
        story = at_final("街道的稿件", districts.street)
        workflow.publish(article=story, user=districts.district_editor, opinion="同意")
        assert story in Article.objects.published()

    def test_reviewers_are_the_editors_whose_scope_covers_the_story(self, districts):
        street = in_review("街道的稿件", districts.street)
        other = in_review("石景山的稿件", districts.other)
        assert permissions.reviewers(street) == [districts.district_editor, districts.cast.editor]
        assert permissions.reviewers(other) == [districts.cast.editor, districts.other_editor]

    def test_administrators_approve_when_no_editor_covers_the_story(self, districts):
        districts.cast.editor.groups.clear()
        story = in_review("没有工会组织的稿件")
        assert permissions.reviewers(story) == [districts.cast.admin]


class TestAdmin:
    def test_the_list_shows_a_district_editor_only_their_stories(self, client, districts):
        in_review("朝阳的稿件", districts.cast.body)
        in_review("石景山的稿件", districts.other)
        client.force_login(districts.district_editor)
        page = client.get("/admin/articles/article/").content.decode()
        assert "朝阳的稿件" in page and "石景山的稿件" not in page

    def test_another_districts_story_cannot_be_opened(self, client, districts):
        story = in_review("石景山的稿件", districts.other)
        client.force_login(districts.district_editor)
        assert client.get(change_url(story)).status_code == 302  # the admin's "not found"
        page = client.get(change_url(story), follow=True).content.decode()
        assert "不存在" in page and "石景山的稿件" not in page
        assert client.get(f"/admin/articles/article/{story.pk}/revisions/").status_code == 404

    def test_a_crafted_publish_post_for_another_district_changes_nothing(self, client, districts):
        story = at_final("石景山的稿件", districts.other)
        client.force_login(districts.district_editor)
        before = snapshot()
        client.post(transition_url(story, "publish"), {"version": story.version, "reason": "同意"})
        assert snapshot() == before

    def test_the_bulk_action_publishes_only_the_editors_stories(self, client, districts):
        mine = at_final("朝阳的稿件", districts.cast.body)
        theirs = at_final("石景山的稿件", districts.other)
        client.force_login(districts.district_editor)
        client.post("/admin/articles/article/", {
            "action": "publish_selected", "_selected_action": [mine.pk, theirs.pk],
        })
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.status == S.PUBLISHED and theirs.status == S.REVIEW

    def test_the_desk_queue_holds_only_the_editors_stories_with_their_reviewers(self, client, districts):
        in_review("街道的稿件", districts.street)
        in_review("石景山的稿件", districts.other)
        assert [s.title for s in desk.review_queue(districts.district_editor)] == ["街道的稿件"]
        client.force_login(districts.district_editor)
        page = client.get("/admin/articles/article/desk/").content.decode()
        assert "街道的稿件" in page and "石景山的稿件" not in page
        assert "全部审稿中的稿件（1 篇" in page and "待我审的稿件（1 篇" in page
        assert "朝阳编辑" in page.split("desk__approvers")[1]

    def test_the_change_form_names_the_editors_who_may_review(self, client, districts):
        story = in_review("街道的稿件", districts.street)
        client.force_login(districts.cast.editor)
        page = client.get(change_url(story)).content.decode()
        approvers = page.split("review-path__level--here")[1].split("</li>")[0]
        assert "朝阳编辑" in approvers and "editor1" in approvers and "石景山编辑" not in approvers

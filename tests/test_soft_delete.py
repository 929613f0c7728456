"""Nothing is lost: deleting a story moves it to the 回收站, where an editor restores it;
union bodies, reporters and photos that stories use cannot be deleted (a Chinese refusal)."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, ArticleEvent, Photo, Reporter, StoryDeletionRefused, UnionBody
from articles.services import workflow

from .factories import login, make_article, make_photo, make_reporter, make_union, make_user

pytestmark = pytest.mark.django_db

S = Article.Status
LIST = "/admin/articles/article/"
TRASH = "/admin/articles/article/trash/"


def test_deleting_in_the_admin_moves_the_story_to_the_trash(client, editor):
    body = make_union("朝阳区总工会", slug="chaoyang")
    story = make_article(title="要删除的稿件", unions=[body], reporters=[make_reporter()])
    login(client, editor)
    confirm = client.get(f"{LIST}{story.pk}/delete/").content.decode()
    assert "移入" in confirm and "回收站" in confirm

    response = client.post(f"{LIST}{story.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "已移入回收站" in client.get(LIST).content.decode()

    kept = Article.all_objects.get(pk=story.pk)
    assert kept.deleted_by == editor and kept.deleted_at is not None
    assert kept.bylines.count() == 1 and kept.union_links.count() == 1  # nothing cascaded
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Article.objects.published().filter(pk=story.pk).exists()
    event = kept.events.get(action=ArticleEvent.Action.DELETED)
    assert event.actor == editor and event.from_status == S.PUBLISHED

    # Gone from the public site (page, union page, search) and from the admin list.
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "要删除的稿件" not in client.get(body.get_absolute_url()).content.decode()
    assert "要删除的稿件" not in client.get("/search/?q=删除").content.decode()
    login(client, editor)
    assert "要删除的稿件" not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{story.pk}/change/").status_code == 302  # "does not exist"


def test_delete_selected_is_soft_as_well(client, editor):
    stories = [make_article(title=f"批量{n}") for n in range(3)]
    login(client, editor)
    response = client.post(LIST, {
        "action": "delete_selected", "_selected_action": [s.pk for s in stories], "post": "yes",
    })
    assert response.status_code == 302
    assert Article.objects.count() == 0 and Article.all_objects.deleted().count() == 3
    assert ArticleEvent.objects.filter(action=ArticleEvent.Action.DELETED).count() == 3


def test_the_trash_lists_deleted_stories_and_an_editor_restores_one(client, editor):
    story = make_article(title="误删的稿件")
    workflow.delete_article(article=story, user=editor)
    login(client, editor)
    assert "回收站" in client.get(LIST).content.decode()
    page = client.get(TRASH).content.decode()
    assert "误删的稿件" in page and "王编辑" in page and "已发布" in page

    response = client.post(f"{LIST}{story.pk}/restore/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.deleted_at is None and story.is_published()
    assert story.events.filter(action=ArticleEvent.Action.UNDELETED, actor=editor).exists()
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_reporters_can_neither_delete_nor_see_the_trash(client):
    alice = make_user("alice", group="记者")
    story = make_article(title="爱丽丝的草稿", status=S.DRAFT, created_by=alice)
    login(client, alice)
    assert client.post(f"{LIST}{story.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(LIST, {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"})
    assert Article.objects.filter(pk=story.pk).exists()
    assert "回收站" not in client.get(LIST).content.decode()
    assert client.get(TRASH).status_code == 403
    workflow.delete_article(article=story, user=make_user("editor2", group="编辑"))
    assert client.post(f"{LIST}{story.pk}/restore/").status_code == 403
    assert Article.all_objects.get(pk=story.pk).deleted_at is not None


def test_plain_delete_and_queryset_delete_are_refused_and_remove_nothing():
    """Every deletion goes through workflow.delete_article (permission, 回收站, log)."""
    story = make_article()
    with pytest.raises(StoryDeletionRefused):
        Article.objects.filter(pk=story.pk).delete()
    with pytest.raises(StoryDeletionRefused):
        story.delete()
    story.refresh_from_db()
    assert story.deleted_at is None and not story.events.exists()


def test_a_reporter_cannot_delete_through_the_service(editor):
    alice = make_user("alice", group="记者")
    story = make_article(status=S.DRAFT, created_by=alice)
    with pytest.raises(workflow.NotAllowed):
        workflow.delete_article(article=story, user=alice)
    assert Article.objects.filter(pk=story.pk).exists()


def publish_from_the_trash(client, editor):
    """An editor presses 发布 on a story that is in the 回收站 (an old tab, say)."""
    story = make_article(status=S.REVIEW, body="<p>正文</p>")
    workflow.delete_article(article=story, user=editor)
    login(client, editor)
    response = client.post(f"{LIST}{story.pk}/transition/publish/", {"version": story.version}, follow=True)
    return story, response


def test_workflow_on_a_deleted_story_is_refused(client, editor):
    story, response = publish_from_the_trash(client, editor)
    assert response.status_code < 500
    kept = Article.all_objects.get(pk=story.pk)
    assert kept.status == S.REVIEW and kept.deleted_at is not None
    assert not kept.events.filter(action=ArticleEvent.Action.PUBLISHED).exists()


def test_workflow_on_a_deleted_story_is_refused_clearly(client, editor):
    story, response = publish_from_the_trash(client, editor)
    assert Article.all_objects.get(pk=story.pk).status == S.REVIEW
    assert response.status_code == 200, "refused without a page to say why"
    messages = [str(message) for message in response.context["messages"]]
    assert any("回收站" in message and "恢复" in message for message in messages), messages


# --- protected deletes ------------------------------------------------------------


def used_directory():
    body = make_union("石景山区总工会", slug="shijingshan")
    reporter = make_reporter("张晶", slug="zhang-jing")
    photo = make_photo(caption="用在稿件里的图")
    make_article(title="用到它们的稿件", unions=[body], reporters=[reporter], photos=[photo])
    return body, reporter, photo


@pytest.mark.parametrize("model", [UnionBody, Reporter, Photo])
def test_a_used_directory_entry_cannot_be_deleted_and_the_admin_says_why(admin_client, model):
    body, reporter, photo = used_directory()
    obj = {UnionBody: body, Reporter: reporter, Photo: photo}[model]
    url = f"/admin/articles/{model._meta.model_name}/{obj.pk}/delete/"
    for response in (admin_client.get(url), admin_client.post(url, {"post": "yes"})):
        assert response.status_code == 200
        page = response.content.decode()
        assert "受保护" in page or "无法删除" in page, page[:3000]
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [UnionBody, Reporter, Photo])
def test_delete_selected_of_used_entries_is_refused_too(admin_client, model):
    body, reporter, photo = used_directory()
    obj = {UnionBody: body, Reporter: reporter, Photo: photo}[model]
    response = admin_client.post(f"/admin/articles/{model._meta.model_name}/", {
        "action": "delete_selected", "_selected_action": [obj.pk], "post": "yes",
    })
    assert response.status_code == 200
    assert "受保护" in response.content.decode()
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_story_in_the_trash_still_protects_what_it_uses(admin_client):
    body, reporter, photo = used_directory()
    workflow.delete_article(article=Article.objects.get(title="用到它们的稿件"),
                            user=make_user("editor3", group="编辑"))
    admin_client.post(f"/admin/articles/unionbody/{body.pk}/delete/", {"post": "yes"})
    assert UnionBody.objects.filter(pk=body.pk).exists()


def test_an_unused_union_body_can_be_deleted(admin_client):
    body = make_union()
    assert admin_client.post(f"/admin/articles/unionbody/{body.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not UnionBody.objects.filter(pk=body.pk).exists()


def test_deleting_a_user_keeps_their_stories(admin_client):
    alice = make_user("alice", group="记者")
    story = make_article(created_by=alice)
    response = admin_client.post(f"/admin/auth/user/{alice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert Article.objects.get(pk=story.pk).created_by is None


def test_a_story_added_between_the_check_and_the_delete_is_a_message_not_a_500(
    admin_client, monkeypatch
):
    """The admin's own check saw no story; the database's PROTECT still refuses."""
    from django.contrib import admin as django_admin

    body = make_union()
    make_article(unions=[body])
    body_admin = django_admin.site._registry[UnionBody]
    monkeypatch.setattr(body_admin, "get_deleted_objects", lambda objs, request: ([str(body)], {}, set(), []))
    response = admin_client.post(f"/admin/articles/unionbody/{body.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "无法删除：仍有稿件或其他资料在使用它" in response.content.decode()
    assert UnionBody.objects.filter(pk=body.pk).exists()

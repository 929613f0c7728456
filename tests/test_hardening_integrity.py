"""Issue 16, integrity and access: photos, the 回收站 and corrections stay within each person's rights."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import Article, ArticleEvent
from articles.services import workflow

from .factories import login, make_article, make_photo, make_user
from .newsroom import add_inline_row, change_url, form_data
from .newsroom2 import fresh

pytestmark = pytest.mark.django_db

S = Article.Status

PHOTO_FORM = {"alt_text": "", "credit_reporter": "", "credit_text": "", "taken_on": "",
              "union_body": ""}


def _change_photo(client, photo, caption):
    return client.post(f"/admin/articles/photo/{photo.pk}/change/", {**PHOTO_FORM, "caption": caption})


# --- 1. photos of published stories ------------------------------------------------


def test_a_reporter_cannot_change_a_photo_on_a_published_story(client):
    reporter = make_user(group="记者")
    photo = make_photo(caption="原说明", uploaded_by=reporter)
    make_article(photos=[photo])
    response = _change_photo(login(client, reporter), photo, "篡改的说明")
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "原说明"


def test_a_reporter_cannot_change_someone_elses_photo(client):
    photo = make_photo(caption="原说明", uploaded_by=make_user(group="记者"))
    response = _change_photo(login(client, make_user(group="记者")), photo, "篡改的说明")
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "原说明"


def test_a_reporter_may_change_their_photo_on_their_own_draft(client):
    reporter = make_user(group="记者")
    photo = make_photo(caption="原说明", uploaded_by=reporter)
    make_article(status=S.DRAFT, created_by=reporter, photos=[photo])
    assert _change_photo(login(client, reporter), photo, "新说明").status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "新说明"


def test_an_editors_change_to_a_published_photo_is_logged_on_the_story(client, editor):
    photo = make_photo(caption="原说明")
    story = make_article(photos=[photo])
    assert _change_photo(login(client, editor), photo, "更正后的说明").status_code == 302
    event = ArticleEvent.objects.get(article=story, action=ArticleEvent.Action.CORRECTED)
    assert "图片说明" in event.comment and event.actor == editor


# --- 2. the 回收站 within a limited editor's scope ------------------------------------


def _trashed(title, body, by):
    story = make_article(title, unions=[body], body="<p>正文</p>")
    workflow.delete_article(article=story, user=by)
    return story


def test_a_limited_editor_sees_and_restores_only_their_scopes_trash(client, districts):
    admin = districts.cast.admin
    mine, other = _trashed("朝阳的稿件", districts.street, admin), _trashed("石景山的稿件", districts.other, admin)
    login(client, districts.district_editor)
    page = client.get("/admin/articles/article/trash/").content.decode()
    assert "朝阳的稿件" in page and "石景山的稿件" not in page
    client.post(f"/admin/articles/article/{other.pk}/restore/")
    assert Article.all_objects.get(pk=other.pk).deleted_at is not None
    assert not Article.objects.published().filter(pk=other.pk).exists()
    client.post(f"/admin/articles/article/{mine.pk}/restore/")
    assert Article.objects.published().filter(pk=mine.pk).exists()


def test_a_limited_editor_cannot_delete_or_restore_another_districts_story(districts):
    other = make_article("石景山的稿件", unions=[districts.other], body="<p>正文</p>")
    with pytest.raises(PermissionDenied):
        workflow.delete_article(article=other, user=districts.district_editor)
    workflow.delete_article(article=other, user=districts.cast.admin)
    with pytest.raises(PermissionDenied):
        workflow.undelete_article(article=other, user=fresh(districts.district_editor))


# --- 3. a correction stays within the editor's scope --------------------------------


def test_a_limited_editor_cannot_move_a_published_story_out_of_scope(client, districts):
    story = make_article("朝阳的稿件", unions=[districts.street], body="<p>正文</p>")
    data = form_data(story, change_note="改工会")
    data["union_links-0-union_body"] = str(districts.other.pk)
    response = login(client, districts.district_editor).post(change_url(story), data)
    assert response.status_code == 200
    assert "石景山区总工会" in response.content.decode()
    assert list(story.union_bodies.all()) == [districts.street]


def test_a_limited_editor_cannot_add_an_out_of_scope_body(client, districts):
    story = make_article("朝阳的稿件", unions=[districts.street], body="<p>正文</p>")
    data = add_inline_row(form_data(story, change_note="加工会"), "union_links",
                          union_body=districts.other.pk)
    login(client, districts.district_editor).post(change_url(story), data)
    assert list(story.union_bodies.all()) == [districts.street]


def test_a_limited_editor_may_retag_within_scope(client, districts):
    story = make_article("朝阳的稿件", unions=[districts.street], body="<p>正文</p>")
    data = form_data(story, change_note="改为区总工会")
    data["union_links-0-union_body"] = str(districts.cast.body.pk)
    assert login(client, districts.district_editor).post(change_url(story), data).status_code == 302
    assert list(story.union_bodies.all()) == [districts.cast.body]


def test_a_reporter_may_still_view_a_photo_they_may_not_change(client):
    photo = make_photo(caption="别人的图片", uploaded_by=make_user(group="记者"))
    response = login(client, make_user(group="记者")).get(f"/admin/articles/photo/{photo.pk}/change/")
    assert response.status_code == 200 and "别人的图片" in response.content.decode()


def test_a_limited_editor_cannot_change_a_photo_of_another_districts_story(client, districts):
    photo = make_photo(caption="原说明")
    make_article("石景山的稿件", unions=[districts.other], photos=[photo], body="<p>正文</p>")
    response = _change_photo(login(client, districts.district_editor), photo, "篡改的说明")
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "原说明"
    mine = make_photo(caption="朝阳的图")
    make_article("朝阳的稿件", unions=[districts.street], photos=[mine], body="<p>正文</p>")
    assert _change_photo(client, mine, "改好的说明").status_code == 302

"""Issue 16, integrity and access: photos, the 回收站 and corrections stay within each person's rights."""

import pytest

from articles.models import Article, ArticleEvent

from .factories import login, make_article, make_photo, make_user

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

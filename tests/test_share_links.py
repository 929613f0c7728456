"""Draft links for people without an account, and the staff preview."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from articles.models import Article, ShareLink
from articles.services import sharing

from .factories import make_article
from .newsroom import story_of

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def draft(cast):
    return story_of(cast, S.DRAFT, title="尚未发布的稿件")


def make_link(story, user, days=3):
    return sharing.create_link(article=story, user=user, days=days)


def test_an_editor_makes_a_link_that_works_without_an_account(client, cast, draft):
    client.force_login(cast.editor)
    response = client.post(f"/admin/articles/article/{draft.pk}/share/", {"days": "3", "note": "王老师"},
                           follow=True)
    link = ShareLink.objects.get(article=draft)
    local = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")
    assert f"有效期至 {local}" in response.content.decode()  # the newsroom's time, not UTC
    assert link.created_by == cast.editor and link.note == "王老师"
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)
    page = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    url = sharing.url_for(link)
    assert "/preview/" in page and "share-link__url" in page

    client.logout()
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "尚未发布的稿件" in html and "draft-banner" in html and "草稿" in html
    assert '<meta name="robots" content="noindex, nofollow, noarchive">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_link_page_is_never_cached(client, cast, draft):
    url = sharing.url_for(make_link(draft, cast.editor))
    assert "尚未发布的稿件" in client.get(url).content.decode()
    Article.objects.filter(pk=draft.pk).update(title="改过的标题")  # no signal, no cache bump
    assert "改过的标题" in client.get(url).content.decode()


def test_a_revoked_link_stops_working(client, cast, draft):
    link = make_link(draft, cast.editor)
    url = sharing.url_for(link)
    client.force_login(cast.editor)
    client.post(f"/admin/articles/article/{draft.pk}/share/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == cast.editor
    client.logout()
    assert client.get(url).status_code == 404


def test_an_expired_link_stops_working(client, cast, draft):
    link = make_link(draft, cast.editor, days=1)
    url = sharing.url_for(link)
    now = timezone.now()
    ShareLink.objects.filter(pk=link.pk).update(created_at=now - timedelta(days=1, seconds=1),
                                               expires_at=now - timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_a_token_for_one_story_with_another_storys_id_fails(client, cast, draft):
    other = story_of(cast, S.DRAFT, title="另一篇草稿")
    link = make_link(draft, cast.editor)
    forged = signing.dumps({"l": link.pk, "a": other.pk, "n": link.nonce}, salt=sharing.SALT)
    response = client.get(f"/preview/{forged}/")
    assert response.status_code == 404 and "另一篇草稿" not in response.content.decode()


def test_a_link_row_of_another_story_with_its_nonce_guessed_fails(client, cast, draft):
    other = story_of(cast, S.DRAFT, title="另一篇草稿")
    other_link = make_link(other, cast.editor)
    forged = signing.dumps({"l": other_link.pk, "a": other.pk, "n": "guess"}, salt=sharing.SALT)
    assert client.get(f"/preview/{forged}/").status_code == 404


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: "x" + t,
    lambda t: t.split(":")[0],
    lambda t: signing.dumps({"l": 1, "a": 1, "n": "x"}, salt="another-purpose"),
])
def test_a_tampered_token_fails(client, cast, draft, tamper):
    token = sharing.token_for(make_link(draft, cast.editor))
    assert client.get(f"/preview/{tamper(token)}/").status_code == 404


def test_the_page_shows_only_its_story(client, cast, draft):
    published = make_article("已发布的相关稿件", unions=[cast.body])
    url = sharing.url_for(make_link(draft, cast.editor))
    html = client.get(url).content.decode()
    assert published.title not in html


def test_a_reporter_cannot_make_a_link(client, cast, draft):
    client.force_login(cast.alice)
    page = client.post(f"/admin/articles/article/{draft.pk}/share/", {"days": "3"}, follow=True)
    assert "生成预览链接未成功" in page.content.decode()
    assert not ShareLink.objects.exists()


def test_a_link_needs_a_valid_lifetime(cast, draft):
    with pytest.raises(Exception, match="有效期"):
        sharing.create_link(article=draft, user=cast.editor, days="365")


class TestStaffPreview:
    def test_staff_who_may_view_the_story_see_it_as_the_public_will(self, client, cast, draft):
        client.force_login(cast.alice)
        response = client.get(f"/admin/articles/article/{draft.pk}/preview/")
        html = response.content.decode()
        assert response.status_code == 200 and "尚未发布的稿件" in html and "draft-banner" in html
        assert response["X-Robots-Tag"].startswith("noindex")

    def test_others_get_nothing(self, client, cast, draft):
        client.force_login(cast.bob)
        assert client.get(f"/admin/articles/article/{draft.pk}/preview/").status_code == 404
        client.logout()
        assert client.get(f"/admin/articles/article/{draft.pk}/preview/").status_code == 302  # to login

"""The editorial thread of a story: visible only to staff who may see the story."""

import pytest

from articles.models import Article, EditorialComment

from .factories import make_article
from .newsroom import change_url, story_of

pytestmark = pytest.mark.django_db

S = Article.Status


def comment_url(story):
    return f"/admin/articles/article/{story.pk}/comment/"


def test_a_reporter_and_an_editor_talk_beside_the_story(client, cast):
    story = story_of(cast, S.REVIEW)
    client.force_login(cast.alice)
    response = client.post(comment_url(story), {"text": "数字已核实，请审稿。"})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    client.force_login(cast.editor)
    client.post(comment_url(story), {"text": "第二段的人数请再确认。"})
    page = client.get(change_url(story)).content.decode()
    panel = page.split('id="comments"')[1]
    assert panel.index("数字已核实") < panel.index("第二段的人数")
    assert "记者 爱丽丝" in panel
    assert [c.author for c in EditorialComment.objects.filter(article=story)] == [cast.alice, cast.editor]


def test_another_reporter_neither_sees_nor_adds_comments(client, cast):
    story = story_of(cast, S.DRAFT)
    EditorialComment.objects.create(article=story, author=cast.editor, text="内部意见：标题太长")
    client.force_login(cast.bob)
    assert "内部意见" not in client.get(change_url(story), follow=True).content.decode()
    assert client.post(comment_url(story), {"text": "我也想说"}).status_code == 404
    assert EditorialComment.objects.count() == 1


def test_comments_never_reach_the_public_page(client, cast):
    story = make_article("已发布的稿件", body="<p>正文</p>")
    EditorialComment.objects.create(article=story, author=cast.editor, text="内部意见：标题太长")
    assert "内部意见" not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_comment_is_refused_with_a_message(client, cast, text):
    story = story_of(cast, S.DRAFT)
    client.force_login(cast.alice)
    page = client.post(comment_url(story), {"text": text}, follow=True).content.decode()
    assert "留言未成功：留言不能为空" in page
    assert not EditorialComment.objects.exists()


def test_a_get_does_not_comment(client, cast):
    story = story_of(cast, S.DRAFT)
    client.force_login(cast.alice)
    assert client.get(comment_url(story) + "?text=x").status_code == 405

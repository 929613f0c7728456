"""Photo news on the public site: /photos/, the front-page block and the <picture> include."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article, Photo

from .factories import make_article, make_photo, make_reporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_stories():
    now = timezone.now()
    bian = make_reporter("边磊")
    photo = make_photo(caption="职工在技能竞赛现场比拼", credit_reporter=bian, alt_text="赛场全景")
    return {
        "older": make_article("较早的图片新闻", photos=[photo], published_at=now - timedelta(days=2)),
        "newer": make_article("最新的图片新闻", photos=[make_photo()], published_at=now - timedelta(hours=1)),
        "no_photo": make_article("没有图片的稿件"),
        "draft": make_article("草稿的图片新闻", status=Article.Status.DRAFT, photos=[make_photo()]),
        "future": make_article("定时的图片新闻", photos=[make_photo()], published_at=now + timedelta(hours=2)),
    }


def test_photo_stories_are_published_stories_with_a_lead_photo_newest_first(photo_stories):
    titles = [a.title for a in Article.objects.photo_stories()]
    assert titles == ["最新的图片新闻", "较早的图片新闻"]


def test_a_story_whose_photos_are_not_lead_is_not_a_photo_story():
    story = make_article("配图不是题图")
    story.photo_links.create(photo=make_photo(), is_lead=False)
    assert not Article.objects.photo_stories().exists()


def test_photo_stories_and_their_lead_photos_take_two_queries(django_assert_num_queries):
    """The stories, then every lead photo with its photographer: two queries for any number."""
    for _ in range(6):
        make_article(photos=[make_photo(credit_reporter=make_reporter())])
    with django_assert_num_queries(2):
        credits = [a.lead_photo().credit_line for a in Article.objects.photo_stories()]
    assert len(credits) == 6 and all(c.startswith("本报记者") for c in credits)


def test_the_photos_page_lists_photo_stories_only(client, photo_stories):
    page = client.get("/photos/").content.decode()
    assert "<h1 class=\"section-title\">图片新闻</h1>" in page
    assert page.index("最新的图片新闻") < page.index("较早的图片新闻")
    for hidden in ("没有图片的稿件", "草稿的图片新闻", "定时的图片新闻"):
        assert hidden not in page
    assert "职工在技能竞赛现场比拼" in page and "本报记者 边磊 摄" in page
    assert f'href="{photo_stories["older"].get_absolute_url()}"' in page


def test_the_photos_page_query_count_does_not_grow(client, django_assert_num_queries):
    """The stories, their lead photos with photographers, and the page cache's look-up
    of the next scheduled story: three queries, no COUNT, older pages by a cursor."""
    for _ in range(30):
        make_article(photos=[make_photo(credit_reporter=make_reporter())])
    with django_assert_num_queries(3):
        response = client.get("/photos/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="photo-card"') == 24
    older = re.search(r'href="(\?before=[^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert client.get("/photos/" + older).content.decode().count('class="photo-card"') == 6


def test_the_photos_page_without_photo_stories_says_so(client):
    assert "还没有图片新闻。" in client.get("/photos/").content.decode()


def test_the_photo_include_renders_webp_jpeg_srcset_size_alt_and_lazy():
    photo = make_photo(alt_text="赛场全景")
    html = render_to_string("articles/_photo.html", {"photo": photo, "size": "article"})
    item = photo.renditions["article"][0]
    assert '<source type="image/webp" srcset="/media/' in html
    assert f'{item["webp"]} {item["width"]}w' in html
    assert f'src="/media/{item["jpeg"]}"' in html
    assert f'srcset="/media/{item["jpeg"]} {item["width"]}w"' in html
    assert f'width="{item["width"]}" height="{item["height"]}"' in html
    assert 'alt="赛场全景"' in html and 'loading="lazy"' in html
    assert photo.original not in html


@pytest.mark.parametrize("size", ["list", "article", "social"])
def test_the_photo_include_uses_the_rendition_of_each_size(size):
    photo = make_photo()
    html = render_to_string("articles/_photo.html", {"photo": photo, "size": size})
    assert f"-{size}-" in html and f'class="photo photo--{size}"' in html


def test_the_photo_include_falls_back_to_the_image_of_a_photo_without_renditions():
    photo = make_photo(caption="旧图")
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    photo.refresh_from_db()
    html = render_to_string("articles/_photo.html", {"photo": photo, "size": "list"})
    assert f'src="{photo.image.url}"' in html and "<source" not in html and 'alt="旧图"' in html


def test_the_photo_include_renders_nothing_without_a_photo():
    assert render_to_string("articles/_photo.html", {"photo": None, "size": "list"}).strip() == ""


def test_the_front_page_block_links_to_the_photos_page(photo_stories):
    html = render_to_string(
        "articles/_photo_news.html", {"photo_stories": Article.objects.photo_stories()[:4]}
    )
    assert "图片新闻" in html and 'href="/photos/"' in html
    assert "最新的图片新闻" in html and "草稿的图片新闻" not in html
    assert html.count("<picture") == 2


def test_the_front_page_block_is_empty_without_photo_stories():
    assert render_to_string("articles/_photo_news.html", {"photo_stories": []}).strip() == ""


def test_front_page_photo_news_older_than_the_news_list_shows_its_photos(client, django_assert_num_queries):
    """The front page fetches both lists' lead photos in one query (attach_lead_photos), also
    for photo stories too old to be among the 20 newest stories."""
    now = timezone.now()
    photo = make_photo(caption="较早的赛场", alt_text="较早的赛场全景")
    make_article("三天前的图片新闻", photos=[photo], published_at=now - timedelta(days=3))
    for i in range(21):
        make_article(f"今天的文字稿{i}", published_at=now - timedelta(minutes=i + 1))
    with django_assert_num_queries(6):
        html = client.get("/").content.decode()
    block = html[html.index('id="photo-news-title"'):]
    assert "三天前的图片新闻" in block and 'alt="较早的赛场全景"' in block
    assert "三天前的图片新闻" not in html[:html.index('id="photo-news-title"')]  # not in the news list

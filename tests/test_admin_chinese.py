"""No English on any admin page a reporter or an editor opens (issue 15).

Walks the admin from its index and from stories in every state, as a reporter and as an
editor, following every admin link it finds (each path once), and reads what a person sees:
the text, and the attributes shown or read out (title, alt, placeholder, aria-label, button
values). Latin words must be on tests/admin_text.ALLOWED or be the test's own data (user
names, slugs, file names).
"""

import re

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Photo, Reporter, UnionBody

from .admin_text import admin_links, english_in, read_page
from .factories import make_article, make_photo
from .newsroom import add_inline_row, change_url, form_data, story_of

pytestmark = pytest.mark.django_db

S = Article.Status
LIMIT = 150


def data_words():
    """Latin words the test's own data puts on pages (user names, slugs, file names)."""
    texts = [*get_user_model().objects.values_list("username", flat=True),
             *Reporter.objects.values_list("slug", flat=True),
             *UnionBody.objects.values_list("slug", flat=True),
             *(name.rsplit("/", 1)[-1] for name in Photo.objects.values_list("image", flat=True)),
             *Photo.objects.values_list("original_name", flat=True)]
    return {word for text in texts for word in re.findall(r"[A-Za-z][A-Za-z']+", text)}


def walk(client, start):
    """{url: English words} for every admin page reachable from `start`, each path once."""
    seen, todo, found = set(), list(start), {}
    while todo and len(seen) < LIMIT:
        url = todo.pop(0)
        path = url.split("?")[0]
        if path in seen:
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        parts, links = read_page(html)
        words = english_in(parts)
        if words:
            found[url] = sorted(words)
        todo.extend(admin_links(url, links))
    return found, seen


@pytest.fixture
def stories(cast):
    photo = make_photo(caption="职工练习心肺复苏")
    return [
        story_of(cast, S.DRAFT, photos=[photo]),
        story_of(cast, S.REVIEW, via="byline"),
        story_of(cast, S.PUBLISHED),
        make_article("别人的已发布稿件"),
    ]


@pytest.mark.parametrize("who", ["alice", "editor"])
def test_no_english_on_the_admin_pages_a_reporter_or_an_editor_opens(client, cast, stories, who):
    client.force_login(getattr(cast, who))
    found, seen = walk(client, ["/admin/", *(change_url(story) for story in stories)])
    allowed = data_words()
    found = {url: [w for w in words if w not in allowed] for url, words in found.items()}
    found = {url: words for url, words in found.items() if words}
    assert len(seen) > 20  # the walk did reach the admin
    assert found == {}


def test_no_english_in_the_story_forms_errors(client, cast):
    client.force_login(cast.alice)
    data = add_inline_row(form_data(title=""), "bylines", reporter=cast.alice_profile.pk, role="reporter", order=0)
    add_inline_row(data, "bylines", reporter=cast.alice_profile.pk, role="reporter", order=1)
    html = client.post("/admin/articles/article/add/", data).content.decode()
    assert "errornote" in html
    parts, _ = read_page(html)
    assert english_in(parts) - data_words() == set()


def test_one_history_view_per_story(client, cast):
    story = story_of(cast, S.DRAFT)
    client.force_login(cast.alice)
    html = client.get(change_url(story)).content.decode()
    assert "historylink" not in html and html.count(f"/admin/articles/article/{story.pk}/revisions/") == 1
    history = client.get(f"/admin/articles/article/{story.pk}/history/")
    assert history.status_code == 200 and history.template_name == "admin/articles/article/revisions.html"


def test_a_story_in_review_shows_its_body_formatted_to_the_reporter(client, cast):
    story = story_of(cast, S.REVIEW, via="byline")
    Article.objects.filter(pk=story.pk).update(body="<p><strong>职工</strong>技能竞赛</p>")
    client.force_login(cast.alice)
    html = client.get(change_url(story)).content.decode()
    assert '<div class="body-text"><p><strong>职工</strong>技能竞赛</p></div>' in html
    assert "&lt;p&gt;" not in html

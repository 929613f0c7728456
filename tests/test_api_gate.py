"""No story that the public site does not show is reachable through any API endpoint or filter.

One published story and five hidden ones — a draft, one in review, a scheduled one,
a withdrawn one and one in the 回收站 — share everything the filters look at:
union body, reporter, day, print page, search words and a photo each. Every
endpoint with every filter must show the published one (so the filter matched)
and nothing of the others; /stories/removed may name the withdrawn and deleted
ones by id, and nothing else.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Issue, Page, Placement
from articles.services import workflow

from .factories import make_article, make_photo, make_reporter, make_union, make_user
from .newsroom import sign_off

HIDDEN = "隐藏"


@pytest.fixture(scope="module")
def world(module_db):
    city = make_union("北京市总工会", slug="bjzgh")
    body = make_union("朝阳区总工会", slug="chaoyang", parent=city)
    reporter = make_reporter("张晶", slug="zhang-jing")
    editor = make_user("gate-editor", group="编辑")
    now = timezone.now()
    day = timezone.localdate(now - timedelta(minutes=30))  # the published story's day

    front = Page.objects.create(issue=Issue.objects.create(date=day, is_published=True), number=1)
    unpublished = Page.objects.create(
        issue=Issue.objects.create(date=day - timedelta(days=1), is_published=False), number=1)

    def story(title, **extra):
        article = make_article(title, kicker="蓝天工程", lead="蓝天工程 导语", body="<p>蓝天工程</p>",
                               unions=[body], reporters=[reporter], photos=[make_photo(caption=title)],
                               **extra)
        Placement.objects.create(page=front, article=article, regions=[[[0, 0], [1, 0], [1, 1]]])
        return article

    shown = story("公开的稿件", published_at=now - timedelta(minutes=30))
    hidden = {
        "draft": story(f"{HIDDEN}草稿", status=Article.Status.DRAFT),
        "review": story(f"{HIDDEN}待审", status=Article.Status.REVIEW),
        "scheduled": story(f"{HIDDEN}定时", published_at=now + timedelta(hours=2)),
        "withdrawn": story(f"{HIDDEN}撤回", published_at=now - timedelta(minutes=20)),
        "deleted": story(f"{HIDDEN}删除", published_at=now - timedelta(minutes=10)),
        "scheduled_withdrawn": story(f"{HIDDEN}定时后撤回", published_at=now + timedelta(hours=1)),
    }
    Placement.objects.create(page=unpublished, article=shown, regions=[[[0, 0], [1, 0], [1, 1]]])
    workflow.withdraw(article=hidden["withdrawn"], user=editor, reason="撤回")
    workflow.withdraw(article=hidden["scheduled_withdrawn"], user=editor, reason="不发了")
    workflow.delete_article(article=hidden["deleted"], user=editor)
    return shown, hidden, day


STORY_FILTERS = [
    "", "union=chaoyang", "union=bjzgh", "union=chaoyang&include_sub_bodies=false",
    "reporter=zhang-jing", "day={day}", "date_from={day}&date_to={day}", "print_date={day}&print_page=1",
    "updated_since=2000-01-01T00:00:00%2B08:00", "union=bjzgh&reporter=zhang-jing&day={day}",
    "fields=" + ",".join([
        "title", "kicker", "lead", "body_text", "byline", "union_bodies", "lead_photo", "photos", "corrections",
    "print"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", STORY_FILTERS)
def test_story_lists_show_only_published_stories(client, world, query):
    shown, hidden, day = world
    data = client.get("/api/v1/stories?" + query.format(day=day.isoformat())).json()
    assert [item["id"] for item in data["items"]] == [shown.pk]
    assert HIDDEN not in str(data)


@pytest.mark.django_db
def test_no_hidden_story_or_its_photo_by_id_search_or_photo_list(client, world):
    shown, hidden, day = world
    for story in hidden.values():
        assert client.get(f"/api/v1/stories/{story.pk}").status_code == 404
        photo = Article.all_objects.get(pk=story.pk).photos.get()
        assert client.get(f"/api/v1/photos/{photo.pk}").status_code == 404
    found = client.get("/api/v1/search", {"q": "蓝天工程", "fields": "title,lead_photo"}).json()
    assert [item["id"] for item in found["items"]] == [shown.pk]
    photos = client.get("/api/v1/photos").json()
    assert [story["id"] for photo in photos["items"] for story in photo["stories"]] == [shown.pk]
    for data in (found, photos, client.get(f"/api/v1/stories/{shown.pk}").json()):
        assert HIDDEN not in str(data)


@pytest.mark.django_db
def test_the_e_paper_shows_only_published_issues_and_stories(client, world):
    shown, hidden, day = world
    issue = client.get(f"/api/v1/epaper/issues/{day.isoformat()}").json()
    assert [story["id"] for page in issue["pages"] for story in page["stories"]] == [shown.pk]
    assert HIDDEN not in str(issue) and client.get("/api/v1/epaper/latest").json() == issue
    assert [i["date"] for i in client.get("/api/v1/epaper/issues").json()["items"]] == [day.isoformat()]
    unpublished = (day - timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/epaper/issues/{unpublished}").status_code == 404
    story = client.get(f"/api/v1/stories/{shown.pk}").json()
    assert story["print"]["date"] == day.isoformat()  # not the unpublished issue's day
    printed = client.get("/api/v1/stories", {"print_date": unpublished}).json()
    assert printed["items"] == []


@pytest.mark.django_db
def test_removed_stories_name_only_what_readers_had_seen(client, world):
    shown, hidden, day = world
    data = client.get("/api/v1/stories/removed").json()
    assert {item["id"] for item in data["items"]} == {hidden["withdrawn"].pk, hidden["deleted"].pk}
    assert all(item.keys() == {"id", "removed_at"} for item in data["items"])


@pytest.mark.django_db
def test_a_removed_story_published_again_is_not_removed(client, world):
    shown, hidden, day = world
    editor = make_user("gate-editor-2", group="编辑")
    story = Article.objects.get(pk=hidden["withdrawn"].pk)
    workflow.submit(article=story, user=editor)
    sign_off(story, make_user("gate-signer", group="编辑"))  # three levels, three other editors
    ids = [item["id"] for item in client.get("/api/v1/stories/removed").json()["items"]]
    assert ids == [hidden["deleted"].pk]
    assert story.pk in [item["id"] for item in client.get("/api/v1/stories").json()["items"]]

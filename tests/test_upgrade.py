"""A newsroom's database upgrades from the first migration to the last with its stories intact.

The database is taken back to 0001_initial, and at every migration of the
articles app the stories, bylines, union bodies and a photo that a newsroom
would have had by then are written through that migration's historical models
(the code of the day is gone; `apps` is all a database ever had). Then
`migrate` runs to the end, as on a real upgrade, post_migrate included (it
indexes the stories that predate the search index). Everything must have
survived, be findable and be served.

Runs on SQLite and on PostgreSQL (DATABASE_URL), like the rest of the suite.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import (
    Article,
    ArticleEvent,
    ArticleUnionBody,
    Photo,
    Placement,
    ReviewerGroup,
    SearchEntry,
    UnionBody,
)
from articles.search import search_articles, segment_for_index
from articles.services import permissions, workflow

pytestmark = pytest.mark.django_db(transaction=True)

# One topic per migration, each a title with 劳模 (every published story must be found by it).
TOPICS = [
    "春运路上", "安全生产", "职工书屋", "劳动竞赛", "技能比武", "集体协商", "困难职工", "农民工",
    "女职工", "工匠学院", "疗休养", "职工医疗互助", "新就业形态", "产业工人", "职工之家", "劳动保护",
]
SEARCH_WORD = "劳模"


def articles_migrations(executor):
    """The articles app's migrations, first to last."""
    leaf = executor.loader.graph.leaf_nodes("articles")[0]
    return [node for node in executor.loader.graph.forwards_plan(leaf) if node[0] == "articles"]


def padded(words):
    return f" {' '.join(words)} " if words else ""


def write_newsroom_of_the_day(apps, step, now, expected):
    """What a newsroom had written by migration `step`, through that migration's models.

    Rows are written as that day's code wrote them: a published story's union
    links carry its publication time; once the search index exists, some stories
    have an entry (and, once entries carry it, a listing time) and some do not.
    """
    Article = apps.get_model("articles", "Article")
    UnionBody = apps.get_model("articles", "UnionBody")
    Reporter = apps.get_model("articles", "Reporter")
    Byline = apps.get_model("articles", "Byline")
    ArticleUnionBody = apps.get_model("articles", "ArticleUnionBody")
    models = {model._meta.model_name for model in apps.get_app_config("articles").get_models()}

    root = UnionBody.objects.filter(slug="up-root").first() or UnionBody.objects.create(
        name="升级测试市总工会", slug="up-root", kind="municipal"
    )
    body = UnionBody.objects.create(name=f"升级测试区总工会{step}", slug=f"up-district-{step}",
                                    kind="district", parent=root)
    reporter = Reporter.objects.create(name=f"升级记者{step}", slug=f"up-reporter-{step}")
    veteran = Reporter.objects.filter(slug="up-reporter-0").first() or reporter

    topic = TOPICS[step % len(TOPICS)]
    waiting = {}
    if "reviewlevel" in models:  # that day's code submitted to the first level
        waiting = {"review_level": apps.get_model("articles", "ReviewLevel").objects.order_by("order").first(),
                   "review_policy": apps.get_model("articles", "ReviewPolicy").objects.get(is_default=True)}
    published_at = now - timedelta(days=step + 1, hours=2)
    article_fields = {field.name for field in Article._meta.get_fields()}
    printed = {}
    if "print_date" in article_fields and "issue" not in models:
        # The text importer of the day kept where a story ran in print; 0010 turns that
        # into a placement on that day's issue and page.
        printed = {"print_date": (now - timedelta(days=step + 1)).date(), "print_page": step % 4 + 1}
    stories = {
        "published": Article.objects.create(
            title=f"{topic}{SEARCH_WORD}风采（{step}）", lead=f"{topic}的职工讲述{SEARCH_WORD}故事。",
            body=f"<p>{topic}：第 {step} 个迁移时写下的稿件。</p>",
            status="published", published_at=published_at, **printed,
        ),
        "draft": Article.objects.create(title=f"{topic}{SEARCH_WORD}草稿（{step}）", status="draft"),
        # Waiting for the one-step review of the day: after 0011 it waits at 初审.
        "review": Article.objects.create(
            title=f"{topic}{SEARCH_WORD}待审（{step}）", body=f"<p>{topic}：待审的稿件。</p>",
            status="review", submitted_at=now - timedelta(hours=step + 1), **waiting,
        ),
    }
    # The editor of the day published with one click; the log keeps who.
    User = apps.get_model("auth", "User")
    editor = User.objects.filter(username="up-editor").first() or User.objects.create(
        username="up-editor", first_name="升级编辑", is_staff=True)
    ArticleEvent = apps.get_model("articles", "ArticleEvent")
    named = {"actor_name": "升级编辑"} if "actor_name" in {f.name for f in ArticleEvent._meta.get_fields()} else {}
    ArticleEvent.objects.create(
        article=stories["published"], action="published", from_status="review", to_status="published",
        actor=editor, created_at=published_at, **named,
    )
    for kind, story in stories.items():
        Byline.objects.create(article=story, reporter=reporter, order=0)
        if veteran != reporter:
            Byline.objects.create(article=story, reporter=veteran, role="correspondent", order=1)
        listed = story.published_at if kind == "published" else None
        for union in (body, root):
            ArticleUnionBody.objects.create(article=story, union_body=union, published_at=listed)
        expected[story.pk] = {
            "title": story.title, "status": kind, "published_at": story.published_at,
            "reporters": sorted({reporter.slug, veteran.slug}), "unions": sorted({body.slug, root.slug}),
            "photo": None,
            "printed": (printed["print_date"], printed["print_page"]) if printed and kind == "published" else None,
        }

    if step == 0:  # the photo library predates everything else
        Photo = apps.get_model("articles", "Photo")
        ArticlePhoto = apps.get_model("articles", "ArticlePhoto")
        photo = Photo.objects.create(image="photos/2019/legacy.jpg", width=1200, height=800,
                                     caption="老照片：劳模表彰大会", credit_reporter=reporter)
        ArticlePhoto.objects.create(article=stories["published"], photo=photo, is_lead=True)
        expected[stories["published"].pk]["photo"] = photo.pk

    # That day's save() indexed some stories. From 0013 on it wrote their postings too,
    # which historical models cannot: those stories are left to `migrate`'s re-index.
    if "searchentry" in models and "searchterm" not in models and step % 2:
        SearchEntry = apps.get_model("articles", "SearchEntry")
        fields = {field.name for field in SearchEntry._meta.get_fields()}
        story = stories["published"]
        entry = {"title_tokens": padded(segment_for_index(story.title)),
                 "tokens": padded(segment_for_index(f"{story.title}\n{story.lead}"))}
        if "published_at" in fields:
            entry["published_at"] = story.published_at
        SearchEntry.objects.create(article_id=story.pk, **entry)


def test_a_database_with_stories_upgrades_from_the_first_migration_to_the_last(client):
    now = timezone.now()
    expected = {}
    executor = MigrationExecutor(connection)
    steps = articles_migrations(executor)
    assert len(steps) > 1 and steps[0] == ("articles", "0001_initial")
    upgraded = False
    try:
        executor.migrate([steps[0]])  # back to the very first schema, every later table gone
        for step, node in enumerate(steps):
            executor = MigrationExecutor(connection)  # reads what is applied now
            executor.migrate([node])
            apps = executor.loader.project_state(node).apps
            write_newsroom_of_the_day(apps, step, now, expected)
        # An upgrade: `migrate` to the end, post_migrate hooks included.
        call_command("migrate", verbosity=0, interactive=False)
        upgraded = True
    finally:
        if not upgraded:  # leave the test database fully migrated for the tests after this one
            call_command("migrate", verbosity=0, interactive=False)

    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes()), "not fully migrated"

    # Every story survived, with its bylines, union bodies and photo.
    stories = Article.all_objects.in_bulk(list(expected))
    assert len(stories) == len(expected) == 3 * len(steps)
    for pk, want in expected.items():
        story = stories[pk]
        assert (story.title, story.status, story.published_at) == (
            want["title"], want["status"], want["published_at"]
        )
        assert story.deleted_at is None
        assert sorted(story.reporters.values_list("slug", flat=True)) == want["reporters"]
        assert sorted(story.union_bodies.values_list("slug", flat=True)) == want["unions"]
        photos = list(story.photo_links.values_list("photo_id", "is_lead"))
        assert photos == ([(want["photo"], True)] if want["photo"] else [])
    # 三审三校 (0011): what was in review waits at the first level of the default policy,
    # published stories keep their log as it was (with the actor's name beside the
    # account), and the editors of the day may act at every level.
    in_review = [stories[pk] for pk, want in expected.items() if want["status"] == "review"]
    assert {(s.review_level.name, s.review_policy.is_default) for s in in_review} == {("初审", True)}
    assert {s.review_level_id for s in stories.values() if s.status != "review"} == {None}
    legacy_events = ArticleEvent.objects.filter(action="published")
    assert legacy_events.count() == len(steps)
    assert {(e.actor_name, e.level_name, e.comment) for e in legacy_events} == {("升级编辑", "", "")}
    editor = get_user_model().objects.get(username="up-editor")
    editor.groups.add(Group.objects.get(name="编辑"))
    reporter = get_user_model().objects.create(username="up-reporter", is_staff=True)
    for level in ("初审", "复审", "终审"):
        assert ReviewerGroup.objects.filter(level__name=level, group__name="编辑").exists()
    workflow.pass_level(article=in_review[0], user=editor, opinion="升级后照常审稿")
    assert in_review[0].review_level.name == "复审"
    assert not permissions.can_review(reporter, in_review[1])
    legacy = Photo.objects.get()
    assert (legacy.width, legacy.height, legacy.renditions, legacy.original) == (1200, 800, {}, "")

    # 0010: each story printed before the e-paper existed is placed on its day's page,
    # and that day's issue is public (those pages were already public in the day archive).
    printed = {pk: want["printed"] for pk, want in expected.items() if want["printed"]}
    assert printed, "no migration before 0010 kept print positions: the conversion went untested"
    placed = {p.article_id: (p.page.issue.date, p.page.number, p.page.issue.is_published)
              for p in Placement.objects.select_related("page__issue")}
    assert placed == {pk: (day, number, True) for pk, (day, number) in printed.items()}

    # Union links list published stories at their publication time, drafts not at all.
    links = ArticleUnionBody.objects.select_related("article")
    assert links.count() == 2 * len(expected)
    for link in links:
        assert link.published_at == link.article.listing_time, link

    # Every story has a search entry (those older than the index were added after migrate),
    # carrying its listing time; a search finds every published story.
    entries = SearchEntry.objects.in_bulk(list(expected))
    assert set(entries) == set(expected)
    for pk, entry in entries.items():
        assert entry.published_at == stories[pk].listing_time
        assert SEARCH_WORD in entry.tokens.split()
    published = {pk for pk, want in expected.items() if want["status"] == "published"}
    assert {story.pk for story in search_articles(SEARCH_WORD).articles(1000)} == published
    assert {story.pk for story in search_articles(TOPICS[0]).articles(1000)} == {
        pk for pk in published if stories[pk].title.startswith(TOPICS[0])
    }

    # The public pages serve them; drafts stay unseen.
    drafts = [stories[pk] for pk in expected if pk not in published]
    root = UnionBody.objects.get(slug="up-root")
    pages = {url: client.get(url) for url in [
        "/", "/unions/", root.get_absolute_url(), f"/search/?q={SEARCH_WORD}", "/feeds/latest/",
    ]}
    for url, response in pages.items():
        assert response.status_code == 200, url
    for pk in published:
        story = stories[pk]
        for url in ("/", root.get_absolute_url(), f"/search/?q={SEARCH_WORD}", "/feeds/latest/"):
            # The link, not the title: the search page marks the words it matched.
            assert story.get_absolute_url() in pages[url].content.decode(), (url, story.title)
        page = client.get(story.get_absolute_url())
        assert page.status_code == 200 and story.title in page.content.decode()
        for union in story.union_bodies.all():
            assert story.title in client.get(union.get_absolute_url()).content.decode()
    for draft in drafts:
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert all(draft.get_absolute_url() not in response.content.decode() for response in pages.values())
    with_photo = stories[next(pk for pk, want in expected.items() if want["photo"])]
    assert "/media/photos/2019/legacy.jpg" in client.get(with_photo.get_absolute_url()).content.decode()
    reporter_page = client.get("/reporters/up-reporter-0/")
    assert reporter_page.status_code == 200 and with_photo.title in reporter_page.content.decode()

"""Every cell of DESIGN.md's permission table, through the admin and through a crafted POST.

三审三校: passing a level, sending back, returning and signing off are each
tried at the level they belong to (a story at 初审, 复审 or 终审, the levels
below passed by two other editors).

Roles: a reporter on their own story, a reporter on someone else's story, an
editor, an administrator, and two editors limited to union bodies (EditorScope):
one whose district the story belongs to, one of another district. For each cell the admin page offers the action exactly
when it is allowed, the POST succeeds exactly when it is allowed, and a refused
POST leaves every row of the database as it was.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, ArticleEvent, Reporter, UnionBody

from .factories import make_article
from .newsroom import change_url, form_data, snapshot, story_of, transition_url, walk

pytestmark = pytest.mark.django_db

S = Article.Status
ROLES = ["reporter_own", "reporter_other", "editor", "admin", "district_editor", "other_editor"]
EDITORS = {"editor", "admin", "district_editor"}  # who decides on a story of 朝阳区

# DESIGN.md, "Editorial workflow": action → roles allowed; a scoped editor only in scope.
TABLE = {
    "create": {"reporter_own", "editor", "admin", "district_editor"},
    "edit_own_draft": {"reporter_own"} | EDITORS,
    "see_others_drafts": EDITORS,
    "submit": {"reporter_own"} | EDITORS,
    "edit_in_review": EDITORS,
    "recall": {"reporter_own"},
    "pass": EDITORS,
    "send_back": EDITORS,
    "publish": EDITORS,
    "schedule": EDITORS,
    "return": EDITORS,
    "withdraw": EDITORS,
    "correct_published": EDITORS,
    "manage_union_bodies": {"admin"},
    "manage_reporters": {"admin"},
    "manage_users": {"admin"},
}
# "Create" and the directory are not about anybody's story: one reporter cell
# and one scoped-editor cell each.
NOT_ABOUT_A_STORY = {"create", "manage_union_bodies", "manage_reporters", "manage_users"}
CELLS = [
    (action, role, role in allowed)
    for action, allowed in TABLE.items()
    for role in ROLES
    if not (action in NOT_ABOUT_A_STORY and role in {"reporter_other", "other_editor"})
    # "Others' drafts" seen by a reporter is the reporter_other cell (bob opens alice's draft).
    and not (action == "see_others_drafts" and role == "reporter_own")
]


@pytest.fixture
def cast(districts):
    """The cast with 朝阳's editor and 石景山's (conftest's `districts`).

    The stories are of 朝阳区 (cast.body); one editor is limited to it, one to 石景山区.
    """
    cast = districts.cast
    cast.district_editor, cast.other_editor = districts.district_editor, districts.other_editor
    return cast


def actor(cast, role):
    return {"reporter_own": cast.alice, "reporter_other": cast.bob,
            "editor": cast.editor, "admin": cast.admin,
            "district_editor": cast.district_editor, "other_editor": cast.other_editor}[role]


# Each action: (state of alice's story it needs, how to offer it in the page, the POST, did it happen?)

def _story_for(cast, action):
    status = {
        "edit_own_draft": S.DRAFT, "see_others_drafts": S.DRAFT, "submit": S.DRAFT,
        "edit_in_review": S.REVIEW, "publish": S.REVIEW, "schedule": S.REVIEW,
        "recall": S.REVIEW, "pass": S.REVIEW, "send_back": S.REVIEW,
        "return": S.REVIEW, "withdraw": S.PUBLISHED, "correct_published": S.PUBLISHED,
    }.get(action)
    if status is None:
        return None
    # Ownership through the byline for half the actions, through created_by for the rest.
    via = "byline" if action in {"submit", "edit_in_review", "publish", "withdraw", "pass"} else "created_by"
    story = story_of(cast, status, via=via, title="爱丽丝的稿件")
    # 三审三校: signing off happens at 终审, sending back from 复审; other editors passed below.
    if action in {"publish", "schedule"}:
        walk(story, "终审")
    elif action == "send_back":
        walk(story, "复审")
    return story


def offered(client, action, story):
    """Does the admin offer the action to this user?"""
    if action == "create":
        return client.get("/admin/articles/article/add/").status_code == 200
    if action.startswith("manage_"):
        url = {"manage_union_bodies": "/admin/articles/unionbody/add/",
               "manage_reporters": "/admin/articles/reporter/add/",
               "manage_users": "/admin/auth/user/add/"}[action]
        return client.get(url).status_code == 200
    response = client.get(change_url(story))
    if response.status_code != 200:
        return False
    page = response.content.decode()
    if action == "see_others_drafts":
        return "爱丽丝的稿件" in page
    if action in {"edit_own_draft", "edit_in_review", "correct_published"}:
        return 'name="_save"' in page
    return f"workflow-button--{action}" in page


def perform(client, action, story, cast):
    """The POST a crafted request (or the admin's button) sends."""
    if action == "create":
        return client.post("/admin/articles/article/add/", form_data(title="新写的稿件"))
    if action == "manage_union_bodies":
        return client.post("/admin/articles/unionbody/add/", {
            "name": "新工会", "short_name": "", "slug": "xin", "kind": "other", "parent": "",
            "aliases": "", "description": "", "is_active": "on", "sort_order": "0",
        })
    if action == "manage_reporters":
        return client.post("/admin/articles/reporter/add/", {
            "name": "新记者", "slug": "xin-jizhe", "user": "", "role": "reporter", "bio": "",
            "is_active": "on",
        })
    if action == "manage_users":
        return client.post("/admin/auth/user/add/", {
            "username": "newcomer", "password1": "a-Long-pass-4-tests", "password2": "a-Long-pass-4-tests",
            "usable_password": "true",
        })
    if action == "see_others_drafts":
        return client.get(change_url(story))
    if action in {"edit_own_draft", "edit_in_review", "correct_published"}:
        return client.post(change_url(story), form_data(story, title="改过的标题", change_note="更正错字"))
    version = str(story.version)
    data = {"version": version}
    if action in {"return", "withdraw", "send_back", "pass", "publish", "schedule"}:
        data["reason"] = "理由或意见"
    if action == "schedule":
        data["publish_at"] = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return client.post(transition_url(story, action), data)


def happened(action, story, response):
    if action == "create":
        return Article.objects.filter(title="新写的稿件").exists()
    if action == "manage_union_bodies":
        return UnionBody.objects.filter(slug="xin").exists()
    if action == "manage_reporters":
        return Reporter.objects.filter(slug="xin-jizhe").exists()
    if action == "manage_users":
        return get_user_model().objects.filter(username="newcomer").exists()
    if action == "see_others_drafts":
        return response.status_code == 200 and "爱丽丝的稿件" in response.content.decode()
    story.refresh_from_db()
    if action in {"edit_own_draft", "edit_in_review"}:
        return story.title == "改过的标题"
    if action == "correct_published":
        return story.title == "改过的标题" and story.events.filter(
            action=ArticleEvent.Action.CORRECTED, comment="更正错字").exists()
    if action in {"pass", "send_back"}:
        return story.review_level.name == {"pass": "复审", "send_back": "初审"}[action]
    expected = {"submit": S.REVIEW, "publish": S.PUBLISHED, "schedule": S.PUBLISHED,
                "return": S.DRAFT, "withdraw": S.DRAFT, "recall": S.DRAFT}[action]
    return story.status == expected


@pytest.mark.parametrize("action, role, allowed", CELLS, ids=[f"{a}-{r}" for a, r, _ in CELLS])
def test_permission_table_cell(client, cast, action, role, allowed):
    """The admin offers the action, and a POST does it, exactly when DESIGN.md allows it."""
    story = _story_for(cast, action)
    client.force_login(actor(cast, role))

    assert offered(client, action, story) is allowed

    before = snapshot()
    response = perform(client, action, story, cast)
    # A story the user may not open is "not found" (404), never "forbidden".
    assert response.status_code in (200, 302, 403, 404)
    assert happened(action, story, response) is allowed
    if not allowed:
        assert snapshot() == before, "a refused action must leave the database unchanged"


def test_a_refused_transition_says_why_in_chinese(client, cast):
    story = walk(story_of(cast, S.REVIEW), "终审")
    client.force_login(cast.alice)
    response = client.post(transition_url(story, "publish"), {"version": story.version, "reason": "同意"},
                           follow=True)
    assert "只有编辑可以审稿" in response.content.decode()


def test_a_reporter_cannot_set_status_or_time_through_the_form(client, cast):
    """status and published_at are not form fields: a crafted POST carrying them is saved without them."""
    story = story_of(cast, S.DRAFT)
    client.force_login(cast.alice)
    data = form_data(story, title="记者改过的标题", status="published",
                     published_at_0="2020-01-01", published_at_1="08:00")
    response = client.post(change_url(story), data)
    assert response.status_code == 302  # saved, back to the list
    story.refresh_from_db()
    assert story.title == "记者改过的标题"
    assert story.status == S.DRAFT and story.published_at is None
    assert not Article.objects.published().filter(pk=story.pk).exists()


def test_a_reporter_lists_only_own_stories(client, cast):
    mine_by_byline = story_of(cast, S.DRAFT, via="byline", title="署名是我的")
    mine_created = story_of(cast, S.PUBLISHED, title="我创建的")
    others = make_article("别人的草稿", status=S.DRAFT, created_by=cast.bob)
    client.force_login(cast.alice)
    page = client.get("/admin/articles/article/").content.decode()
    assert mine_by_byline.title in page and mine_created.title in page
    assert others.title not in page

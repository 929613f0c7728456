"""The admin's side doors keep the front door's rules.

Every role (anonymous, a reporter who does not own the stories, an editor, an
administrator, and a staff account in no group) × every admin endpoint: the
lists, add, change, delete, history, every action, autocomplete for each model,
the workflow transitions, the desk, import, the 回收站, bulk upload and
CKEditor's upload and browse. A cell succeeds only where the table says so; a
refused POST leaves every row as it was.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleEvent, ReviewLevel, ReviewPolicy
from articles.services import revisions, sharing, workflow

from .factories import make_photo, make_reporter, make_union, make_user
from .images import encode, two_tone, upload
from .newsroom import form_data, make_cast, snapshot, story_of, walk

pytestmark = pytest.mark.django_db

S = Article.Status
ROLES = ["anonymous", "reporter", "editor", "admin", "staff"]
NEWSROOM = {"reporter", "editor", "admin"}
EDITORS = {"editor", "admin"}
ADMIN = {"admin"}
NOBODY = set()

A, U, R, P = (f"/admin/articles/{m}/" for m in ("article", "unionbody", "reporter", "photo"))
E = "/admin/articles/articleevent/"


class World:
    """Alice's stories (the reporter actor is bob), unused directory entries, a log entry."""

    def __init__(self):
        cast = make_cast()
        self.users = {"reporter": cast.bob, "editor": cast.editor, "admin": cast.admin,
                      "staff": make_user("staff-no-group")}
        self.draft = story_of(cast, S.DRAFT, title="爱丽丝的草稿甲")
        self.review = story_of(cast, S.REVIEW, via="byline", title="爱丽丝的待审稿")
        # 三审三校: the lower levels passed by two other editors.
        self.second = walk(story_of(cast, S.REVIEW, via="byline", title="爱丽丝的复审稿"), "复审")
        self.final = walk(story_of(cast, S.REVIEW, via="byline", title="爱丽丝的终审稿"), "终审")
        self.level = ReviewLevel.objects.get(name="复审")
        self.policy = ReviewPolicy.objects.get(is_default=True)
        self.published = story_of(cast, S.PUBLISHED, title="已发布的稿件")
        self.deleted = story_of(cast, S.DRAFT, title="回收站的稿件")
        workflow.delete_article(article=self.deleted, user=cast.editor)
        self.event = ArticleEvent.objects.create(
            article=self.draft, action=ArticleEvent.Action.CREATED, actor=cast.alice)
        self.body = make_union("没人用的工会", slug="unused-union")
        self.reporter = make_reporter("没人用的记者", slug="unused-reporter")
        self.photo = make_photo(caption="没人用的图片")
        self.alice = cast.alice
        self.draft_version = revisions.history(self.draft).last()  # its first version
        self.share_link = sharing.create_link(article=self.draft, user=cast.editor, days=3)


def changed(before):
    return snapshot() != before


def page_ok(response):
    """A page was shown (not a refusal, a redirect to log in, or "does not exist")."""
    return response.status_code == 200 and 'id="login-form"' not in response.content.decode()


def editable_form(field):
    return lambda response, w, before: page_ok(response) and f'name="{field}"' in response.content.decode() \
        and '<div class="readonly">' not in response.content.decode().split(f'name="{field}"')[0][-300:]


def shows(text):
    return lambda response, w, before: page_ok(response) and text(w) in response.content.decode()


def found(text):
    """Autocomplete returned the object."""
    def check(response, w, before):
        if response.status_code != 200:
            return False
        return any(r["text"] == text(w) for r in json.loads(response.content)["results"])
    return check


def did_change(response, w, before):
    return changed(before)


def get(url, check=None):
    return ("get", url, None, check or (lambda response, w, before: page_ok(response)))


def post(url, data=None, check=did_change):
    return ("post", url, data or (lambda w: {}), check)


def action(base, name, objs):
    return post(base, lambda w: {"action": name, "_selected_action": [o.pk for o in objs(w)], "post": "yes"})


def transition(name, story, **extra):
    return post(lambda w: f"{A}{story(w).pk}/transition/{name}/",
                lambda w: {"version": story(w).version, **extra})


def autocomplete(app, model, field, term):
    return f"/admin/autocomplete/?app_label={app}&model_name={model}&field_name={field}&term={term}"


def jpeg():
    return upload("paste.jpg", encode(two_tone((400, 300)), "JPEG"))


TOMORROW = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

# endpoint → (request, roles for which it may succeed)
ENDPOINTS = {
    # --- stories
    "article changelist": (get(A), NEWSROOM),
    "article changelist shows others' drafts": (get(A, shows(lambda w: w.draft.title)), EDITORS),
    "article add": (get(f"{A}add/"), NEWSROOM),
    "article change form": (get(lambda w: f"{A}{w.draft.pk}/change/"), EDITORS),
    "article change POST": (post(lambda w: f"{A}{w.draft.pk}/change/",
                                 lambda w: form_data(w.draft, title="改过的标题")), EDITORS),
    "article save as new": (post(lambda w: f"{A}{w.published.pk}/change/",
                                 lambda w: {**form_data(w.published, title="另存的稿件"), "_saveasnew": "1"}), NOBODY),
    "article delete page": (get(lambda w: f"{A}{w.draft.pk}/delete/"), EDITORS),
    "article delete POST": (post(lambda w: f"{A}{w.published.pk}/delete/", lambda w: {"post": "yes"}), EDITORS),
    "article history": (get(lambda w: f"{A}{w.draft.pk}/history/"), EDITORS),
    "article action delete_selected": (action(A, "delete_selected", lambda w: [w.draft, w.published]), EDITORS),
    "article action publish_selected": (action(A, "publish_selected", lambda w: [w.final]), EDITORS),
    "article action publish_selected (not at 终审)": (
        action(A, "publish_selected", lambda w: [w.review, w.second]), NOBODY),
    "transition submit": (transition("submit", lambda w: w.draft), EDITORS),
    "transition publish": (transition("publish", lambda w: w.final, reason="同意"), EDITORS),
    "transition publish (skipping levels)": (transition("publish", lambda w: w.review, reason="同意"), NOBODY),
    "transition schedule": (transition("schedule", lambda w: w.final, publish_at=TOMORROW, reason="同意"), EDITORS),
    "transition pass": (transition("pass", lambda w: w.review, reason="同意"), EDITORS),
    "transition pass (without an opinion)": (transition("pass", lambda w: w.review), NOBODY),
    "transition send_back": (transition("send_back", lambda w: w.second, reason="请初审再核"), EDITORS),
    "transition recall (someone else's story)": (transition("recall", lambda w: w.review), NOBODY),
    "review slip": (get(lambda w: f"{A}{w.final.pk}/slip/", shows(lambda w: "复审 乙")), EDITORS),
    "review slip PDF": (get(lambda w: f"{A}{w.final.pk}/slip.pdf",
                            lambda response, w, before: response.status_code == 200
                            and response.content.startswith(b"%PDF")), EDITORS),
    "transition return": (transition("return", lambda w: w.review, reason="补充采访"), EDITORS),
    "transition withdraw": (transition("withdraw", lambda w: w.published, reason="撤稿"), EDITORS),
    "desk": (get(f"{A}desk/"), NEWSROOM),
    "import": (get(f"{A}import/"), EDITORS),
    "trash": (get(f"{A}trash/"), EDITORS),
    "restore": (post(lambda w: f"{A}{w.deleted.pk}/restore/"), EDITORS),
    # --- revisions, comments, preview and share links (others' draft)
    "comment POST": (post(lambda w: f"{A}{w.draft.pk}/comment/", lambda w: {"text": "请核实人数"}), EDITORS),
    "revisions": (get(lambda w: f"{A}{w.draft.pk}/revisions/"), EDITORS),
    "revision restore POST": (post(lambda w: f"{A}{w.draft.pk}/revisions/{w.draft_version.pk}/restore/",
                                   lambda w: {"version": w.draft.version}), EDITORS),
    "staff preview": (get(lambda w: f"{A}{w.draft.pk}/preview/", shows(lambda w: w.draft.title)), EDITORS),
    "share link POST": (post(lambda w: f"{A}{w.draft.pk}/share/", lambda w: {"days": "3"}), EDITORS),
    "share link revoke POST": (post(lambda w: f"{A}{w.draft.pk}/share/{w.share_link.pk}/revoke/"), EDITORS),
    "autocomplete article (others' draft)": (
        get(autocomplete("articles", "articleevent", "article", "爱丽丝"), found(lambda w: w.draft.title)), EDITORS),
    "autocomplete article (the 回收站)": (
        get(autocomplete("articles", "articleevent", "article", "回收站"), found(lambda w: w.deleted.title)), NOBODY),
    # --- union bodies
    "union changelist": (get(U), NEWSROOM),
    "union add": (get(f"{U}add/"), ADMIN),
    "union change form": (get(lambda w: f"{U}{w.body.pk}/change/", editable_form("name")), ADMIN),
    "union change POST": (post(lambda w: f"{U}{w.body.pk}/change/", lambda w: {
        "name": "改名的工会", "short_name": "", "slug": "unused-union", "kind": "other", "parent": "",
        "aliases": "", "description": "", "is_active": "on", "sort_order": "0"}), ADMIN),
    "union delete POST": (post(lambda w: f"{U}{w.body.pk}/delete/", lambda w: {"post": "yes"}), ADMIN),
    "union action delete_selected": (action(U, "delete_selected", lambda w: [w.body]), ADMIN),
    "union history": (get(lambda w: f"{U}{w.body.pk}/history/"), NEWSROOM),
    "autocomplete union": (
        get(autocomplete("articles", "articleunionbody", "union_body", "没人用"), found(lambda w: w.body.name)), NEWSROOM),
    # --- reporters
    "reporter changelist": (get(R), NEWSROOM),
    "reporter add": (get(f"{R}add/"), ADMIN),
    "reporter change form": (get(lambda w: f"{R}{w.reporter.pk}/change/", editable_form("name")), ADMIN),
    "reporter change POST": (post(lambda w: f"{R}{w.reporter.pk}/change/", lambda w: {
        "name": "改名的记者", "slug": "unused-reporter", "user": "", "role": "reporter", "bio": "",
        "is_active": "on"}), ADMIN),
    "reporter delete POST": (post(lambda w: f"{R}{w.reporter.pk}/delete/", lambda w: {"post": "yes"}), ADMIN),
    "reporter action delete_selected": (action(R, "delete_selected", lambda w: [w.reporter]), ADMIN),
    "reporter history": (get(lambda w: f"{R}{w.reporter.pk}/history/"), NEWSROOM),
    "autocomplete reporter": (
        get(autocomplete("articles", "byline", "reporter", "没人用"), found(lambda w: str(w.reporter))), NEWSROOM),
    # --- photos
    "photo changelist": (get(P), NEWSROOM),
    "photo add": (get(f"{P}add/"), NEWSROOM),
    "photo change POST": (post(lambda w: f"{P}{w.photo.pk}/change/", lambda w: {
        "caption": "改过的说明", "alt_text": "", "credit_reporter": "", "credit_text": "",
        "taken_on": "", "union_body": ""}), EDITORS),  # a reporter: only their own unused photos
    "photo delete POST": (post(lambda w: f"{P}{w.photo.pk}/delete/", lambda w: {"post": "yes"}), EDITORS),
    "photo action delete_selected": (action(P, "delete_selected", lambda w: [w.photo]), EDITORS),
    "photo history": (get(lambda w: f"{P}{w.photo.pk}/history/"), NEWSROOM),
    "photo bulk upload": (get(f"{P}bulk-upload/"), NEWSROOM),
    "autocomplete photo": (
        get(autocomplete("articles", "articlephoto", "photo", "没人用"), found(lambda w: str(w.photo))), NEWSROOM),
    "ckeditor upload": (post("/admin/editor/upload/", lambda w: {"upload": jpeg()}), NEWSROOM),
    "ckeditor browse": (get("/admin/editor/browse/", shows(lambda w: "没人用的图片")), NEWSROOM),
    # --- the log
    "event changelist shows others' events": (get(E, shows(lambda w: w.draft.title)), EDITORS),
    "event detail": (get(lambda w: f"{E}{w.event.pk}/change/"), EDITORS),
    "event delete POST": (post(lambda w: f"{E}{w.event.pk}/delete/", lambda w: {"post": "yes"}), NOBODY),
    "event action delete_selected": (action(E, "delete_selected", lambda w: [w.event]), NOBODY),
    "event change POST": (post(lambda w: f"{E}{w.event.pk}/change/", lambda w: {"comment": "改过的意见"}), NOBODY),
    # --- the review setup and the 机审 word lists
    "review level changelist": (get("/admin/articles/reviewlevel/", shows(lambda w: "复审")), EDITORS),
    "review policy change form": (get(lambda w: f"/admin/articles/reviewpolicy/{w.policy.pk}/change/",
                                      editable_form("name")), ADMIN),
    "word list changelist": (get("/admin/articles/wordlist/"), EDITORS),
    "review level change POST": (post(lambda w: f"/admin/articles/reviewlevel/{w.level.pk}/change/", lambda w: {
        "name": "二审", "order": "2", "description": "", "reviewers-TOTAL_FORMS": "0",
        "reviewers-INITIAL_FORMS": "0", "reviewers-MIN_NUM_FORMS": "0", "reviewers-MAX_NUM_FORMS": "1000"}),
        ADMIN),
    "word list add POST": (post("/admin/articles/wordlist/add/", lambda w: {
        "name": "新词表", "description": "", "is_active": "on", "bulk": "做为|替换|作为",
        "words-TOTAL_FORMS": "0", "words-INITIAL_FORMS": "0", "words-MIN_NUM_FORMS": "0",
        "words-MAX_NUM_FORMS": "200"}), ADMIN),
    # --- accounts and the login log
    "user changelist": (get("/admin/auth/user/"), ADMIN),
    "user change form": (get(lambda w: f"/admin/auth/user/{w.alice.pk}/change/"), ADMIN),
    "user history": (get(lambda w: f"/admin/auth/user/{w.alice.pk}/history/"), ADMIN),
    "user delete POST": (post(lambda w: f"/admin/auth/user/{w.alice.pk}/delete/", lambda w: {"post": "yes"}), ADMIN),
    "autocomplete user": (
        get(autocomplete("articles", "reporter", "user", "alice"), found(lambda w: "alice")), ADMIN),
    "group changelist": (get("/admin/auth/group/"), ADMIN),
    "login attempts (axes)": (get("/admin/axes/accessattempt/"), ADMIN),
}

CELLS = [(endpoint, role) for endpoint in ENDPOINTS for role in ROLES]


@pytest.fixture(scope="module")
def world(module_db):
    """Built once: every cell starts from it, and what a cell changes is rolled back."""
    return World()


@pytest.mark.parametrize("endpoint,role", CELLS, ids=[f"{e} · {r}" for e, r in CELLS])
def test_side_door(client, world, module_files, endpoint, role):
    (method, url, data, succeeded), allowed = ENDPOINTS[endpoint]
    if role != "anonymous":
        client.force_login(world.users[role])
    url = url(world) if callable(url) else url
    before = snapshot()
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data(world))
    assert response.status_code < 500
    success = succeeded(response, world, before)
    if role in allowed:
        assert success, f"{role} should be able to: {endpoint} ({response.status_code})"
    else:
        assert not success, f"{role} must not: {endpoint} ({response.status_code})"
        if method == "post":
            assert not changed(before), f"{role} changed data through: {endpoint}"

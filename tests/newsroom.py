"""Helpers for newsroom admin tests: the cast, form data as the admin posts it, DB snapshots."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from articles.models import (
    Article,
    ArticleEvent,
    ArticlePhoto,
    ArticleUnionBody,
    Byline,
    Correction,
    EditorialComment,
    EditorScope,
    ListedWord,
    Photo,
    Reporter,
    ReviewerGroup,
    ReviewLevel,
    ReviewPolicy,
    ShareLink,
    UnionBody,
    WordList,
)

from .factories import make_article, make_reporter, make_union, make_user

INLINES = [
    ("union_links", "union_links", ["union_body"]),
    ("bylines", "bylines", ["reporter", "role", "order"]),
    ("photo_links", "photo_links", ["photo", "order", "is_lead"]),
]


@dataclass
class Cast:
    alice: object  # reporter, owns the stories (byline or created_by)
    bob: object  # another reporter
    editor: object
    admin: object
    body: object
    alice_profile: object


def make_cast():
    alice = make_user("alice", group="记者", first_name="记者 爱丽丝")
    bob = make_user("bob", group="记者")
    editor = make_user("editor1", group="编辑")
    admin = make_user("boss", is_superuser=True)
    return Cast(
        alice=alice, bob=bob, editor=editor, admin=admin,
        body=make_union("朝阳区总工会", slug="chaoyang"),
        alice_profile=make_reporter("爱丽丝", user=alice),
    )


def story_of(cast, status, via="created_by", **extra):
    """A story of alice's in `status`: created by her, or naming her in the byline."""
    if via == "created_by":
        return make_article(status=status, created_by=cast.alice, unions=[cast.body],
                            body="<p>正文</p>", **extra)
    return make_article(status=status, reporters=[cast.alice_profile], unions=[cast.body],
                        body="<p>正文</p>", **extra)


def form_data(story=None, **fields):
    """The POST the article change form sends, with its inline rows as stored."""
    data = {
        "kicker": "", "title": "新写的稿件", "subtitle": "", "source_label": "本报讯",
        "lead": "", "body": "<p>正文</p>", "print_date": "", "print_page": "",
    }
    if story is not None:
        data.update(
            kicker=story.kicker, title=story.title, subtitle=story.subtitle,
            source_label=story.source_label, lead=story.lead, body=story.body,
            expected_version=str(story.version),
        )
    for prefix, accessor, names in INLINES:
        rows = list(getattr(story, accessor).all()) if story is not None else []
        data.update({
            f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        })
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-article"] = str(story.pk)
            for name in names:
                value = getattr(row, name + "_id", None) if name in ("union_body", "reporter", "photo") else getattr(row, name)
                if value is True:
                    data[f"{prefix}-{i}-{name}"] = "on"
                elif value is not None and value is not False:
                    data[f"{prefix}-{i}-{name}"] = str(value)
    data.update(fields)
    return data


def add_inline_row(data, prefix, **values):
    """Append a new inline row (e.g. a union body) to `data`."""
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(i + 1)
    for name, value in values.items():
        data[f"{prefix}-{i}-{name}"] = str(value)
    return data


SNAPSHOT_MODELS = [
    Article, ArticleEvent, ArticleUnionBody, Byline, ArticlePhoto, Photo, Reporter, UnionBody,
    EditorialComment, ShareLink, Correction, EditorScope,
    ReviewLevel, ReviewerGroup, ReviewPolicy, WordList, ListedWord,
]


def snapshot():
    """Every row the newsroom can change, for before/after comparisons."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}
    rows["User"] = list(
        get_user_model().objects.order_by("pk").values(
            "pk", "username", "is_staff", "is_superuser", "is_active", "password"
        )
    )
    return rows


def change_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def transition_url(story, action):
    return f"/admin/articles/article/{story.pk}/transition/{action}/"


# --- 三审三校 ------------------------------------------------------------------------------


def level_editors():
    """Two editors who pass the lower levels in tests (the cast's editor1 signs off)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return [User.objects.filter(username=name).first() or make_user(name, group="编辑", first_name=shown)
            for name, shown in (("chushen1", "初审 甲"), ("fushen1", "复审 乙"))]


def walk(story, to="终审", by=None):
    """Pass `story` (in review) level by level until it waits at `to`, one editor per level."""
    from articles.services import workflow

    by = list(by or level_editors())
    story.refresh_from_db()
    while story.review_level.name != to:
        workflow.pass_level(article=story, user=by.pop(0), opinion=f"{story.review_level.name}同意。")
    return story


def at_final(cast, **extra):
    """A story of alice's waiting at 终审, its lower levels passed by other editors."""
    from articles.services import workflow

    story = story_of(cast, Article.Status.DRAFT, **extra)
    workflow.submit(article=story, user=cast.alice)
    return walk(story)


def sign_off(story, user, **kwargs):
    """Sign `story` off (publish it) from wherever it is in review, other editors passing the rest."""
    from articles.services import workflow

    walk(story)
    kwargs.setdefault("opinion", "同意签发。")
    return workflow.publish(article=story, user=user, **kwargs)

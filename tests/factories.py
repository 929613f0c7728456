"""Small builders for test data: each makes one valid object with sensible defaults."""

import itertools
from datetime import timedelta
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Byline, Reporter, UnionBody
from articles.photos import ingest_photo
from demo.demo import draw_photo

_seq = itertools.count(1)


def make_union(name=None, parent=None, **extra):
    n = next(_seq)
    return UnionBody.objects.create(
        name=name or f"测试工会{n}", slug=extra.pop("slug", f"union-{n}"), parent=parent, **extra
    )


def make_reporter(name=None, user=None, **extra):
    n = next(_seq)
    return Reporter.objects.create(
        name=name or f"记者{n}", slug=extra.pop("slug", f"reporter-{n}"), user=user, **extra
    )


def ensure_role_groups():
    """The 记者/编辑 groups exactly as migration 0002 makes them.

    A transactional test (the browser tests) flushes every table when it ends;
    the flush re-creates permissions but not groups, so later tests ask here.
    """
    roles = import_module("articles.migrations.0002_newsroom_groups")
    for name, codenames in roles.ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


def ensure_review_setup():
    """The review levels and policies exactly as migration 0011 makes them (a flush
    by a transactional test removes them, like the groups)."""
    from django.apps import apps

    from articles.models import ReviewLevel

    if not ReviewLevel.objects.exists():
        ensure_role_groups()
        import_module("articles.migrations.0011_review").seed(apps, None)


def in_review_at(level_name=None):
    """The fields of a story waiting at `level_name` (default: the first level) of 三审."""
    from articles.models import ReviewLevel, ReviewPolicy

    ensure_review_setup()
    levels = ReviewLevel.objects.order_by("order")
    level = levels.get(name=level_name) if level_name else levels.first()
    return {"review_level": level, "review_policy": ReviewPolicy.objects.filter(is_default=True).first()}


def make_user(username=None, group=None, **extra):
    """A staff account; `group` is 记者 or 编辑."""
    user = get_user_model().objects.create_user(
        username or f"user{next(_seq)}", password="pw-for-tests-1", is_staff=True, **extra
    )
    if group:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def login(client, user):
    """`client`, logged in as `user` (no password, no login form)."""
    client.force_login(user)
    return client


def make_photo(**extra):
    """A library photo made the way uploads are (articles.photos.ingest_photo)."""
    extra.setdefault("caption", "测试图片")
    return ingest_photo(ContentFile(draw_photo(1, size=(160, 120)), name="test.jpg"), **extra)


def make_article(title=None, status=Article.Status.PUBLISHED, published_at=None, unions=(),
                 reporters=(), photos=(), **extra):
    """An article; published ones default to an hour ago, ones in review wait at 初审."""
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    if status == Article.Status.REVIEW and "review_level" not in extra:
        extra.update(in_review_at())
    article = Article.objects.create(
        title=title or f"测试稿件{next(_seq)}", status=status, published_at=published_at, **extra
    )
    article.union_bodies.add(*unions)
    for order, reporter in enumerate(reporters):
        Byline.objects.create(article=article, reporter=reporter, order=order)
    for order, photo in enumerate(photos):
        ArticlePhoto.objects.create(article=article, photo=photo, order=order, is_lead=order == 0)
    return article

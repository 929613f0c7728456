"""Who may do what in the newsroom (DESIGN.md, "Editorial workflow").

Small functions of (user, article) that the admin and the workflow both call,
so a button that is hidden and a POST that is refused follow the same rule.

Roles are groups created by migration 0002: 记者 (reporter) and 编辑 (editor);
administrators are superusers and may do everything an editor may, and also
keep the directory (union bodies, reporters, accounts).

A reporter's *own* story is one they created, or one whose byline names the
Reporter profile linked to their account.
"""

from django.db.models import Exists, OuterRef, Q

from .models import Article, Byline

REPORTER_GROUP = "记者"
EDITOR_GROUP = "编辑"

S = Article.Status


def _groups(user):
    """The user's group names, read once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_newsroom_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._newsroom_groups = cached
    return cached


def is_admin(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_editor(user):
    """Editors and administrators: they review, publish, return and withdraw."""
    return is_admin(user) or EDITOR_GROUP in _groups(user)


def is_reporter(user):
    return REPORTER_GROUP in _groups(user)


def is_newsroom_member(user):
    return is_editor(user) or is_reporter(user)


def own_filter(user):
    """A Q for stories `user` created or is named in the byline of."""
    in_byline = Exists(Byline.objects.filter(article=OuterRef("pk"), reporter__user=user))
    return Q(created_by=user) | Q(in_byline)


def owns(user, article):
    if not getattr(user, "is_authenticated", False) or article.pk is None:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(reporter__user=user).exists()


def visible_articles(user, queryset=None):
    """The stories `user` may open in the newsroom: editors all, reporters their own."""
    queryset = Article.objects.all() if queryset is None else queryset
    if is_editor(user):
        return queryset
    if is_reporter(user):
        return queryset.filter(own_filter(user))
    return queryset.none()


def can_view(user, article):
    return is_editor(user) or (is_reporter(user) and owns(user, article))


def can_create(user):
    return is_newsroom_member(user)


def can_edit(user, article):
    """Reporters edit their own drafts; editors drafts, stories in review and (as a
    logged correction) published ones."""
    if article.pk is None:
        return can_create(user)
    if is_editor(user):
        return True
    return article.status == S.DRAFT and is_reporter(user) and owns(user, article)


def can_submit(user, article):
    return is_editor(user) or (is_reporter(user) and owns(user, article))


def can_publish(user, article=None):
    return is_editor(user)


def can_return(user, article=None):
    return is_editor(user)


def can_withdraw(user, article=None):
    return is_editor(user)


def can_correct(user, article=None):
    return is_editor(user)


def can_delete(user, article=None):
    """Deleting moves a story to the 回收站; only editors do it (and restore)."""
    return is_editor(user)


def can_restore(user, article=None):
    return is_editor(user)


def can_manage_directory(user):
    """Union bodies, the reporter roster and accounts belong to administrators."""
    return is_admin(user)


def available_transitions(user, article):
    """The workflow buttons to offer `user` on `article`, in the order they are shown."""
    if article.pk is None:
        return []
    names = []
    if article.status == S.DRAFT and can_submit(user, article):
        names.append("submit")
    if article.status == S.REVIEW:
        if can_publish(user, article):
            names += ["publish", "schedule"]
        if can_return(user, article):
            names.append("return")
    if article.status == S.PUBLISHED:
        if article.is_scheduled() and can_publish(user, article):
            names += ["publish", "schedule"]
        if can_withdraw(user, article):
            names.append("withdraw")
    return names

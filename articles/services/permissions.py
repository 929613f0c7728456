"""Who may do what in the newsroom (DESIGN.md, "Editorial workflow").

Small functions of (user, article) that the admin and the workflow both call,
so a button that is hidden and a POST that is refused follow the same rule.

Roles are groups created by migration 0002: 记者 (reporter) and 编辑 (editor);
administrators are superusers and may do everything an editor may, and also
keep the directory (union bodies, reporters, accounts).

A reporter's *own* story is one they created, or one whose byline names the
Reporter profile linked to their account.

An editor may be limited to union-body subtrees (EditorScope rows): with no
rows they edit every story; with rows, only stories tagged with a body in one
of those subtrees, plus their own (which they may edit as drafts and submit,
like a reporter, but not publish). Administrators are never limited.

Review (三审三校): a story in review waits at a level (articles/services/review.py).
Someone may act at that level — pass it, send the story back one level, return
it to the reporter, or, at the last level, sign it off — when they are a person
(not a SystemActor), an editor of the story's scope or an administrator, in a
group the level names (administrators: at every level), not the story's
author or byline reporter, and have not passed another level of the same story.
`may_act_at` is that rule; `reviewers_for` applies it to many stories at once.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from ..models import Article, ArticleUnionBody, Byline, EditorScope, UnionBody
from . import review

REPORTER_GROUP = "记者"
EDITOR_GROUP = "编辑"

S = Article.Status


class SystemActor(AnonymousUser):
    """An unattended job acting for the newsroom, such as an import run from the shell.

    Explicit, never a missing user: it is given the rights of an administrator
    (whoever runs a command on the server already has them), and the log names
    it (`str(actor)`, e.g. 系统（import_page 命令）) where a person's name would be.
    It has no account: events and revisions record no user for it.
    """

    is_active = True
    is_staff = True
    is_superuser = True

    def __init__(self, name):
        super().__init__()
        self.name = name

    def __str__(self):
        return f"系统（{self.name}）"

    @property
    def is_authenticated(self):
        return True

    def get_full_name(self):
        return str(self)

    def get_username(self):
        return str(self)


def account(actor):
    """The user row to record for `actor` (None for the system or nobody)."""
    return None if isinstance(actor, SystemActor) or not getattr(actor, "pk", None) else actor


def _group_rows(user):
    """The user's groups as (id, name), read once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_newsroom_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("id", "name"))
        user._newsroom_groups = cached
    return cached


def _groups(user):
    """The user's group names."""
    return frozenset(name for _, name in _group_rows(user))


def _group_ids(user):
    return frozenset(pk for pk, _ in _group_rows(user))


def is_admin(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_editor(user):
    """Editors and administrators: they review, publish, return and withdraw."""
    return is_admin(user) or EDITOR_GROUP in _groups(user)


def is_reporter(user):
    return REPORTER_GROUP in _groups(user)


def is_newsroom_member(user):
    return is_editor(user) or is_reporter(user)


# --- union-body scopes of editors ---------------------------------------------


def scope_ids(user):
    """The union bodies an editor is limited to (subtrees expanded), or None: unlimited.

    Read once per user object: one query for the scope rows, and one for the
    tree only when there are rows.
    """
    if is_admin(user) or not is_editor(user):
        return None
    cached = getattr(user, "_newsroom_scope", False)
    if cached is False:
        roots = list(EditorScope.objects.filter(user=user).values_list("union_body_id", flat=True))
        cached = frozenset(UnionBody.objects.directory().subtree_ids(*roots)) if roots else None
        user._newsroom_scope = cached
    return cached


def _in_scope_filter(ids):
    return Q(Exists(ArticleUnionBody.objects.filter(article=OuterRef("pk"), union_body_id__in=ids)))


def in_scope(user, article):
    """Is `article` inside the editor's union-body scope? (Unlimited editors: always.)"""
    ids = scope_ids(user)
    if ids is None:
        return True
    if article.pk is None:
        return False
    return article.union_links.filter(union_body_id__in=ids).exists()


def _editor_in_scope(user, article):
    return is_editor(user) and (article is None or in_scope(user, article))


# --- review levels (三审三校) ------------------------------------------------------


def _open_to(level, group_ids, body_ids, directory):
    """Does a row of `level` name one of `group_ids` for a story tagged `body_ids`?"""
    for group_id, union_body_id in level.reviewers:
        if group_id not in group_ids:
            continue
        if union_body_id is None or body_ids & set(directory().subtree_ids(union_body_id)):
            return True
    return False


def _passed_elsewhere(user_id, level, passed):
    """Has the user passed a level of this story other than `level`? (`passed`: review.passes)"""
    return any(level_id != level.id for level_id in passed.get(user_id, ()))


def _directory_once():
    found = []

    def directory():
        if not found:
            found.append(UnionBody.objects.directory())
        return found[0]

    return directory


def may_act_at(user, article, level):
    """May `user` act at `level` of `article` (pass, send back, return, sign off)? See the module doc."""
    return review_refusal(user, article, level) is None


def review_refusal(user, article, level):
    """Why `user` may not act at `level` of `article`, in Chinese; None when they may."""
    if level is None:
        return "稿件不在审稿中。"
    if account(user) is None:
        return "审稿须由编辑本人进行，系统不能审稿。"
    if not (is_admin(user) or (is_editor(user) and in_scope(user, article))):
        return "只有编辑可以审稿（限负责范围内的稿件）。"
    if owns(user, article):
        return "不能审自己写的或署名的稿件。"
    if _passed_elsewhere(user.pk, level, review.passes([article.pk]).get(article.pk, {})):
        return f"你已审过这篇稿件的另一级，同一篇稿件不能由一人审两级（{level.name}须由他人审）。"
    body_ids = set(article.union_links.values_list("union_body_id", flat=True))
    if not is_admin(user) and not _open_to(level, _group_ids(user), body_ids, _directory_once()):
        return f"你不在“{level.name}”的审稿人之列。"
    return None


def reviewers(article):
    """The people who may act at `article`'s level now (administrators if no editor may)."""
    return reviewers_for([article])[article.pk]


def reviewers_at(article, level):
    """The people who may act at `level` of `article` (wherever the story is now)."""
    return reviewers_for([article], levels={article.pk: level})[article.pk]


def reviewers_for(articles, levels=None):
    """{article id: [users who may act at its level now]} for many stories in a few queries.

    Editors first; administrators are listed only when no editor may act, so
    that a story never waits unseen. A story at no level has nobody.
    """
    User = get_user_model()
    articles = list(articles)
    if levels is None:
        current = review.setup()
        levels = {a.pk: review.position(a, current).level for a in articles}
    result = {a.pk: [] for a in articles}
    waiting = [a for a in articles if levels[a.pk] is not None]
    if not waiting:
        return result
    editors = list(
        User.objects.filter(is_active=True, groups__name=EDITOR_GROUP).exclude(is_superuser=True)
        .prefetch_related("editor_scopes", "groups").order_by("username").distinct()
    )
    directory = _directory_once()
    people = {
        editor.pk: _Person(
            editor.pk, False, frozenset(g.pk for g in editor.groups.all()),
            frozenset(directory().subtree_ids(*[s.union_body_id for s in editor.editor_scopes.all()]))
            if editor.editor_scopes.all() else None,
        )
        for editor in editors
    }
    stories = _Stories(waiting)
    admins = None
    for article in waiting:
        level = levels[article.pk]
        found = [e for e in editors if stories.open_to(people[e.pk], article, level, directory)]
        if not found:
            if admins is None:
                admins = list(User.objects.filter(is_active=True, is_superuser=True).order_by("username"))
            found = [a for a in admins
                     if stories.open_to(_Person(a.pk, True, frozenset(), None), article, level, directory)]
        result[article.pk] = found
    return result


def actionable(user, articles):
    """The ids of `articles` (in review) at whose level `user` may act now: a few queries."""
    articles = [a for a in articles if a.review_level_id]
    if not articles or account(user) is None or not is_editor(user):
        return set()
    current = review.setup()
    person = _Person(user.pk, is_admin(user), _group_ids(user), scope_ids(user))
    stories, directory = _Stories(articles), _directory_once()
    return {a.pk for a in articles
            if stories.open_to(person, a, review.position(a, current).level, directory)}


@dataclass(frozen=True)
class _Person:
    pk: int
    admin: bool
    groups: frozenset
    scope: frozenset | None  # union bodies an editor is limited to; None: unlimited


class _Stories:
    """What the level rule needs to know of many stories, read at once."""

    def __init__(self, articles):
        self.facts = _story_facts(articles)
        self.passed = review.passes([a.pk for a in articles])

    def open_to(self, person, article, level, directory):
        owners, bodies = self.facts[article.pk]
        if level is None or person.pk in owners:
            return False
        if _passed_elsewhere(person.pk, level, self.passed.get(article.pk, {})):
            return False
        if person.admin:
            return True
        if person.scope is not None and not bodies & person.scope:
            return False
        return _open_to(level, person.groups, bodies, directory)


def _story_facts(articles):
    """{article id: (owner user ids, union body ids)}: two queries for any number of stories."""
    ids = [a.pk for a in articles]
    facts = {a.pk: ({a.created_by_id} - {None}, set()) for a in articles}
    for article_id, user_id in Byline.objects.filter(
            article_id__in=ids, reporter__user__isnull=False).values_list("article_id", "reporter__user_id"):
        facts[article_id][0].add(user_id)
    for article_id, body_id in ArticleUnionBody.objects.filter(article_id__in=ids).values_list(
            "article_id", "union_body_id"):
        facts[article_id][1].add(body_id)
    return facts


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
    """The stories `user` may open in the newsroom: editors all (or those of their
    scope, and their own), reporters their own."""
    queryset = Article.objects.all() if queryset is None else queryset
    if is_editor(user):
        ids = scope_ids(user)
        return queryset if ids is None else queryset.filter(_in_scope_filter(ids) | own_filter(user))
    if is_reporter(user):
        return queryset.filter(own_filter(user))
    return queryset.none()


def can_view(user, article):
    if is_editor(user):
        return in_scope(user, article) or owns(user, article)
    return is_reporter(user) and owns(user, article)


def can_create(user):
    return is_newsroom_member(user)


def can_edit(user, article):
    """Reporters edit their own drafts; editors drafts, stories in review and (as a
    logged correction) published ones."""
    if article.pk is None:
        return can_create(user)
    if _editor_in_scope(user, article):
        return True
    return article.status == S.DRAFT and is_newsroom_member(user) and owns(user, article)


def can_submit(user, article):
    return _editor_in_scope(user, article) or (is_newsroom_member(user) and owns(user, article))


def can_recall(user, article):
    """撤回送审: the story's own reporter (or author) pulls it back from review."""
    return is_newsroom_member(user) and owns(user, article)


def can_review(user, article):
    """May `user` act at the level `article` waits at (or, scheduled, the level that signed it off)?

    A story at no level: an editor of its scope passes this rule, so that the
    state check can say what is wrong with the story rather than with the user.
    """
    level = review.position(article).level
    if level is None:
        return _editor_in_scope(user, article)
    return may_act_at(user, article, level)


def why_not_review(user, article):
    level = review.position(article).level
    if level is None:
        return "只有编辑可以审稿。"
    return review_refusal(user, article, level) or "你不能在这一级审稿。"


def can_publish(user, article=None):
    """Signing off (and rescheduling) happens at a story's last level; without a story: may
    the user sign off anything at all (the list's bulk action)."""
    if article is None:
        return is_editor(user)
    return can_review(user, article)


def can_return(user, article=None):
    """Any level may return a story to its reporter: whoever may act at it."""
    if article is None:
        return is_editor(user)
    return can_review(user, article)


def can_withdraw(user, article=None):
    return _editor_in_scope(user, article)


def can_correct(user, article=None):
    return _editor_in_scope(user, article)


def can_comment(user, article):
    """Everyone who may open the story may talk about it."""
    return article.pk is not None and can_view(user, article)


def can_share(user, article):
    """Editors make draft links for people without an account, for stories in their scope."""
    return article.pk is not None and _editor_in_scope(user, article)


def can_restore(user, article):
    """Restoring an old version is an edit under the story's current state:
    a reporter their own draft, an editor (in scope) anything, published = a correction."""
    if article.status == S.PUBLISHED:
        return can_correct(user, article)
    return can_edit(user, article)


def can_delete(user, article=None):
    """Deleting moves a story to the 回收站; only editors do it (and restore), a limited
    editor only stories of their scope (without a story: may they delete at all)."""
    return _editor_in_scope(user, article)


def can_undelete(user, article=None):
    """Taking a story out of the 回收站 puts it back where it was, live if it was
    published: editors of its scope, like deleting."""
    return _editor_in_scope(user, article)


def restorable_articles(user, queryset):
    """The stories of `queryset` (the 回收站) that `user` may restore: those of their scope."""
    if not is_editor(user):
        return queryset.none()
    ids = scope_ids(user)
    return queryset if ids is None else queryset.filter(_in_scope_filter(ids))


def retag_refusal(user, article, union_body_ids):
    """Why `user` may not change `article`'s union bodies to `union_body_ids`; None if they may.

    A limited editor decides only within their scope, so every body they add to
    or remove from a story under review or published lies within it: otherwise
    publishing a story tagged in scope and then "correcting" its tags would put it
    on any union body's page. Drafts are free (their tags are reviewed later).
    """
    ids = scope_ids(user)
    if ids is None or article.pk is None or article.status == S.DRAFT:
        return None
    old = set(article.union_links.values_list("union_body_id", flat=True))
    outside = (old ^ set(union_body_ids)) - ids
    if outside:
        names = "、".join(UnionBody.objects.filter(pk__in=outside).order_by("name")
                         .values_list("name", flat=True))
        return f"你只能在负责范围内调整工会组织，不能加上或去掉：{names}。"
    return None


def can_change_photo(user, photo):
    """Editing a library photo (its caption, credit or file) changes every story that shows it.

    Editors may (the change is logged on the published stories that use it,
    services/photos.py), a limited editor only when every story using it is of
    their scope (or their own draft); a reporter only a photo they uploaded that
    no story but their own drafts uses, so nothing public or under review changes
    behind the desk.
    """
    if not is_newsroom_member(user):
        return False
    if photo is None or photo.pk is None:
        return True
    own_drafts = Q(status=S.DRAFT) & own_filter(user)
    users = Article.all_objects.filter(photo_links__photo=photo)
    if is_editor(user):
        ids = scope_ids(user)
        return ids is None or not users.exclude(_in_scope_filter(ids) | own_drafts).exists()
    return photo.uploaded_by_id == user.pk and not users.exclude(own_drafts).exists()


def can_import(user):
    """Importing a printed page creates stories in other people's names: an editor's call."""
    return is_editor(user)


def can_manage_review_setup(user):
    """Review levels, policies and the 机审 word lists: administrators."""
    return is_admin(user)


def can_manage_directory(user):
    """Union bodies, the reporter roster and accounts belong to administrators."""
    return is_admin(user)

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
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from ..models import Article, ArticleUnionBody, Byline, EditorScope, UnionBody

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


def approvers(article):
    """The editors who may publish or return `article` (scope-aware), by name.

    Administrators may too, but are listed only when no editor's scope covers
    the story, so that a submitted story never waits unseen.
    """
    return approvers_for([article])[article.pk]


def approvers_for(articles):
    """{article id: [users who may approve it]} for several stories in a few queries."""
    User = get_user_model()
    editors = list(
        User.objects.filter(is_active=True, groups__name=EDITOR_GROUP).exclude(is_superuser=True)
        .prefetch_related("editor_scopes").order_by("username").distinct()
    )
    directory = UnionBody.objects.directory()
    scopes = {
        editor.pk: (frozenset(directory.subtree_ids(*[s.union_body_id for s in editor.editor_scopes.all()]))
                    if editor.editor_scopes.all() else None)
        for editor in editors
    }
    admins = None
    result = {}
    for article in articles:
        bodies = {link.union_body_id for link in article.union_links.all()}
        found = [e for e in editors if scopes[e.pk] is None or bodies & scopes[e.pk]]
        if not found:
            if admins is None:
                admins = list(User.objects.filter(is_active=True, is_superuser=True).order_by("username"))
            found = admins
        result[article.pk] = found
    return result


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


def can_publish(user, article=None):
    return _editor_in_scope(user, article)


def can_return(user, article=None):
    return _editor_in_scope(user, article)


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
    """Deleting moves a story to the 回收站; only editors do it (and restore)."""
    return is_editor(user)


def can_undelete(user, article=None):
    """Taking a story out of the 回收站: editors, like deleting."""
    return is_editor(user)


def can_import(user):
    """Importing a printed page creates stories in other people's names: an editor's call."""
    return is_editor(user)


def can_manage_directory(user):
    """Union bodies, the reporter roster and accounts belong to administrators."""
    return is_admin(user)

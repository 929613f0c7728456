"""What the newsroom desk shows: the stories waiting at the levels an editor may act on,
everything in review with who holds it now, and reporters' returned and own stories."""

from django.db.models import OuterRef, Subquery

from ..models import Article, ArticleEvent
from ..services import permissions

S = Article.Status


def _last_event(field):
    return Subquery(
        ArticleEvent.objects.filter(article=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def _visible(user):
    """The stories `user` may open (an editor limited to union bodies: those); all without a user."""
    return Article.objects.all() if user is None else permissions.visible_articles(user)


def review_queue(user=None):
    """Stories in review (that `user` may open), oldest submission first, with their level."""
    return (
        _visible(user).in_review()
        .select_related("created_by", "review_level")
        .prefetch_related("union_bodies", "union_links")
        .with_bylines()
        .order_by("submitted_at", "id")
    )


def with_reviewers(stories):
    """Give each story in review its `reviewers`: who may act at its level now (who holds it)."""
    stories = list(stories)
    found = permissions.reviewers_for(stories) if stories else {}
    for story in stories:
        story.reviewers = found[story.pk]
    return stories


def waiting_for(user, stories):
    """Of `stories` in review, those at a level `user` may act on now (the order kept)."""
    mine = permissions.actionable(user, stories)
    return [story for story in stories if story.pk in mine]


def upcoming(user=None):
    """Scheduled stories, the next to appear first."""
    return _visible(user).scheduled().order_by("published_at", "id")


def returned_to(user):
    """`user`'s drafts whose last event is a return, with the editor's reason and name.

    Each story carries `return_reason`, `returned_at`, `returned_by` and `returned_at_level`.
    """
    return (
        Article.objects.drafts()
        .filter(permissions.own_filter(user))
        .annotate(
            last_action=_last_event("action"),
            return_reason=_last_event("comment"),
            returned_at=_last_event("created_at"),
            returned_by=_last_event("actor__username"),
            returned_by_name=_last_event("actor__first_name"),
            returned_at_level=_last_event("level_name"),
        )
        .filter(last_action=ArticleEvent.Action.RETURNED)
        .order_by("-returned_at", "-id")
    )


def counts(user=None):
    """How many stories (that `user` may open) are in each state: three small counts."""
    visible = _visible(user)
    return {
        "review": visible.in_review().count(),
        "scheduled": visible.scheduled().count(),
        "drafts": visible.drafts().count(),
    }


def own_in_progress(user):
    """`user`'s own drafts and stories in review, most recently changed first, with their level."""
    return (
        Article.objects.filter(permissions.own_filter(user))
        .exclude(status=S.PUBLISHED)
        .select_related("review_level")
        .order_by("-updated_at", "-id")
    )

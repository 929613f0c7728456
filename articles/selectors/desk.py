"""What the newsroom desk shows: the review queue for editors, returned stories for reporters."""

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
    """Stories waiting for an editor (of `user`'s scope), oldest submission first."""
    return (
        _visible(user).in_review()
        .select_related("created_by")
        .prefetch_related("union_bodies", "union_links")
        .with_bylines()
        .order_by("submitted_at", "id")
    )


def with_approvers(stories):
    """Give each story in review its `approvers`: the editors who may publish it."""
    stories = list(stories)
    found = permissions.approvers_for(stories) if stories else {}
    for story in stories:
        story.approvers = found[story.pk]
    return stories


def upcoming(user=None):
    """Scheduled stories, the next to appear first."""
    return _visible(user).scheduled().order_by("published_at", "id")


def returned_to(user):
    """`user`'s drafts whose last event is a return, with the editor's reason and name.

    Each story carries `return_reason`, `returned_at` and `returned_by`.
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
    """`user`'s own drafts and stories in review, most recently changed first."""
    return (
        Article.objects.filter(permissions.own_filter(user))
        .exclude(status=S.PUBLISHED)
        .order_by("-updated_at", "-id")
    )
